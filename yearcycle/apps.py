from django.apps import AppConfig


class YearcycleConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "yearcycle"
    verbose_name = "年度报送"
