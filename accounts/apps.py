from django.apps import AppConfig


class AccountsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "accounts"
    verbose_name = "账号安全"

    def ready(self) -> None:
        from security_log.services import set_street_resolver

        from . import signals  # noqa: F401 — connects the security-log receivers
        from .policy import street_id_of

        set_street_resolver(street_id_of)
