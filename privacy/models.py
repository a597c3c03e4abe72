"""个人信息保护 (PIPL): which persons were anonymised, when and by whom.

The reasons for revealing a number, exporting full numbers or anonymising a person are kept
in the security log (security_log), not here: this table only says that a person's name and
phone were replaced, so the retention review no longer lists them.
"""

from django.conf import settings
from django.db import models

from teams.models import Person


class Anonymisation(models.Model):
    person = models.OneToOneField(
        Person, verbose_name="人员", on_delete=models.PROTECT, related_name="anonymisation"
    )
    done_at = models.DateTimeField("匿名化时间", auto_now_add=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = "人员匿名化"
        verbose_name_plural = "人员匿名化"
        ordering = ["-done_at"]

    def __str__(self) -> str:
        return f"人员 #{self.person_id} 已匿名化"
