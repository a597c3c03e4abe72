"""The records the metrics count, before the community filter (assessment.md, "Definitions").

Each source is a queryset of one table's rows that count for the run's year Y and date D; a
metric's measures (base.Measure) name a source and a condition on its rows. Every source has
a `community_id`, the community a row counts for.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db.models import Exists, OuterRef, Q, QuerySet

from activities.models import Activity, ActivityPartner, ActivityStatus, Brand
from communities.models import Award, Deduction, StarRating, StarTarget
from facilities.models import Facility, FacilityStatus
from teams.models import LEVEL_RANK, Cadre, Certificate, Team, TeamHonour, Volunteer

from .base import CadreDeadlines, MetricContext


def counted_activities(ctx: MetricContext) -> QuerySet[Activity]:
    """已审核, 活动日期 in Y and not after D (a provisional run counts what happened so far)."""
    return Activity.objects.filter(
        status=ActivityStatus.VERIFIED, date__gte=ctx.year_start, date__lte=ctx.as_of
    )


def counted_partners(ctx: MetricContext) -> QuerySet[ActivityPartner]:
    """走亲社区 rows of the counted 文化走亲 activities (community_id: the invited one)."""
    return ActivityPartner.objects.filter(
        activity__status=ActivityStatus.VERIFIED,
        activity__is_exchange=True,
        activity__date__gte=ctx.year_start,
        activity__date__lte=ctx.as_of,
    )


def in_use_at(as_of: dt.date) -> QuerySet[Facility]:
    return Facility.objects.filter(status=FacilityStatus.IN_USE).filter(
        Q(opened_on__isnull=True) | Q(opened_on__lte=as_of)
    )


def valid_certificates(as_of: dt.date) -> QuerySet[Certificate]:
    """发证日期 ≤ D (blank = not valid) and 失效日期 blank or > D."""
    return Certificate.objects.filter(issued_on__lte=as_of).filter(
        Q(expires_on__isnull=True) | Q(expires_on__gt=as_of)
    )


def cadres_in_office(as_of: dt.date) -> QuerySet[Cadre]:
    return Cadre.objects.filter(appointed_on__lte=as_of).filter(
        Q(left_on__isnull=True) | Q(left_on__gt=as_of)
    )


def active_teams(ctx: MetricContext) -> QuerySet[Team]:
    return Team.objects.filter(
        Q(founded_on__isnull=True) | Q(founded_on__lte=ctx.as_of),
        Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=ctx.as_of),
    )


def excellent_honour(ctx: MetricContext) -> Exists:
    """The team (the outer row) has a 优秀团队 honour of year Y."""
    return Exists(
        TeamHonour.objects.filter(team=OuterRef("pk"), year=ctx.year, title=TeamHonour.EXCELLENT)
    )


def active_volunteers(as_of: dt.date) -> QuerySet[Volunteer]:
    return Volunteer.objects.filter(registered_on__lte=as_of).filter(
        Q(left_on__isnull=True) | Q(left_on__gt=as_of)
    )


def active_brands(year: int) -> QuerySet[Brand]:
    return Brand.objects.filter(recognised_year__lte=year).filter(
        Q(revoked_year__isnull=True) | Q(revoked_year__gt=year)
    )


SOURCES: dict[str, Callable[[MetricContext], QuerySet]] = {
    "activities": counted_activities,
    "partners": counted_partners,
    "facilities": lambda ctx: in_use_at(ctx.as_of),
    "teams": active_teams,
    "volunteers": lambda ctx: active_volunteers(ctx.as_of),
    "certificates": lambda ctx: valid_certificates(ctx.as_of),
    "cadres": lambda ctx: cadres_in_office(ctx.as_of),
    "brands": lambda ctx: active_brands(ctx.year),
    "ratings": lambda ctx: StarRating.objects.filter(year=ctx.year),
    "targets": lambda ctx: StarTarget.objects.filter(year=ctx.year),
    "awards": lambda ctx: Award.objects.filter(year=ctx.year),
    "deductions": lambda ctx: Deduction.objects.filter(year=ctx.year),
}


# --- B5: a cadre's certificate by the deadlines of the scheme -----------------------------------


def in_office_for(as_of: dt.date, years: int) -> Q:
    """Cadres with at least `years` whole years in office at as_of (rules.whole_years: the
    anniversary counts as reached; from 29 Feb the anniversary of a common year is 28 Feb)."""
    year = as_of.year - years
    if year < dt.MINYEAR:
        return Q(appointed_on__isnull=True)  # nobody: appointed_on is never blank
    if year > dt.MAXYEAR:
        return Q(appointed_on__isnull=False)  # everybody
    try:
        day = as_of.replace(year=year)
    except ValueError:
        day = dt.date(year, 2, 28)
    return Q(appointed_on__lte=day)


def holds_level(as_of: dt.date, rank: int) -> Exists:
    """The cadre's person (the outer row's person_id) holds, at as_of, a certificate of any
    community at `rank` or above."""
    levels = [lv for lv, r in LEVEL_RANK.items() if r >= rank]
    return Exists(
        valid_certificates(as_of).filter(person_id=OuterRef("person_id"), level__in=levels)
    )


def cadre_compliant(as_of: dt.date, d: CadreDeadlines) -> Q:
    """B5 for one cadre row: rules.cadre_required_rank met by the person's best certificate
    of any community (in office under basic_years: nothing required)."""
    senior = in_office_for(as_of, d.senior_years)
    basic = in_office_for(as_of, d.basic_years)
    return (
        (senior & Q(holds_level(as_of, LEVEL_RANK[d.senior_level])))
        | (~senior & basic & Q(holds_level(as_of, LEVEL_RANK[d.basic_level])))
        | (~senior & ~basic)
    )
