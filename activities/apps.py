from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "activities"
    verbose_name = "文体活动"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the app's validation rules)
