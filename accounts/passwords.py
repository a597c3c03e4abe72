"""Password rules that 等保 2.0 asks for, as Django password validators (all in Chinese)."""

from __future__ import annotations

import re

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError

KINDS = (
    ("小写字母", re.compile(r"[a-z]")),
    ("大写字母", re.compile(r"[A-Z]")),
    ("数字", re.compile(r"\d")),
    ("符号", re.compile(r"[^a-zA-Z\d]")),
)


def kinds_in(password: str) -> int:
    return sum(1 for _, pattern in KINDS if pattern.search(password))


class ComplexityValidator:
    """At least `min_kinds` of: lower-case letters, capitals, digits, symbols."""

    def __init__(self, min_kinds: int = 3) -> None:
        self.min_kinds = min_kinds

    def validate(self, password: str, user=None) -> None:
        if kinds_in(password) < self.min_kinds:
            raise ValidationError(self.get_help_text(), code="password_too_simple")

    def get_help_text(self) -> str:
        names = "、".join(name for name, _ in KINDS)
        return f"密码须包含{names}中的至少 {self.min_kinds} 种。"


class HistoryValidator:
    """None of the last PASSWORD_HISTORY_COUNT passwords again (the current one included)."""

    def count(self) -> int:
        return int(getattr(settings, "PASSWORD_HISTORY_COUNT", 5))

    def validate(self, password: str, user=None) -> None:
        if user is None or user.pk is None:
            return
        from .models import PasswordHistory

        recent = list(
            PasswordHistory.objects.filter(user=user).values_list("password", flat=True)[
                : self.count()
            ]
        )
        if user.password:
            recent.append(user.password)
        if any(check_password(password, encoded) for encoded in recent if encoded):
            raise ValidationError(
                f"新密码不能与最近 {self.count()} 次使用过的密码相同。", code="password_reused"
            )

    def password_changed(self, password: str, user=None) -> None:
        """Called by User.save() after set_password: remember the new hash, forget old ones."""
        if user is None or user.pk is None or not user.password:
            return
        from .models import PasswordHistory

        PasswordHistory.objects.create(user=user, password=user.password)
        keep = PasswordHistory.objects.filter(user=user).values_list("pk", flat=True)[
            : self.count()
        ]
        PasswordHistory.objects.filter(user=user).exclude(pk__in=list(keep)).delete()

    def get_help_text(self) -> str:
        return f"不能与最近 {self.count()} 次使用过的密码相同。"
