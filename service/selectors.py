"""Reads of volunteer service shared by pages, the PDF and the services."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db.models import (
    Count,
    DecimalField,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from activities.models import Activity
from communities.models import Community
from teams.models import Certificate, Person, Volunteer

from . import rules
from .models import COUNTED, PENDING, Approval, EntryKind, ServiceEntry, ServiceRole

ZERO = Decimal(0)
HOURS = DecimalField(max_digits=10, decimal_places=1)


def counted_hours(person_ids: Iterable[int]) -> dict[int, Decimal]:
    """Each person's counted hours (the sum of their counted entries)."""
    rows = (
        ServiceEntry.objects.filter(COUNTED, person_id__in=list(person_ids))
        .order_by()  # no Meta.ordering join to Person: PostgreSQL planned it as a nested loop
        .values("person_id")
        .annotate(total=Sum("hours"))
    )
    return {r["person_id"]: r["total"] for r in rows}


def _sum(condition: Q) -> Coalesce:
    entries = (
        ServiceEntry.objects.filter(condition, person=OuterRef("person_id"))
        .order_by()
        .values("person")
        .annotate(s=Sum("hours"))
        .values("s")
    )
    return Coalesce(Subquery(entries, output_field=HOURS), Value(ZERO), output_field=HOURS)


def with_hours(volunteers: QuerySet[Volunteer], year: int) -> QuerySet[Volunteer]:
    """Volunteers with their hours split by provenance and their last service date."""
    return volunteers.select_related("person", "community").annotate(
        verified=_sum(COUNTED & Q(kind=EntryKind.ACTIVITY)),
        makeup=_sum(COUNTED & Q(kind=EntryKind.MAKEUP)),
        opening=_sum(Q(kind=EntryKind.OPENING)),
        pending=_sum(PENDING),
        year_hours=_sum(COUNTED & ~Q(kind=EntryKind.OPENING) & Q(date__year=year)),
        last_year_hours=_sum(COUNTED & ~Q(kind=EntryKind.OPENING) & Q(date__year=year - 1)),
        hours_before_year=_sum(COUNTED & (Q(kind=EntryKind.OPENING) | Q(date__year__lt=year))),
        last_service=Subquery(
            ServiceEntry.objects.filter(
                person=OuterRef("person_id"), kind__in=[EntryKind.ACTIVITY, EntryKind.MAKEUP]
            )
            .exclude(kind=EntryKind.MAKEUP, approval=Approval.REFUSED)
            .order_by()
            .values("person")
            .annotate(d=Max("date"))
            .values("d")
        ),
    )


def active_on(volunteers: QuerySet[Volunteer], day: dt.date) -> QuerySet[Volunteer]:
    return volunteers.filter(Q(registered_on__isnull=True) | Q(registered_on__lte=day)).filter(
        Q(left_on__isnull=True) | Q(left_on__gt=day)
    )


def star_of(hours: Decimal) -> rules.Star:
    return rules.star(hours, settings.SERVICE_STAR_HOURS)


@dataclass(frozen=True)
class RosterRow:
    person: Person
    community: Community
    role: str
    entry: ServiceEntry | None


def roster(activity: Activity) -> list[RosterRow]:
    """Who may be marked at an activity: the volunteers and the instructors of its community
    and, for 文化走亲, of its partner communities, with their entry if already marked."""
    community_ids = [activity.community_id, *activity.partners.values_list("pk", flat=True)]
    day = activity.date
    people: dict[int, RosterRow] = {}
    entries = {
        e.person_id: e for e in activity.service_entries.select_related("person", "community")
    }
    volunteers = Volunteer.objects.filter(community_id__in=community_ids).select_related(
        "person", "community"
    )
    for v in active_on(volunteers, day):
        people[v.person_id] = RosterRow(v.person, v.community, ServiceRole.VOLUNTEER, None)
    certificates = (
        Certificate.objects.filter(community_id__in=community_ids)
        .filter(Q(issued_on__isnull=True) | Q(issued_on__lte=day))
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=day))
        .select_related("person", "community")
    )
    for c in certificates:
        people.setdefault(
            c.person_id, RosterRow(c.person, c.community, ServiceRole.INSTRUCTOR, None)
        )
    for pid, e in entries.items():  # marked earlier, perhaps no longer on the roster
        people[pid] = RosterRow(e.person, e.community, e.role, e)
    rows = [RosterRow(r.person, r.community, r.role, entries.get(pid)) for pid, r in people.items()]
    home = activity.community_id
    return sorted(rows, key=lambda r: (r.community.pk != home, r.community.name, r.person.code))


def makeup_used(person_id: int, year: int, exclude_pk: int | None = None) -> Decimal:
    """Make-up hours of a person in a year that take up the cap (pending or approved)."""
    entries = ServiceEntry.objects.filter(
        person_id=person_id, kind=EntryKind.MAKEUP, date__year=year
    ).exclude(approval=Approval.REFUSED)
    if exclude_pk:
        entries = entries.exclude(pk=exclude_pk)
    return entries.aggregate(s=Sum("hours"))["s"] or ZERO


def certified_entries(person_id: int, start: dt.date, end: dt.date) -> list[ServiceEntry]:
    """The counted services of a period, oldest first (the opening balance has no date)."""
    return list(
        ServiceEntry.objects.filter(COUNTED, person_id=person_id, date__gte=start, date__lte=end)
        .exclude(kind=EntryKind.OPENING)
        .select_related("activity")
        .order_by("date", "pk")
    )


def instructor_service_counts(
    person_ids: Iterable[int], since: dt.date, year: int
) -> dict[int, tuple[int, int]]:
    """(counted services from `since`, counted services in `year`) of each person, in one
    query (activity and make-up entries; the opening balance has no date)."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    rows = (
        ServiceEntry.objects.filter(
            COUNTED, person_id__in=list(person_ids), date__gte=min(since, start)
        )
        .exclude(kind=EntryKind.OPENING)
        .order_by()  # see counted_hours
        .values("person_id")
        .annotate(
            since=Count("pk", filter=Q(date__gte=since)),
            year=Count("pk", filter=Q(date__gte=start, date__lte=end)),
        )
    )
    return {r["person_id"]: (r["since"], r["year"]) for r in rows}


def instructor_service_count(
    person: OuterRef, start: dt.date, end: dt.date | None = None
) -> Coalesce:
    """The counted services of `person` from `start` (to `end`) as a subquery, to annotate
    rows that carry a person (as instructor_service_counts counts them)."""
    entries = ServiceEntry.objects.filter(COUNTED, person_id=person, date__gte=start).exclude(
        kind=EntryKind.OPENING
    )
    if end is not None:
        entries = entries.filter(date__lte=end)
    counted = entries.order_by().values("person_id").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)
