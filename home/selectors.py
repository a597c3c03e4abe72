"""Reads for the home page: the user's scope in figures, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from activities.models import Activity, ActivityStatus
from activities.selectors import activity_years, default_year
from communities import scope
from communities.models import Community, Population
from facilities.models import Facility, FacilityStatus
from teams.models import Certificate, Team, Volunteer
from teams.selectors import valid_certificates_q, visible_persons

if TYPE_CHECKING:
    from communities.scope import User


@dataclass
class StatusCount:
    status: str
    label: str
    count: int


@dataclass
class CommunityRow:
    community: Community
    residents: int | None
    facilities: int
    teams: int
    verified: int
    pending: int


@dataclass
class HomeFigures:
    has_scope: bool
    today: dt.date
    year: int
    years: list[int] = field(default_factory=list)
    communities: int = 0
    facilities: int = 0
    teams: int = 0
    persons: int = 0
    volunteers: int = 0
    instructors: int = 0
    activities: list[StatusCount] = field(default_factory=list)
    activities_total: int = 0
    rows: list[CommunityRow] = field(default_factory=list)
    is_street: bool = False
    current_year_empty: bool = False

    @property
    def pending(self) -> int:
        return next((a.count for a in self.activities if a.status == ActivityStatus.PENDING), 0)


def _in_use(today: dt.date) -> Q:
    return Q(status=FacilityStatus.IN_USE) & (Q(opened_on__isnull=True) | Q(opened_on__lte=today))


def _active_team(today: dt.date) -> Q:
    return (Q(founded_on__isnull=True) | Q(founded_on__lte=today)) & (
        Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=today)
    )


def _active_volunteer(today: dt.date) -> Q:
    return Q(registered_on__lte=today) & (Q(left_on__isnull=True) | Q(left_on__gt=today))


def home_figures(user: User, year: int | None = None) -> HomeFigures:
    today = timezone.localdate()
    m = scope.membership_of(user)
    if m is None and not user.is_superuser:
        return HomeFigures(has_scope=False, today=today, year=year or today.year)
    years = activity_years(user)
    if year is None:
        year = default_year(years, today)
    communities = scope.visible_communities(user)
    activities = scope.scope(Activity.objects.filter(date__year=year), user)
    by_status = dict(
        activities.order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    figures = HomeFigures(
        has_scope=True,
        today=today,
        year=year,
        years=sorted(set(years) | {year}, reverse=True),
        facilities=scope.scope(Facility.objects.filter(_in_use(today)), user).count(),
        teams=scope.scope(Team.objects.filter(_active_team(today)), user).count(),
        persons=visible_persons(user).count(),
        volunteers=scope.scope(Volunteer.objects.filter(_active_volunteer(today)), user).count(),
        instructors=scope.scope(Certificate.objects.filter(valid_certificates_q(today)), user)
        .values("person")
        .distinct()
        .count(),
        activities=[
            StatusCount(s.value, s.label, by_status.get(s.value, 0)) for s in ActivityStatus
        ],
        activities_total=sum(by_status.values()),
        is_street=scope.is_street_user(user),
        current_year_empty=today.year not in years,
    )
    figures.rows = community_rows(communities, year, today)
    figures.communities = len(figures.rows)
    return figures


def _count(qs: QuerySet) -> Subquery:
    """A correlated COUNT(*) per community: one query for the whole table, no join fan-out."""
    return Coalesce(
        Subquery(
            qs.filter(community=OuterRef("pk"))
            .order_by()
            .values("community")
            .annotate(n=Count("pk"))
            .values("n"),
            output_field=IntegerField(),
        ),
        Value(0),
    )


def community_rows(
    communities: QuerySet[Community], year: int, today: dt.date
) -> list[CommunityRow]:
    """Per community: population (latest year ≤ `year`), facilities in use, active teams and
    the year's verified / pending activities."""
    in_year = Activity.objects.filter(date__year=year)
    latest_population = (
        Population.objects.filter(community=OuterRef("pk"), year__lte=year, residents__isnull=False)
        .order_by("-year")
        .values("residents")[:1]
    )
    qs = communities.annotate(
        residents=Subquery(latest_population, output_field=IntegerField()),
        n_facilities=_count(Facility.objects.filter(_in_use(today))),
        n_teams=_count(Team.objects.filter(_active_team(today))),
        n_verified=_count(in_year.filter(status=ActivityStatus.VERIFIED)),
        n_pending=_count(in_year.filter(status=ActivityStatus.PENDING)),
    ).order_by("street__name", "name")
    return [
        CommunityRow(c, c.residents, c.n_facilities, c.n_teams, c.n_verified, c.n_pending)
        for c in qs
    ]
