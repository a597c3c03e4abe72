from django.apps import AppConfig


class DistrictConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "district"
    verbose_name = "区县"

    def ready(self) -> None:
        from . import jobs  # noqa: F401  (registers the white paper's task with reports.jobs)
