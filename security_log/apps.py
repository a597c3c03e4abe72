from django.apps import AppConfig


class SecurityLogConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "security_log"
    verbose_name = "安全日志"
