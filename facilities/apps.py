from django.apps import AppConfig


class FacilitiesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "facilities"
    verbose_name = "文体设施"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the app's validation rules)
