"""What the portal keeps about accounts beyond django.contrib.auth: earlier passwords.

Second-factor devices are django-otp's (TOTPDevice, StaticDevice); the security log is
security_log's.
"""

from django.conf import settings
from django.db import models


class PasswordHistory(models.Model):
    """The hash of a password a user had, so that the last few are not used again."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="用户",
        on_delete=models.CASCADE,
        related_name="password_history",
    )
    password = models.CharField("密码哈希", max_length=128)
    created_at = models.DateTimeField("设置时间", auto_now_add=True)

    class Meta:
        verbose_name = "历史密码"
        verbose_name_plural = "历史密码"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "-created_at"], name="pwhistory_user_recent")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.created_at:%Y-%m-%d}"
