"""社会体育指导员: services per year, certificates expiring or expired, due for promotion.

The dashboard's alerts read `alerts()`; the instructors page reads `report()`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import QuerySet

from communities.models import Community
from teams.models import Certificate

from . import rules, selectors

EXPIRED, EXPIRING, VALID = "已失效", "即将失效", "有效"


@dataclass(frozen=True)
class InstructorRow:
    certificate: Certificate
    services_year: int
    services_past_year: int
    expiry: str
    due: bool


def expiry_state(expires_on: dt.date | None, today: dt.date, warning_days: int) -> str:
    if expires_on is None or expires_on > today + dt.timedelta(days=warning_days):
        return VALID
    return EXPIRED if expires_on < today else EXPIRING


def report(communities: QuerySet[Community], year: int, today: dt.date) -> list[InstructorRow]:
    certificates = list(
        Certificate.objects.filter(community__in=communities)
        .select_related("person", "community")
        .order_by("community__name", "person__code", "issued_on")
    )
    people = {c.person_id for c in certificates}
    past_year = selectors.instructor_services(people, today - dt.timedelta(days=365))
    in_year = selectors.instructor_services(people, dt.date(year, 1, 1), dt.date(year, 12, 31))
    rows = []
    for c in certificates:
        expiry = expiry_state(c.expires_on, today, settings.SERVICE_EXPIRY_WARNING_DAYS)
        due = expiry != EXPIRED and rules.promotion_due(
            level=c.level,
            issued_on=c.issued_on,
            services_past_year=past_year.get(c.person_id, 0),
            today=today,
            years_required=settings.SERVICE_PROMOTION_YEARS,
            min_services=settings.SERVICE_PROMOTION_MIN_SERVICES,
        )
        rows.append(
            InstructorRow(
                c, in_year.get(c.person_id, 0), past_year.get(c.person_id, 0), expiry, due
            )
        )
    return rows


EXPIRED_ALERT_DAYS = 365  # an instructor whose certificate lapsed longer ago has moved on


def alert_rows(communities: QuerySet[Community], today: dt.date) -> list[InstructorRow]:
    """What the dashboard raises: each instructor's latest certificate when it lapses within
    the warning window or lapsed in the past year, and everyone due for promotion."""
    latest: dict[int, InstructorRow] = {}
    for r in report(communities, today.year, today):
        held = latest.get(r.certificate.person_id)
        if held is None or (r.certificate.issued_on or dt.date.min) >= (
            held.certificate.issued_on or dt.date.min
        ):
            latest[r.certificate.person_id] = r
    since = today - dt.timedelta(days=EXPIRED_ALERT_DAYS)
    return [
        r
        for r in latest.values()
        if r.due
        or r.expiry == EXPIRING
        or (r.expiry == EXPIRED and r.certificate.expires_on >= since)
    ]
