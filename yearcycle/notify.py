"""Who is told what in their inbox as a period moves, and the deadline reminders."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.urls import reverse

from communities.models import Community
from communities.recipients import cadres_of, checkers_of
from inbox import services as inbox
from inbox.models import Kind
from reporting import rules
from reporting.models import PeriodSubmission
from reporting.services import calendar_for

if TYPE_CHECKING:
    from communities.scope import User

REMIND_DAYS = 3


def _url(submission: PeriodSubmission) -> str:
    return reverse("yearcycle:submission", args=[submission.pk])


def submitted(submission: PeriodSubmission) -> None:
    c = submission.community
    inbox.post(
        checkers_of(c.street_id),
        kind=Kind.PERIOD_SUBMITTED,
        title=f"{c.name}{submission.period.label}已报送，待审核",
        url=_url(submission),
    )


def decided(submission: PeriodSubmission, action: str, by: User) -> None:
    """The community hears of a return or an unlock (with the reason) and of an approval."""
    c = submission.community
    label = submission.period.label
    if action == "return":
        kind, title = Kind.PERIOD_RETURNED, f"{label}报送被退回，请修改后重新报送"
    elif action == "unlock":
        kind, title = Kind.PERIOD_UNLOCKED, f"{label}已解锁，可修改后重新报送"
    else:
        return  # an approval asks nothing of anyone
    who = by.get_full_name() or by.get_username()
    inbox.post(
        cadres_of([c.pk]).get(c.pk, []),
        kind=kind,
        title=title,
        body=f"{who}：{submission.reason}",
        url=_url(submission),
    )


def remind_deadlines(today: dt.date) -> int:
    """Tell the cadres of every community whose period is due within 3 days and not yet
    submitted. Idempotent (one reminder per user and period). Returns the items posted."""
    posted = 0
    communities = list(Community.objects.select_related("street"))
    by_street: dict[int, list[Community]] = {}
    for c in communities:
        by_street.setdefault(c.street_id, []).append(c)
    cadres = cadres_of([c.pk for c in communities])
    for street_id, members in by_street.items():
        calendar = calendar_for(street_id)
        for year in {today.year - 1, today.year}:
            for period in rules.periods_of_year(year, calendar.cadence):
                due = rules.deadline(period, calendar.deadline_day)
                if not (rules.is_due(period, today) and 0 <= (due - today).days <= REMIND_DAYS):
                    continue
                done = set(
                    PeriodSubmission.objects.filter(
                        community__in=members, start=period.start, end=period.end
                    ).values_list("community_id", flat=True)
                )
                for c in members:
                    if c.pk in done:
                        continue
                    posted += len(
                        inbox.post(
                            cadres.get(c.pk, []),
                            kind=Kind.DEADLINE,
                            title=f"{period.label}报送将于{due:%m月%d日}截止",
                            url=reverse("yearcycle:submit", args=[c.pk, year, period.number]),
                            key=f"deadline:{c.pk}:{period.start.isoformat()}",
                        )
                    )
    return posted
