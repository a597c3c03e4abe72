from django.apps import AppConfig


class ServiceConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "service"
    verbose_name = "志愿服务"

    def ready(self) -> None:
        from activities.signals import status_changed

        from . import services

        status_changed.connect(services.on_activity_status_changed, dispatch_uid="service-hours")
