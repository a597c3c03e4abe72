"""The rules of personal-data protection as plain functions (no database).

reveal / full-number export   roles in settings.PIPL_REVEAL_ROLES (default: street admins
                              and the person's own community admin)
anonymise, retention review   roles in settings.PIPL_ANONYMISE_ROLES (default: street
                              admins and the district operator)
"operator" in either list     means a superuser (the district operator)
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError

OPERATOR = "operator"
ANONYMOUS_NAME = "已匿名"
REASON_MIN = 4
# A mobile number or an 18-character ID-card number: never written into a reason (the
# reason goes into the security log, which holds no personal data).
_PHONE_OR_ID = re.compile(r"(?<!\d)(1[3-9]\d{9}|\d{17}[\dXx])(?!\d)")


def role_allowed(role: str | None, *, is_superuser: bool, allowed: Iterable[str]) -> bool:
    allowed = set(allowed)
    if is_superuser:
        return OPERATOR in allowed
    return role is not None and role in allowed


def clean_reason(text: str | None) -> str:
    """The stated reason for seeing or exporting personal data, or a Chinese refusal."""
    reason = " ".join((text or "").split())
    if len(reason) < REASON_MIN:
        raise ValidationError(f"请说明原因（至少 {REASON_MIN} 个字），该操作会记入安全日志。")
    if _PHONE_OR_ID.search(reason):
        raise ValidationError("原因中请不要填写电话号码或证件号码。")
    return reason[:200]


@dataclass(frozen=True)
class Link:
    """One tie of a person to a community: a roster row, a volunteer registration, a
    certificate or a cadre post. `active` today; `ended` when it ended (None: unknown)."""

    active: bool
    ended: dt.date | None


def left_on(links: Iterable[Link], last_change: dt.date | None) -> dt.date | None:
    """When a person left: None while any tie is active; else the latest end date, or, when
    no tie has a date (or there are none), the day the person's record last changed."""
    links = list(links)
    if any(link.active for link in links):
        return None
    ends = [link.ended for link in links if link.ended is not None]
    return max(ends) if ends else last_change


def past_retention(left: dt.date | None, today: dt.date, days: int) -> bool:
    return left is not None and (today - left).days >= days
