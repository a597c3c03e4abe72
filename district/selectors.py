"""Reads of the district pages: every community of a district scored for a year, in a
number of queries that does not grow with its streets or communities (the engine's
compute_streets), turned into the plain rows district/rankings.py ranks."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from typing import TYPE_CHECKING

from django.core.cache import cache
from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.functions import TruncDate
from django.http import Http404
from django.utils import timezone

from activities.models import Activity, ActivityStatus, waiting_since
from activities.selectors import cached_years, years_among
from assessments import alerts, default_scheme, services
from assessments import cache as score_cache
from assessments.published import PublishedScheme
from assessments.scheme import SchemeSpec
from communities import scope, versions
from communities.models import Community, District, StarRating, StarTarget, Street
from reporting.models import PeriodSubmission, ReportingCalendar
from yearcycle import board as yb

from . import periods
from .rankings import Entry

if TYPE_CHECKING:
    from communities.scope import User


@dataclass(frozen=True)
class Column:
    """A card or an indicator of the district's scheme, as a ranking can be asked for."""

    key: str  # "card:A", "ind:A1"
    code: str
    name: str
    points: Decimal


@dataclass
class DistrictYear:
    district: District
    year: int
    as_of: dt.date
    streets: list[Street]
    entries: list[Entry]
    grades: list[str]
    bands: list[tuple[str, Decimal]] = field(default_factory=list)  # the first scheme's
    published: PublishedScheme | None = None  # the district's scheme, when it has one
    cards: list[Column] = field(default_factory=list)
    indicators: list[Column] = field(default_factory=list)

    @property
    def keys(self) -> dict[str, str]:
        """Every ranking key and its label."""
        out = {"total": "总分"}
        out.update({c.key: f"{c.code} {c.name}" for c in self.cards})
        out.update({c.key: f"{c.code} {c.name}" for c in self.indicators})
        return out


def district_for(user: User, raw: str = "") -> District | None:
    """The district shown: the district user's own, or (operator) the one picked with
    ?district=, or the only one; None when the operator has to pick. 404 outside scope."""
    districts = scope.visible_districts(user).order_by("name")
    if raw:
        if not raw.isdigit():
            raise Http404("没有找到该区县，或您无权查看。")
        found = districts.filter(pk=int(raw)).first()
        if found is None:
            raise Http404("没有找到该区县，或您无权查看。")
        return found
    first = list(districts[:2])
    return first[0] if len(first) == 1 else None


def district_years(district: District) -> list[int]:
    """The years of the district's activities (its pages' year choice), newest first."""
    return cached_years(
        f"district:{district.pk}",
        Street.objects.filter(district=district),
        partial(years_among, Activity.objects.filter(community__street__district=district)),
    )


def district_year(district: District, year: int, as_of: dt.date | None = None) -> DistrictYear:
    """Every community of the district scored for year Y (at D), kept in the cache under its
    streets and their data versions (read first, as assessments/cache.py explains). Every
    input of the scores raises them: the records, a street's own scheme, the district's
    published one (communities/versions.py registers them all; the scheme in code changes
    only with a deploy, whose code digest prefixes every key: settings.CACHES). When nothing
    changed: the streets with their versions, the published scheme, and no scheme read or
    scored. Otherwise the engine's fixed number of queries for all the streets together."""
    streets = list(
        Street.objects.filter(district=district)
        .order_by("name")
        .annotate(version=F("data_version__version"))
    )
    scheme = PublishedScheme.objects.filter(district=district, year=year).first()
    day = services.resolve_as_of(year, as_of)
    state = versions.state_of((s.pk, s.version) for s in streets)
    key = f"district-year:v2:{district.pk}:{year}:{day.isoformat()}:{state}"
    scored = cache.get(key)
    if scored is None:
        scored = _scored(district, _jobs(streets, scheme, year), year, day)
        cache.set(key, scored, score_cache.TIMEOUT)
    # The district and its streets as read now (their names); the rest is the cached part.
    return DistrictYear(district, year, day, streets, published=scheme, **scored)


def _jobs(
    streets: list[Street], published: PublishedScheme | None, year: int
) -> list[tuple[Street, SchemeSpec]]:
    """Each street with the scheme it is scored by: the district's published one, or else
    its own (the default scheme when it has none)."""
    if published is None:
        data = default_scheme.data_for_streets(streets, year) if streets else {}
        return [(s, SchemeSpec.of(data[s.pk])) for s in streets]
    spec = SchemeSpec.of(published.data)
    return [(s, spec) for s in streets]


def _scored(district: District, jobs: list, year: int, day: dt.date) -> dict:
    """The scored part of a DistrictYear (plain rows, cheap to keep in the cache)."""
    assessments = services.evaluate_many(jobs, year, day, evidence=False) if jobs else []
    kinds = dict(Community.objects.filter(street__district=district).values_list("pk", "kind"))
    entries: list[Entry] = []
    cards: dict[str, Column] = {}
    indicators: dict[str, Column] = {}
    grades: list[str] = []
    bands: list[tuple[str, Decimal]] = []
    for a in assessments:
        bands = bands or list(a.scheme.bands)
        for c in a.scheme.cards:
            cards.setdefault(c.code, Column(f"card:{c.code}", c.code, c.name, c.max_points))
        for i in a.scheme.indicators:
            indicators.setdefault(i.code, Column(f"ind:{i.code}", i.code, i.name, i.points))
        for b in a.scheme.grade_bands:
            if b.name not in grades:
                grades.append(b.name)
        for o in a.communities:
            entries.append(
                Entry(
                    community_id=o.community_id,
                    name=o.name,
                    street_id=a.street.pk,
                    street=a.street.name,
                    kind=kinds.get(o.community_id, ""),
                    total=None if o.error else o.total,
                    grade=o.grade,
                    cards=dict(o.cards),
                    indicators={i.code: i.points for i in o.indicators},
                    gaps={i.code: i.gap for i in o.indicators if i.gap},
                )
            )
    return {
        "entries": entries,
        "grades": grades,
        "bands": bands,
        "cards": list(cards.values()),
        "indicators": list(indicators.values()),
    }


def overdue_verification(district: District, now: dt.datetime | None = None) -> dict[int, int]:
    """{street id: activities waiting for verification longer than alerts.WAIT_DAYS} — one
    query (the waiting time is measured as the dashboard's alerts measure it)."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=alerts.WAIT_DAYS)
    rows = (
        Activity.objects.filter(community__street__district=district, status=ActivityStatus.PENDING)
        .annotate(since=waiting_since())
        .filter(since__lt=cutoff)
        .order_by()
        .values("community__street_id")
        .annotate(n=Count("pk"))
        .values_list("community__street_id", "n")
    )
    return dict(rows)


def star_targets(district: District, year: int) -> dict[int, tuple[int, int]]:
    """{street id: (communities with a 目标星级 for Y, of which rated at least that)}: the
    plan's star targets met, in one query."""
    met = StarRating.objects.filter(
        community=OuterRef("community"), year=year, stars__gte=OuterRef("stars")
    )
    rows = (
        StarTarget.objects.filter(community__street__district=district, year=year)
        .annotate(met=Exists(met))
        .order_by()
        .values("community__street_id")
        .annotate(n=Count("pk"), done=Count("pk", filter=Q(met=True)))
        .values_list("community__street_id", "n", "done")
    )
    return {sid: (n, done) for sid, n, done in rows}


def reporting_board(
    user: User, district: District, year: int, today: dt.date, street_id: int | None = None
) -> periods.DistrictBoard:
    """Street × period of the district's reporting (`street_id`: that street only) in four
    queries whatever the number of streets and communities: the streets, their calendars,
    the communities `user` may see, the year's submissions."""
    streets = Street.objects.filter(district=district).order_by("name")
    if street_id is not None:
        streets = streets.filter(pk=street_id)
    named = list(streets.values_list("pk", "name"))
    stored = {
        c.street_id: c
        for c in ReportingCalendar.objects.filter(street_id__in=[p for p, _ in named])
    }
    calendars = []
    for pk, name in named:
        cal = stored.get(pk) or ReportingCalendar(street_id=pk)  # the default, as calendar_for
        calendars.append(periods.StreetCalendar(pk, name, cal.cadence, cal.deadline_day))
    cadence = {c.street_id: c.cadence for c in calendars}
    communities: dict[int, list[tuple[int, str]]] = {}
    street_of: dict[int, int] = {}
    for pk, name, sid in (
        scope.visible_communities(user)
        .filter(street_id__in=list(cadence))
        .order_by("name")
        .values_list("pk", "name", "street_id")
    ):
        communities.setdefault(sid, []).append((pk, name))
        street_of[pk] = sid
    subs: dict[int, dict[tuple[int, dt.date], yb.Sub]] = {}
    # Plain tuples, not model instances: a district holds thousands of submissions a year.
    # The first submission's local day is worked out by the database (a date is cheaper to
    # read than a time stamp with its zone, then moved to local time, 3,000 times a page).
    for pk, cid, sub_cadence, start, status, due, first in (
        PeriodSubmission.objects.filter(community_id__in=list(street_of), year=year)
        .order_by()
        .annotate(first_day=TruncDate("first_submitted_at", tzinfo=timezone.get_current_timezone()))
        .values_list("pk", "community_id", "cadence", "start", "status", "due", "first_day")
    ):
        sid = street_of[cid]
        if sub_cadence == cadence[sid]:  # a period of an earlier calendar is not on the board
            subs.setdefault(sid, {})[(cid, start)] = yb.Sub(pk, status, due, first)
    return periods.build(year, calendars, communities, subs, today)
