"""社会体育指导员: services per year, certificates expiring or expired, due for promotion.

The dashboard's alerts read `alerts()`; the instructors page reads `report()`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import NamedTuple

from django.conf import settings
from django.db.models import OuterRef, QuerySet

from communities.models import Community
from teams.models import Certificate

from . import rules, selectors

EXPIRED, EXPIRING, VALID = "已失效", "即将失效", "有效"


@dataclass(frozen=True)
class InstructorRow:
    # The model on the instructors page (report); on the dashboard (alert_rows) the row read,
    # which names its holder and community the same way (.person.name, .community.name).
    certificate: Certificate | _Held
    services_year: int
    services_past_year: int
    expiry: str
    due: bool


def expiry_state(expires_on: dt.date | None, today: dt.date, warning_days: int) -> str:
    if expires_on is None or expires_on > today + dt.timedelta(days=warning_days):
        return VALID
    return EXPIRED if expires_on < today else EXPIRING


def _certificates(communities: QuerySet[Community]) -> QuerySet[Certificate]:
    return Certificate.objects.filter(community__in=communities).order_by(
        "community__name", "person__code", "issued_on"
    )


class _Held(NamedTuple):
    """What alert_rows reads of a certificate, with its holder's counted services."""

    pk: int
    person_id: int
    issued_on: dt.date | None
    expires_on: dt.date | None
    level: str
    number: str
    community_id: int
    person_name: str
    community_name: str
    past_year: int
    in_year: int

    @property
    def person(self) -> _Named:
        return _Named(self.person_id, self.person_name)

    @property
    def community(self) -> _Named:
        return _Named(self.community_id, self.community_name)


class _Named(NamedTuple):
    pk: int
    name: str


def _row(
    c: Certificate | _Held, counts: dict[int, tuple[int, int]], today: dt.date
) -> InstructorRow:
    past_year, in_year = counts.get(c.person_id, (0, 0))
    expiry = expiry_state(c.expires_on, today, settings.SERVICE_EXPIRY_WARNING_DAYS)
    due = expiry != EXPIRED and rules.promotion_due(
        level=c.level,
        issued_on=c.issued_on,
        services_past_year=past_year,
        today=today,
        years_required=settings.SERVICE_PROMOTION_YEARS,
        min_services=settings.SERVICE_PROMOTION_MIN_SERVICES,
    )
    return InstructorRow(c, in_year, past_year, expiry, due)


def report(communities: QuerySet[Community], year: int, today: dt.date) -> list[InstructorRow]:
    certificates = list(_certificates(communities).select_related("person", "community"))
    people = {c.person_id for c in certificates}
    counts = selectors.instructor_service_counts(people, today - dt.timedelta(days=365), year)
    return [_row(c, counts, today) for c in certificates]


EXPIRED_ALERT_DAYS = 365  # an instructor whose certificate lapsed longer ago has moved on


def alert_rows(communities: QuerySet[Community], today: dt.date) -> list[InstructorRow]:
    """What the dashboard raises: each instructor's latest certificate when it lapses within
    the warning window or lapsed in the past year, and everyone due for promotion.

    The same rows as filtering report(communities, today.year, today), read in one query:
    the certificates as plain tuples (a street has a thousand) with their holders' names and
    counted services (subqueries, as selectors.instructor_service_counts counts them)."""
    since = today - dt.timedelta(days=365)
    start, end = dt.date(today.year, 1, 1), dt.date(today.year, 12, 31)
    rows = (
        _certificates(communities)
        .annotate(
            past_year=selectors.instructor_service_count(OuterRef("person_id"), since),
            in_year=selectors.instructor_service_count(OuterRef("person_id"), start, end),
        )
        .values_list(
            "pk",
            "person_id",
            "issued_on",
            "expires_on",
            "level",
            "number",
            "community_id",
            "person__name",
            "community__name",
            "past_year",
            "in_year",
        )
    )
    latest: dict[int, _Held] = {}
    for row in rows:
        c = _Held(*row)
        held = latest.get(c.person_id)
        if held is None or (c.issued_on or dt.date.min) >= (held.issued_on or dt.date.min):
            latest[c.person_id] = c
    counts = {c.person_id: (c.past_year, c.in_year) for c in latest.values()}
    expired_since = today - dt.timedelta(days=EXPIRED_ALERT_DAYS)
    out = []
    for c in latest.values():
        r = _row(c, counts, today)
        if (
            r.due
            or r.expiry == EXPIRING
            or (r.expiry == EXPIRED and c.expires_on is not None and c.expires_on >= expired_since)
        ):
            out.append(r)
    return out
