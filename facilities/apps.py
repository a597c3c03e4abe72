from django.apps import AppConfig


class FacilitiesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "facilities"
    verbose_name = "文体设施"

    def ready(self) -> None:
        # Writes bump the street's data version (communities/versions.py).
        from communities import versions

        from . import checks  # noqa: F401  (registers the app's validation rules)
        from .models import Facility, UpgradeProject

        versions.register(Facility, "community__street")
        versions.register(UpgradeProject, "community__street")
