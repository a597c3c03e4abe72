from django.apps import AppConfig


class TeamsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "teams"
    verbose_name = "队伍建设"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the app's validation rules)
