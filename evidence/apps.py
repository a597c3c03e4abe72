from django.apps import AppConfig


class EvidenceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "evidence"
    verbose_name = "影像核查"

    def ready(self) -> None:
        from . import signals  # noqa: F401
