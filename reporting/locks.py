"""Is a dated record of a community locked by an approved period, and what to tell the user.

Records services (activities, teams, facilities) call `ensure_unlocked(user, community,
date, …)` before creating, changing or deleting a dated record; the workbook import asks
`approved_ranges(...)` once and checks its rows in memory.

Locks bind community users. Street admins and staff, who approve and unlock, may still
correct an approved period (their own check is what the approval records); the import
(run by street staff) is refused on locked rows all the same, since a workbook silently
overwriting an approved month is what the lock exists to prevent.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from communities import scope
from communities.models import Community

from . import rules
from .models import PeriodSubmission, ReportingCalendar
from .models import SubmissionStatus as S

if TYPE_CHECKING:
    from communities.scope import User


def _who(user) -> str:
    if user is None:
        return "街道"
    return user.get_full_name() or user.get_username()


def approved_covering(community: Community | int, day: dt.date) -> PeriodSubmission | None:
    cid = community if isinstance(community, int) else community.pk
    return (
        PeriodSubmission.objects.select_related("decided_by")
        .filter(community_id=cid, status=S.APPROVED, start__lte=day, end__gte=day)
        .first()
    )


def is_locked(community: Community | int, day: dt.date | None) -> bool:
    return day is not None and approved_covering(community, day) is not None


def message_for(submission: PeriodSubmission) -> str:
    return rules.lock_message(
        submission.period.label,
        _who(submission.decided_by),
        timezone.localtime(submission.decided_at),
    )


def lock_message(community: Community | int, day: dt.date | None) -> str | None:
    """Why a record of `community` dated `day` may not change (None: it may)."""
    if day is None:
        return None
    submission = approved_covering(community, day)
    return message_for(submission) if submission else None


def lock_error(user: User, community: Community | int, *days: dt.date | None) -> str | None:
    """The lock message for `user` (None for street users or when no day is locked)."""
    if scope.is_street_user(user):
        return None
    for day in days:
        message = lock_message(community, day)
        if message:
            return message
    return None


def ensure_unlocked(
    user: User, community: Community | int, *days: dt.date | None, field: str | None = None
) -> None:
    """Refuse a write dated in a locked period: PermissionDenied, or with `field` a form
    error on that field (so a date typed into a form is answered next to it)."""
    message = lock_error(user, community, *days)
    if message and field:
        raise ValidationError({field: message})
    if message:
        raise PermissionDenied(message)


def approved_ranges(
    community_ids: Iterable[int],
) -> dict[int, list[tuple[dt.date, dt.date, str]]]:
    """{community id: [(start, end, lock message)]} of approved periods, in one query."""
    ranges: dict[int, list[tuple[dt.date, dt.date, str]]] = defaultdict(list)
    for submission in PeriodSubmission.objects.select_related("decided_by").filter(
        community_id__in=list(community_ids), status=S.APPROVED
    ):
        ranges[submission.community_id].append(
            (submission.start, submission.end, message_for(submission))
        )
    return ranges


def message_in(ranges: list[tuple[dt.date, dt.date, str]], day: dt.date | None) -> str | None:
    if day is None:
        return None
    for start, end, message in ranges:
        if start <= day <= end:
            return message
    return None


def unapproved_periods(street_id: int, year: int) -> list[str]:
    """ "社区 期间" of every period of `year` not yet approved in the street (two queries)."""
    calendar = ReportingCalendar.objects.filter(street_id=street_id).first()
    cadence = calendar.cadence if calendar else rules.MONTHLY
    approved = set(
        PeriodSubmission.objects.filter(
            community__street_id=street_id, year=year, cadence=cadence, status=S.APPROVED
        ).values_list("community__name", "number")
    )
    names = Community.objects.filter(street_id=street_id).order_by("name")
    return [
        f"{name} {period.label}"
        for name in names.values_list("name", flat=True)
        for period in rules.periods_of_year(year, cadence)
        if (name, period.number) not in approved
    ]


def finalise_blocked(street_id: int, year: int) -> tuple[bool, list[str]]:
    """(whether the street's setting makes open periods block 定稿, those periods)."""
    calendar = ReportingCalendar.objects.filter(street_id=street_id).first()
    required = bool(calendar and calendar.require_approval_to_finalise)
    return required, unapproved_periods(street_id, year)
