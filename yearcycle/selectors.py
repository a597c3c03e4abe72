"""Reads the year-cycle pages share: the board of a street and year, a period's summary."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from activities.models import Activity, ActivityStatus, ArchiveSlot
from communities import scope
from communities.models import Street
from reporting.models import PeriodSubmission, ReportingCalendar
from reporting.rules import Period
from reporting.services import calendar_for

from . import board as b

if TYPE_CHECKING:
    from communities.scope import User


def street_board(
    user: User,
    street: Street,
    year: int,
    today: dt.date,
    *,
    communities: list[tuple[int, str]] | None = None,
    calendar: ReportingCalendar | None = None,
) -> b.Board:
    """The board of the communities of `street` that `user` may see: three queries, fewer
    when the caller has read them already: `communities` ((pk, name) of those the user sees,
    by name) and the street's `calendar` (reporting.services.calendar_for)."""
    if calendar is None:
        calendar = calendar_for(street.pk)
    if communities is None:
        communities = list(
            scope.visible_communities(user)
            .filter(street=street)
            .order_by("name")
            .values_list("pk", "name")
        )
    # Plain tuples: a street's year is hundreds of submissions, not worth a model each.
    rows = PeriodSubmission.objects.filter(
        community_id__in=[pk for pk, _ in communities],
        year=year,
        cadence=calendar.cadence,
    ).values_list("pk", "community_id", "start", "status", "due", "first_submitted_at")
    subs = {
        (cid, start): b.Sub(pk, status, due, timezone.localtime(first).date())
        for pk, cid, start, status, due, first in rows
    }
    return b.build(year, calendar.cadence, calendar.deadline_day, communities, subs, today)


SUMMARY_KEYS = (
    "total",
    "verified",
    "pending",
    "draft",
    "returned",
    "unsubmitted",
    "full_archive",
    "participants",
    "archive_rate",
)


def stored_summary(summary: dict) -> dict:
    """A stored summary with every key the pages print (older or partial ones included)."""
    return {k: None for k in SUMMARY_KEYS} | {"warnings": []} | (summary or {})


def period_summary(community_id: int, period: Period) -> dict:
    """What a submission sends along: counts of the period's activities and warnings."""
    slots = [Activity.archive_field(s) for s in ArchiveSlot.values]
    full = Q(**{f: True for f in slots})
    counts = Activity.objects.filter(
        community_id=community_id, date__gte=period.start, date__lte=period.end
    ).aggregate(
        total=Count("pk"),
        verified=Count("pk", filter=Q(status=ActivityStatus.VERIFIED)),
        pending=Count("pk", filter=Q(status=ActivityStatus.PENDING)),
        draft=Count("pk", filter=Q(status=ActivityStatus.DRAFT)),
        returned=Count("pk", filter=Q(status=ActivityStatus.RETURNED)),
        full_archive=Count("pk", filter=full),
        participants=Coalesce(Sum("participants"), 0),
    )
    counts["unsubmitted"] = counts["draft"] + counts["returned"]
    warnings = []
    if counts["total"] == 0:
        warnings.append("本期没有录入任何活动。")
    if counts["draft"] or counts["returned"]:
        warnings.append(
            f"有{counts['draft'] + counts['returned']}项活动仍为草稿或已退回，未提交审核。"
        )
    if counts["total"] and counts["full_archive"] < counts["total"]:
        warnings.append(f"有{counts['total'] - counts['full_archive']}项活动“五有”档案不全。")
    counts["archive_rate"] = (
        round(100 * counts["full_archive"] / counts["total"], 1) if counts["total"] else None
    )
    counts["warnings"] = warnings
    return counts


def late_today(
    user: User,
    street: Street,
    today: dt.date,
    *,
    communities: list[tuple[int, str]] | None = None,
    calendar: ReportingCalendar | None = None,
) -> list[tuple[str, list[str]]]:
    """(community, overdue periods) of the current year for the street dashboard (see
    street_board for `communities` and `calendar`)."""
    the_board = street_board(
        user, street, today.year, today, communities=communities, calendar=calendar
    )
    return [(row.name, [c.period.label for c in cells]) for row, cells in b.late_today(the_board)]
