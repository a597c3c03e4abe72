"""The demo street's reporting year in progress (idempotent: a second run changes nothing).

Relative to `as_of`: every month of as_of's year whose deadline passed more than a month
ago is approved (one community a few days late now and then); the latest owed month is
awaiting approval for most communities, returned with a reason for one and not submitted
at all by another (late today); a month not yet due is open.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from communities.models import Community, Membership, Role, Street
from reporting import rules, services
from reporting.models import PeriodEvent, PeriodSubmission
from reporting.services import calendar_for

from .selectors import period_summary


def _user(street: Street, role: str, community: Community | None = None):  # noqa: ANN202
    m = Membership.objects.filter(street=street, role=role, community=community)
    first = m.select_related("user").order_by("pk").first()
    return first.user if first else None


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour))


@transaction.atomic
def load(street: Street, as_of: dt.date) -> None:
    communities = list(Community.objects.filter(street=street).order_by("name", "pk"))
    if (
        not communities
        or PeriodSubmission.objects.filter(community__in=communities, year=as_of.year).exists()
    ):
        return
    staff = _user(street, Role.STREET_STAFF) or _user(street, Role.STREET_ADMIN)
    if staff is None:
        return
    calendar = calendar_for(street.pk)
    owed = [
        p
        for p in rules.periods_of_year(as_of.year, calendar.cadence)
        if rules.deadline(p, calendar.deadline_day) < as_of
    ]
    if not owed:
        return
    latest = owed[-1]
    for i, community in enumerate(communities):
        cadre = _user(street, Role.COMMUNITY_ADMIN, community) or staff
        for period in owed:
            due = rules.deadline(period, calendar.deadline_day)
            if period == latest and i == 1:
                continue  # late today: the latest owed month not submitted
            late = i == 2 and period.number % 4 == 2  # now and then three days late
            sent = _at(due + dt.timedelta(days=3 if late else -2))
            submission = services.submit(
                user=cadre,
                community=community,
                period=period,
                summary=period_summary(community.pk, period),
                now=sent,
            )
            PeriodEvent.objects.filter(submission=submission).update(at=sent)
            if period == latest:
                if i == 0:
                    _decide(
                        services.return_,
                        submission,
                        staff,
                        sent,
                        reason="部分活动缺少影像资料，请补充后重新报送。",
                    )
                continue  # awaiting approval
            _decide(services.approve, submission, staff, sent)


def _decide(service, submission: PeriodSubmission, staff, sent: dt.datetime, **kw) -> None:  # noqa: ANN001
    service(user=staff, submission=submission, **kw)
    when = sent + dt.timedelta(days=2)
    PeriodSubmission.objects.filter(pk=submission.pk).update(decided_at=when)
    PeriodEvent.objects.filter(submission=submission).exclude(action="submit").update(at=when)
