from django.apps import AppConfig


class RectificationConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "rectification"
    verbose_name = "整改"
