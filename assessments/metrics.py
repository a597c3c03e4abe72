"""The metric registry: what can be counted from the records.

Modelled on Zulip's analytics/lib/counts.py, where each statistic pairs a name with the
query that computes it. Here each metric takes the run's context (communities, year Y,
as-of date D) and the indicator's parameters, and returns {community_id: MetricValue} for
ALL communities of the run from one query (two for B5 and B9) — never a query per
community. Communities with nothing counted are absent (read them as MetricValue()).

MetricValue.ids are the evidence: the primary keys of the records that were counted, of
the metric's `model`. The definitions are those of assessment.md ("Definitions").

Where the evidence is not wanted (the dashboard, a city-wide assessment) each metric also
has a *tally*: the same count as SQL expressions correlated to a Community row, so that ONE
query on Community answers every metric of every community (`tally()`, and services, which
adds the population and the bonus and deduction to that query). The two forms count the
same records; tests/assessments/test_tally.py holds them to it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from django.db.models import (
    Aggregate,
    Count,
    Exists,
    F,
    JSONField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import JSONObject

from activities.models import (
    Activity,
    ActivityCategory,
    ActivityPartner,
    ActivityScale,
    ActivityStatus,
    Brand,
    BrandCategory,
)
from communities.models import (
    Award,
    Community,
    Deduction,
    Population,
    StarRating,
    StarTarget,
)
from facilities.models import CULTURE_ROOM_KINDS, Facility, FacilityKind, FacilityStatus, Ownership
from teams.models import LEVEL_RANK, Cadre, Certificate, Team, TeamCategory, TeamHonour, Volunteer

from . import rules


@dataclass(frozen=True)
class CadreDeadlines:
    """B5's parameters (scheme data): ≥ basic_years → basic level, ≥ senior_years → senior."""

    basic_years: int = 1
    basic_level: str = "三级"
    senior_years: int = 3
    senior_level: str = "一级"


@dataclass(frozen=True)
class MetricContext:
    community_ids: tuple[int, ...]
    year: int
    as_of: dt.date
    cadre: CadreDeadlines = field(default_factory=CadreDeadlines)

    @property
    def year_start(self) -> dt.date:
        return dt.date(self.year, 1, 1)


@dataclass(frozen=True)
class MetricValue:
    value: int | Decimal = 0
    ids: tuple[int, ...] = ()
    # Secondary figures a rule or a gap needs (the excellent teams, the denominator of a
    # ratio, which items are present…); JSON-serialisable.
    parts: Mapping[str, Any] = field(default_factory=dict)


Compute = Callable[[MetricContext, Mapping[str, Any]], dict[int, MetricValue]]


@dataclass(frozen=True)
class Tally:
    """A metric counted without its evidence: named aggregates over SOURCES (one community's
    rows), and how their values make the community's MetricValue (None: nothing counted, as
    when compute() leaves the community out)."""

    columns: Callable[[MetricContext, Mapping[str, Any]], dict[str, Column]]
    value: Callable[[Mapping[str, Any], Mapping[str, Any]], MetricValue | None]


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    model: str  # app_label.model_name of the evidence ids
    unit: str
    compute: Compute
    tally: Tally | None = None
    # How a shortfall reads, with {n} the missing amount ("还差{n}次文化活动").
    gap: str = ""
    gap_extra: str = ""  # the second part of a two-part rule (excellent teams)
    gap_none: str = ""  # a ratio with nothing to count


METRICS: dict[str, Metric] = {}


def register(metric: Metric) -> Metric:
    METRICS[metric.key] = metric
    return metric


def choices() -> list[tuple[str, str]]:
    return [(k, m.label) for k, m in METRICS.items()]


# --- shared definitions ----------------------------------------------------------------------


def counted_activities(ctx: MetricContext) -> QuerySet[Activity]:
    """已审核, 活动日期 in Y and not after D (a provisional run counts what happened so far)."""
    return Activity.objects.filter(
        status=ActivityStatus.VERIFIED, date__gte=ctx.year_start, date__lte=ctx.as_of
    )


def in_use_at(as_of: dt.date) -> QuerySet[Facility]:
    return Facility.objects.filter(status=FacilityStatus.IN_USE).filter(
        Q(opened_on__isnull=True) | Q(opened_on__lte=as_of)
    )


def facilities_in_use(ctx: MetricContext) -> QuerySet[Facility]:
    return in_use_at(ctx.as_of).filter(community_id__in=ctx.community_ids)


def valid_certificates(as_of: dt.date) -> QuerySet[Certificate]:
    """发证日期 ≤ D (blank = not valid) and 失效日期 blank or > D."""
    return Certificate.objects.filter(issued_on__lte=as_of).filter(
        Q(expires_on__isnull=True) | Q(expires_on__gt=as_of)
    )


def cadres_in_office(as_of: dt.date) -> QuerySet[Cadre]:
    return Cadre.objects.filter(appointed_on__lte=as_of).filter(
        Q(left_on__isnull=True) | Q(left_on__gt=as_of)
    )


def active_cadres(ctx: MetricContext) -> QuerySet[Cadre]:
    return cadres_in_office(ctx.as_of).filter(community_id__in=ctx.community_ids)


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


def active_brands(year: int, category: str) -> QuerySet[Brand]:
    return Brand.objects.filter(category=category, recognised_year__lte=year).filter(
        Q(revoked_year__isnull=True) | Q(revoked_year__gt=year)
    )


def _group(rows: Iterable[tuple[int, int]]) -> dict[int, list[int]]:
    out: dict[int, list[int]] = defaultdict(list)
    for community_id, pk in rows:
        out[community_id].append(pk)
    return out


def _counts(rows: Iterable[tuple[int, int]]) -> dict[int, MetricValue]:
    return {cid: MetricValue(len(ids), tuple(ids)) for cid, ids in _group(rows).items()}


def _share(ok: dict[int, list[int]], lacking: dict[int, list[int]]) -> dict[int, MetricValue]:
    """A ratio's numerator (value, ids) with its denominator and the rest kept in parts."""
    return {
        cid: MetricValue(
            len(ok[cid]),
            tuple(ok[cid]),
            {"total": len(ok[cid]) + len(lacking[cid]), "lacking_ids": lacking[cid]},
        )
        for cid in set(ok) | set(lacking)
    }


# --- facilities ------------------------------------------------------------------------------


def _culture_room_area(ctx: MetricContext, params: Mapping[str, Any]) -> dict[int, MetricValue]:
    rows = facilities_in_use(ctx).filter(kind__in=CULTURE_ROOM_KINDS).order_by("pk")
    area: dict[int, Decimal] = defaultdict(Decimal)
    ids: dict[int, list[int]] = defaultdict(list)
    for cid, pk, a in rows.values_list("community_id", "pk", "area"):
        area[cid] += a or Decimal(0)  # a blank area counts 0
        ids[cid].append(pk)
    return {cid: MetricValue(area[cid], tuple(ids[cid])) for cid in ids}


def _item_presence(
    found: Mapping[int, set[str]], items: list[dict], key: str
) -> dict[int, MetricValue]:
    """Which of the scheme's items (by facility kinds or cadre posts) a community has."""
    out = {}
    for cid, kinds in found.items():
        present = [bool(kinds & set(item.get(key, []))) for item in items]
        out[cid] = MetricValue(sum(present), (), {"present": present})
    return out


def _items_metric(
    rows: Iterable[tuple[int, int, str]], items: list[dict], key: str
) -> dict[int, MetricValue]:
    wanted = {k for item in items for k in item.get(key, [])}
    found: dict[int, set[str]] = defaultdict(set)
    ids: dict[int, list[int]] = defaultdict(list)
    for cid, pk, kind in rows:
        if kind in wanted:
            found[cid].add(kind)
            ids[cid].append(pk)
    out = _item_presence(found, items, key)
    return {cid: MetricValue(v.value, tuple(ids[cid]), v.parts) for cid, v in out.items()}


def _function_rooms(ctx: MetricContext, params: Mapping[str, Any]) -> dict[int, MetricValue]:
    items = list(params.get("items", []))
    kinds = {k for item in items for k in item.get("kinds", [])}
    rows = (
        facilities_in_use(ctx)
        .filter(kind__in=kinds)
        .order_by("pk")
        .values_list("community_id", "pk", "kind")
    )
    return _items_metric(rows, items, "kinds")


def _shared_free(ctx: MetricContext, params: Mapping[str, Any]) -> dict[int, MetricValue]:
    rows = facilities_in_use(ctx).filter(ownership=Ownership.SHARED, free_open=True).order_by("pk")
    return _counts(rows.values_list("community_id", "pk"))


def _fitness_sets(ctx: MetricContext, params: Mapping[str, Any]) -> dict[int, MetricValue]:
    rows = facilities_in_use(ctx).filter(kind=FacilityKind.FITNESS_PATH).order_by("pk")
    sets: dict[int, int] = defaultdict(int)
    ids: dict[int, list[int]] = defaultdict(list)
    for cid, pk, n in rows.values_list("community_id", "pk", "sets"):
        sets[cid] += n
        ids[cid].append(pk)
    return {cid: MetricValue(sets[cid], tuple(ids[cid])) for cid in ids}


def _indoor_sports(ctx: MetricContext, params: Mapping[str, Any]) -> dict[int, MetricValue]:
    rows = facilities_in_use(ctx).filter(kind=FacilityKind.INDOOR_SPORTS).order_by("pk")
    return _counts(rows.values_list("community_id", "pk"))


# --- teams, volunteers, instructors, cadres -----------------------------------------------------


def _teams(category: str) -> Compute:
    def compute(ctx: MetricContext, params: Mapping[str, Any]) -> dict[int, MetricValue]:
        rows = (
            active_teams(ctx)
            .filter(community_id__in=ctx.community_ids, category=category)
            .annotate(excellent=excellent_honour(ctx))
            .order_by("pk")
            .values_list("community_id", "pk", "excellent")
        )
        active: dict[int, list[int]] = defaultdict(list)
        excellent: dict[int, list[int]] = defaultdict(list)
        for cid, pk, is_excellent in rows:
            active[cid].append(pk)
            if is_excellent:
                excellent[cid].append(pk)
        return {
            cid: MetricValue(
                len(ids),
                tuple(ids),
                {"excellent": len(excellent[cid]), "excellent_ids": excellent[cid]},
            )
            for cid, ids in active.items()
        }

    return compute


def _volunteers(ctx: MetricContext, params: Mapping[str, Any]) -> dict[int, MetricValue]:
    rows = active_volunteers(ctx.as_of).filter(community_id__in=ctx.community_ids).order_by("pk")
    return _counts(rows.values_list("community_id", "pk"))


def _best_certificates(ctx: MetricContext) -> dict[int, dict[int, tuple[int, int]]]:
    """{community: {person: (rank, certificate id)}}: each active instructor once, at their
    highest level among the valid certificates of that community."""
    rows = (
        valid_certificates(ctx.as_of)
        .filter(community_id__in=ctx.community_ids)
        .order_by("pk")
        .values_list("community_id", "person_id", "pk", "level")
    )
    best: dict[int, dict[int, tuple[int, int]]] = defaultdict(dict)
    for cid, person, pk, level in rows:
        rank = LEVEL_RANK[level]
        if person not in best[cid] or rank > best[cid][person][0]:
            best[cid][person] = (rank, pk)
    return best


def _instructors(
    ctx: MetricContext, params: Mapping[str, Any], min_rank: int = 0
) -> dict[int, MetricValue]:
    out = {}
    for cid, persons in _best_certificates(ctx).items():
        ids = sorted(pk for rank, pk in persons.values() if rank >= min_rank)
        if ids:
            out[cid] = MetricValue(len(ids), tuple(ids))
    return out


def _senior_instructors(ctx: MetricContext, params: Mapping[str, Any]) -> dict[int, MetricValue]:
    return _instructors(ctx, params, LEVEL_RANK[params.get("min_level", "一级")])


def _cadre_posts(ctx: MetricContext, params: Mapping[str, Any]) -> dict[int, MetricValue]:
    rows = active_cadres(ctx).order_by("pk").values_list("community_id", "pk", "post")
    return _items_metric(rows, list(params.get("items", [])), "posts")


def _cadre_certified(ctx: MetricContext, params: Mapping[str, Any]) -> dict[int, MetricValue]:
    """B5: per active cadre row, is the certificate the years in office require held at D?"""
    cadres = active_cadres(ctx)
    rows = list(
        cadres.order_by("pk").values_list("community_id", "pk", "person_id", "appointed_on")
    )
    # The person's certificates of any community count (the person, via 人员编号).
    held: dict[int, int] = defaultdict(int)
    certs = valid_certificates(ctx.as_of).filter(person_id__in=cadres.values("person_id"))
    for person, level in certs.order_by().values_list("person_id", "level"):
        held[person] = max(held[person], LEVEL_RANK[level])
    d = ctx.cadre
    compliant: dict[int, list[int]] = defaultdict(list)
    lacking: dict[int, list[int]] = defaultdict(list)
    for cid, pk, person, appointed_on in rows:
        need = rules.cadre_required_rank(
            appointed_on,
            ctx.as_of,
            d.basic_years,
            LEVEL_RANK[d.basic_level],
            d.senior_years,
            LEVEL_RANK[d.senior_level],
        )
        (compliant if held[person] >= need else lacking)[cid].append(pk)
    return _share(compliant, lacking)


# --- activities and brands -------------------------------------------------------------------


def _activities(**filters: Any) -> Compute:
    def compute(ctx: MetricContext, params: Mapping[str, Any]) -> dict[int, MetricValue]:
        rows = (
            counted_activities(ctx)
            .filter(community_id__in=ctx.community_ids, **filters)
            .order_by("pk")
        )
        return _counts(rows.values_list("community_id", "pk"))

    return compute


def _exchanges(ctx: MetricContext, params: Mapping[str, Any]) -> dict[int, MetricValue]:
    """A6: 文化走亲 activities credited to the host and to each listed partner, once each."""
    members = set(ctx.community_ids)
    rows = (
        counted_activities(ctx)
        .filter(is_exchange=True)
        .filter(
            Q(community_id__in=ctx.community_ids)
            | Q(partner_links__community_id__in=ctx.community_ids)
        )
        .order_by()
        .values_list("pk", "community_id", "partner_links__community_id")
        .distinct()
    )
    credited: dict[int, set[int]] = defaultdict(set)
    for pk, host, partner in rows:
        for cid in (host, partner):
            if cid in members:
                credited[cid].add(pk)
    return {cid: MetricValue(len(ids), tuple(sorted(ids))) for cid, ids in credited.items()}


def _archive_complete(ctx: MetricContext, params: Mapping[str, Any]) -> dict[int, MetricValue]:
    """A10: counted activities (culture and sports) with all five 五有 items / all counted."""
    rows = (
        counted_activities(ctx)
        .filter(community_id__in=ctx.community_ids)
        .order_by("pk")
        .values_list(
            "community_id",
            "pk",
            "has_plan",
            "has_arrangement",
            "has_material",
            "has_image",
            "has_summary",
        )
    )
    complete: dict[int, list[int]] = defaultdict(list)
    lacking: dict[int, list[int]] = defaultdict(list)
    for cid, pk, *slots in rows:
        (complete if all(slots) else lacking)[cid].append(pk)
    return _share(complete, lacking)


def _brands(category: str) -> Compute:
    def compute(ctx: MetricContext, params: Mapping[str, Any]) -> dict[int, MetricValue]:
        rows = (
            active_brands(ctx.year, category)
            .filter(community_id__in=ctx.community_ids)
            .order_by("pk")
        )
        return _counts(rows.values_list("community_id", "pk"))

    return compute


# --- stars -----------------------------------------------------------------------------------


def _star_rating(ctx: MetricContext, params: Mapping[str, Any]) -> dict[int, MetricValue]:
    """B9: S = highest 星级 of year Y (none = 0), with T = 目标星级 of Y (None when not set)."""
    targets = dict(
        StarTarget.objects.filter(community_id__in=ctx.community_ids, year=ctx.year)
        .order_by()
        .values_list("community_id", "stars")
    )
    best: dict[int, tuple[int, int]] = {}
    ratings = StarRating.objects.filter(community_id__in=ctx.community_ids, year=ctx.year).order_by(
        "pk"
    )
    for cid, pk, stars in ratings.values_list("community_id", "pk", "stars"):
        if cid not in best or stars > best[cid][0]:
            best[cid] = (stars, pk)
    out = {}
    for cid in set(targets) | set(best):
        stars, pk = best.get(cid, (0, None))
        out[cid] = MetricValue(stars, (pk,) if pk else (), {"target": targets.get(cid)})
    return out


# --- tallies: the same counts as SQL, one query for every metric -----------------------------
#
# A tally names aggregates over one of the SOURCES (a table's rows that metrics count, before
# the community filter). tally_annotations() puts, per source, ONE correlated subquery on the
# Community row that returns all the wanted aggregates of that source as a JSON object, so
# each table is read once per community whatever the number of metrics; tally_row() reads
# each metric's figures back out of those objects.


def _counted_partners(ctx: MetricContext) -> QuerySet[ActivityPartner]:
    """走亲社区 rows of the counted 文化走亲 activities."""
    return ActivityPartner.objects.filter(
        activity__status=ActivityStatus.VERIFIED,
        activity__is_exchange=True,
        activity__date__gte=ctx.year_start,
        activity__date__lte=ctx.as_of,
    )


SOURCES: dict[str, Callable[[MetricContext], QuerySet]] = {
    "activities": counted_activities,
    "partners": _counted_partners,
    "facilities": lambda ctx: in_use_at(ctx.as_of),
    "teams": lambda ctx: active_teams(ctx),
    "volunteers": lambda ctx: active_volunteers(ctx.as_of),
    "certificates": lambda ctx: valid_certificates(ctx.as_of),
    "cadres": lambda ctx: cadres_in_office(ctx.as_of),
    "brands": lambda ctx: Brand.objects.filter(recognised_year__lte=ctx.year).filter(
        Q(revoked_year__isnull=True) | Q(revoked_year__gt=ctx.year)
    ),
    "ratings": lambda ctx: StarRating.objects.filter(year=ctx.year),
    "targets": lambda ctx: StarTarget.objects.filter(year=ctx.year),
    "awards": lambda ctx: Award.objects.filter(year=ctx.year),
    "deductions": lambda ctx: Deduction.objects.filter(year=ctx.year),
}


class Column(NamedTuple):
    source: str  # a key of SOURCES
    aggregate: Aggregate  # over that source's rows of one community


Columns = dict[str, Column]


def _n(
    source: str, condition: Q | None = None, field: str = "pk", distinct: bool = False
) -> Column:
    return Column(source, Count(field, filter=condition, distinct=distinct))


def _decimal(x: Any, places: int) -> Decimal:
    """A SUM read back from JSON (a float on SQLite) as the exact sum of `places`-decimal
    values it is."""
    return Decimal(str(x or 0)).quantize(Decimal(1).scaleb(-places))


def _count_value(row: Mapping[str, Any], params: Mapping[str, Any]) -> MetricValue | None:
    return MetricValue(row["n"]) if row["n"] else None


def _count_of(source: str, condition: Callable[[MetricContext], Q | None]) -> Tally:
    return Tally(lambda ctx, params: {"n": _n(source, condition(ctx))}, _count_value)


def _culture_room_columns(ctx: MetricContext, params: Mapping[str, Any]) -> Columns:
    rooms = Q(kind__in=CULTURE_ROOM_KINDS)
    return {"area": Column("facilities", Sum("area", filter=rooms)), "n": _n("facilities", rooms)}


def _culture_room_value(row: Mapping[str, Any], params: Mapping[str, Any]) -> MetricValue | None:
    places = Facility._meta.get_field("area").decimal_places
    return MetricValue(_decimal(row["area"], places)) if row["n"] else None


def _fitness_columns(ctx: MetricContext, params: Mapping[str, Any]) -> Columns:
    path = Q(kind=FacilityKind.FITNESS_PATH)
    return {"sets": Column("facilities", Sum("sets", filter=path)), "n": _n("facilities", path)}


def _fitness_value(row: Mapping[str, Any], params: Mapping[str, Any]) -> MetricValue | None:
    return MetricValue(int(row["sets"] or 0)) if row["n"] else None


def _items_tally(source: str, field: str, key: str) -> Tally:
    """Which of the scheme's items (facility kinds, cadre posts) a community has."""

    def wanted(params: Mapping[str, Any]) -> list[str]:
        return sorted({k for item in params.get("items", []) for k in item.get(key, [])})

    def columns(ctx: MetricContext, params: Mapping[str, Any]) -> Columns:
        return {f"k{i}": _n(source, Q(**{field: k})) for i, k in enumerate(wanted(params))}

    def value(row: Mapping[str, Any], params: Mapping[str, Any]) -> MetricValue | None:
        found = {k for i, k in enumerate(wanted(params)) if row[f"k{i}"]}
        if not found:
            return None
        return _item_presence({0: found}, list(params.get("items", [])), key)[0]

    return Tally(columns, value)


def _ratio_value(row: Mapping[str, Any], params: Mapping[str, Any]) -> MetricValue | None:
    return MetricValue(row["n"], (), {"total": row["total"]}) if row["total"] else None


def _teams_tally(category: str) -> Tally:
    def columns(ctx: MetricContext, params: Mapping[str, Any]) -> Columns:
        mine = Q(category=category)
        return {"n": _n("teams", mine), "excellent": _n("teams", mine & Q(excellent_honour(ctx)))}

    def value(row: Mapping[str, Any], params: Mapping[str, Any]) -> MetricValue | None:
        return MetricValue(row["n"], (), {"excellent": row["excellent"]}) if row["n"] else None

    return Tally(columns, value)


def _instructors_tally(min_level: str | None) -> Tally:
    """Persons with a valid certificate of the community; each once (COUNT DISTINCT person),
    at the highest level: a person counts at ≥ L iff one of their certificates is ≥ L."""

    def columns(ctx: MetricContext, params: Mapping[str, Any]) -> Columns:
        condition = None
        if min_level is not None:
            rank = LEVEL_RANK[params.get("min_level", min_level)]
            condition = Q(level__in=[lv for lv, r in LEVEL_RANK.items() if r >= rank])
        return {"n": _n("certificates", condition, "person_id", distinct=True)}

    return Tally(columns, _count_value)


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
    """B5 for one cadre row, as SQL: rules.cadre_required_rank met by the person's best
    certificate (in office under basic_years: nothing required)."""
    senior = in_office_for(as_of, d.senior_years)
    basic = in_office_for(as_of, d.basic_years)
    return (
        (senior & Q(holds_level(as_of, LEVEL_RANK[d.senior_level])))
        | (~senior & basic & Q(holds_level(as_of, LEVEL_RANK[d.basic_level])))
        | (~senior & ~basic)
    )


def _cadre_certified_columns(ctx: MetricContext, params: Mapping[str, Any]) -> Columns:
    return {"n": _n("cadres", cadre_compliant(ctx.as_of, ctx.cadre)), "total": _n("cadres")}


def _exchange_columns(ctx: MetricContext, params: Mapping[str, Any]) -> Columns:
    """Hosted 文化走亲 activities, plus those listing the community whose host is another:
    each activity once, as compute() credits it."""
    return {
        "host": _n("activities", Q(is_exchange=True)),
        "guest": _n("partners", ~Q(activity__community_id=F("community_id")), "activity_id", True),
    }


def _exchange_value(row: Mapping[str, Any], params: Mapping[str, Any]) -> MetricValue | None:
    n = (row["host"] or 0) + (row["guest"] or 0)
    return MetricValue(n) if n else None


def _archive_columns(ctx: MetricContext, params: Mapping[str, Any]) -> Columns:
    five = Q(
        has_plan=True, has_arrangement=True, has_material=True, has_image=True, has_summary=True
    )
    return {"n": _n("activities", five), "total": _n("activities")}


def _star_columns(ctx: MetricContext, params: Mapping[str, Any]) -> Columns:
    return {"stars": Column("ratings", Max("stars")), "target": Column("targets", Max("stars"))}


def _star_value(row: Mapping[str, Any], params: Mapping[str, Any]) -> MetricValue | None:
    if row["stars"] is None and row["target"] is None:
        return None
    return MetricValue(row["stars"] or 0, (), {"target": row["target"]})


def _activities_tally(**filters: Any) -> Tally:
    return _count_of("activities", lambda ctx: Q(**filters))


def _brands_tally(category: str) -> Tally:
    return _count_of("brands", lambda ctx: Q(category=category))


# --- the registry ----------------------------------------------------------------------------

for _metric in (
    Metric(
        "culture_room_area",
        "文化活动室面积（在用）",
        "facilities.facility",
        "㎡",
        _culture_room_area,
        tally=Tally(_culture_room_columns, _culture_room_value),
        gap="文化活动室面积还差{n}㎡",
    ),
    Metric(
        "function_rooms",
        "功能室配置（在用）",
        "facilities.facility",
        "项",
        _function_rooms,
        tally=_items_tally("facilities", "kind", "kinds"),
        gap="还差：{items}",
    ),
    Metric(
        "shared_free_facilities",
        "共建共享且免费开放的在用设施",
        "facilities.facility",
        "处",
        _shared_free,
        tally=_count_of("facilities", lambda ctx: Q(ownership=Ownership.SHARED, free_open=True)),
        gap="还差{n}处共建共享且免费开放的设施",
    ),
    Metric(
        "fitness_path_sets",
        "健身路径套数（在用）",
        "facilities.facility",
        "套",
        _fitness_sets,
        tally=Tally(_fitness_columns, _fitness_value),
        gap="还差{n}套健身路径",
    ),
    Metric(
        "indoor_sports_rooms",
        "室内体育活动室（在用）",
        "facilities.facility",
        "个",
        _indoor_sports,
        tally=_count_of("facilities", lambda ctx: Q(kind=FacilityKind.INDOOR_SPORTS)),
        gap="还差{n}个室内体育活动室",
    ),
    Metric(
        "culture_teams",
        "文化团队（在册）与优秀文化团队",
        "teams.team",
        "支",
        _teams(TeamCategory.CULTURE),
        tally=_teams_tally(TeamCategory.CULTURE),
        gap="还差{n}支文化团队",
        gap_extra="还差{n}支优秀文化团队",
    ),
    Metric(
        "sports_teams",
        "体育团队（在册）与优秀体育团队",
        "teams.team",
        "支",
        _teams(TeamCategory.SPORTS),
        tally=_teams_tally(TeamCategory.SPORTS),
        gap="还差{n}支体育团队",
        gap_extra="还差{n}支优秀体育团队",
    ),
    Metric(
        "volunteers",
        "文体志愿者（在册）",
        "teams.volunteer",
        "名",
        _volunteers,
        tally=_count_of("volunteers", lambda ctx: None),
        gap="还差{n}名文体志愿者",
    ),
    Metric(
        "instructors",
        "社会体育指导员（持有效证书）",
        "teams.certificate",
        "名",
        _instructors,
        tally=_instructors_tally(None),
        gap="还差{n}名社会体育指导员",
    ),
    Metric(
        "senior_instructors",
        "一级及以上社会体育指导员",
        "teams.certificate",
        "名",
        _senior_instructors,
        tally=_instructors_tally("一级"),
        gap="还差{n}名一级及以上社会体育指导员",
    ),
    Metric(
        "cadre_posts",
        "文体骨干配置（在任）",
        "teams.cadre",
        "项",
        _cadre_posts,
        tally=_items_tally("cadres", "post", "posts"),
        gap="还差：{items}",
    ),
    Metric(
        "cadre_certified",
        "按期持证的文体干部",
        "teams.cadre",
        "名",
        _cadre_certified,
        tally=Tally(_cadre_certified_columns, _ratio_value),
        gap="有{n}名文体干部未按期取得社会体育指导员证书",
        gap_none="没有在任的文体干部",
    ),
    Metric(
        "culture_activities",
        "文化活动（已审核）",
        "activities.activity",
        "次",
        _activities(category=ActivityCategory.CULTURE),
        tally=_activities_tally(category=ActivityCategory.CULTURE),
        gap="还差{n}次文化活动",
    ),
    Metric(
        "culture_activities_large",
        "大中型文化活动（已审核）",
        "activities.activity",
        "次",
        _activities(
            category=ActivityCategory.CULTURE, scale__in=(ActivityScale.LARGE, ActivityScale.MEDIUM)
        ),
        tally=_activities_tally(
            category=ActivityCategory.CULTURE, scale__in=(ActivityScale.LARGE, ActivityScale.MEDIUM)
        ),
        gap="还差{n}次大中型文化活动",
    ),
    Metric(
        "exchange_activities",
        "文化走亲（主办或受邀）",
        "activities.activity",
        "次",
        _exchanges,
        tally=Tally(_exchange_columns, _exchange_value),
        gap="还差{n}次文化走亲",
    ),
    Metric(
        "sports_activities",
        "单项比赛/健身活动（已审核）",
        "activities.activity",
        "次",
        _activities(category=ActivityCategory.SPORTS),
        tally=_activities_tally(category=ActivityCategory.SPORTS),
        gap="还差{n}次单项比赛或健身活动",
    ),
    Metric(
        "archive_complete",
        "台账“五有”齐全的活动",
        "activities.activity",
        "次",
        _archive_complete,
        tally=Tally(_archive_columns, _ratio_value),
        gap="有{n}次活动台账未达“五有”",
        gap_none="本年度没有计入的活动",
    ),
    Metric(
        "culture_brands",
        "示范文化品牌（有效）",
        "activities.brand",
        "个",
        _brands(BrandCategory.CULTURE),
        tally=_brands_tally(BrandCategory.CULTURE),
        gap="还差{n}个示范文化品牌",
    ),
    Metric(
        "sports_brands",
        "特色体育项目（有效）",
        "activities.brand",
        "个",
        _brands(BrandCategory.SPORTS),
        tally=_brands_tally(BrandCategory.SPORTS),
        gap="还差{n}个特色体育项目",
    ),
    Metric(
        "star_rating",
        "星级评定",
        "communities.starrating",
        "星",
        _star_rating,
        tally=Tally(_star_columns, _star_value),
        gap="星级未达标：目标{target}星，已评{value}星",
    ),
):
    register(_metric)


# --- inputs of a run that are not indicators --------------------------------------------------


@dataclass(frozen=True)
class PopulationRow:
    residents: int
    year: int
    pk: int | None = None  # None when read from an assessment's outcome


def populations(ctx: MetricContext) -> dict[int, PopulationRow]:
    """P: the latest Population row with year ≤ Y and residents set (team brief)."""
    rows = (
        Population.objects.filter(
            community_id__in=ctx.community_ids, year__lte=ctx.year, residents__isnull=False
        )
        .order_by("community_id", "-year")
        .values_list("community_id", "residents", "year", "pk")
    )
    out: dict[int, PopulationRow] = {}
    for cid, residents, year, pk in rows:
        out.setdefault(cid, PopulationRow(residents, year, pk))
    return out


def awards(ctx: MetricContext) -> dict[int, list[tuple[int, str]]]:
    """获奖 rows of year Y: {community: [(id, level)]}."""
    out: dict[int, list[tuple[int, str]]] = defaultdict(list)
    rows = Award.objects.filter(community_id__in=ctx.community_ids, year=ctx.year).order_by("pk")
    for cid, pk, level in rows.values_list("community_id", "pk", "level"):
        out[cid].append((pk, level))
    return out


def deductions(ctx: MetricContext) -> dict[int, list[tuple[int, Decimal, bool]]]:
    """扣分 rows of year Y: {community: [(id, points, veto)]}."""
    out: dict[int, list[tuple[int, Decimal, bool]]] = defaultdict(list)
    rows = Deduction.objects.filter(community_id__in=ctx.community_ids, year=ctx.year).order_by(
        "pk"
    )
    for cid, pk, points, veto in rows.values_list("community_id", "pk", "points", "veto"):
        out[cid].append((pk, points, veto))
    return out


# --- tallied: every metric, the population, the bonus and the deduction in one query ----------


def tally_columns(ctx: MetricContext, requests: Sequence[tuple[str, Mapping[str, Any]]]) -> Columns:
    """The columns of each requested (metric key, params), named m<n>_<name>."""
    columns: Columns = {}
    for n, (key, params) in enumerate(requests):
        tally_of = METRICS[key].tally
        if tally_of is None:
            raise ValueError(f"统计口径“{key}”没有不带证据的计数方式。")
        for name, column in tally_of.columns(ctx, params).items():
            columns[f"m{n}_{name}"] = column
    return columns


def tally_annotations(ctx: MetricContext, columns: Columns) -> dict[str, Any]:
    """One correlated subquery per source on the Community row (named src_<source>): the
    JSON object of that source's wanted aggregates for the community (NULL: no rows)."""
    by_source: dict[str, dict[str, Aggregate]] = defaultdict(dict)
    for name, column in columns.items():
        by_source[column.source][name] = column.aggregate
    return {
        f"src_{source}": figures_of(SOURCES[source](ctx), aggregates)
        for source, aggregates in by_source.items()
    }


def figures_of(rows: QuerySet, aggregates: Mapping[str, Aggregate]) -> Subquery:
    """The aggregates over the outer Community row's `rows`, as one JSON object (a
    correlated subquery; NULL when the community has no such rows)."""
    one = (
        rows.filter(community_id=OuterRef("pk"))
        .order_by()
        .values("community_id")
        .annotate(_figures=JSONObject(**aggregates))
    )
    return Subquery(one.values("_figures"), output_field=JSONField())


def decoded(figures: Any) -> dict[str, Any]:
    """A JSON object column as a dict ({} for NULL; text from a backend that hands it so)."""
    if isinstance(figures, str):
        figures = json.loads(figures)
    return figures or {}


def tally_figures(row: Mapping[str, Any], columns: Columns) -> dict[str, Any]:
    """{column name: value} of one Community row (None where its source had no rows)."""
    sources = {source: decoded(row.get(f"src_{source}")) for source in SOURCES}
    return {name: sources[column.source].get(name) for name, column in columns.items()}


def tally_row(
    requests: Sequence[tuple[str, Mapping[str, Any]]], figures: Mapping[str, Any]
) -> list[MetricValue | None]:
    """Each request's MetricValue from a community's figures (None: nothing counted)."""
    mine: list[dict[str, Any]] = [{} for _ in requests]
    for name, value in figures.items():
        if name.startswith("m"):
            n, _, column = name[1:].partition("_")
            mine[int(n)][column] = value
    return [METRICS[key].tally.value(mine[n], params) for n, (key, params) in enumerate(requests)]


def tally(
    ctx: MetricContext, requests: Sequence[tuple[str, Mapping[str, Any]]]
) -> list[dict[int, MetricValue]]:
    """Each requested metric for every community of ctx, from ONE query, in the registry's
    shape ({community id: MetricValue}) but without evidence ids."""
    columns = tally_columns(ctx, requests)
    rows = (
        Community.objects.filter(pk__in=ctx.community_ids)
        .order_by()
        .values("pk", **tally_annotations(ctx, columns))
    )
    out: list[dict[int, MetricValue]] = [{} for _ in requests]
    for row in rows:
        for n, value in enumerate(tally_row(requests, tally_figures(row, columns))):
            if value is not None:
                out[n][row["pk"]] = value
    return out


def population_annotation(ctx: MetricContext) -> dict[str, Any]:
    """populations() as one column of the Community row: the latest row's figures as JSON."""
    latest = (
        Population.objects.filter(
            community_id=OuterRef("pk"), year__lte=ctx.year, residents__isnull=False
        )
        .order_by("-year")
        .values(_row=JSONObject(residents="residents", year="year", pk="pk"))[:1]
    )
    return {"population": Subquery(latest, output_field=JSONField())}


def population_value(row: Mapping[str, Any]) -> PopulationRow | None:
    found = decoded(row["population"])
    if not found:
        return None
    return PopulationRow(found["residents"], found["year"], found["pk"])


def adjustment_columns(levels: Sequence[str]) -> Columns:
    """The awards of Y per level (the bonus) and the deductions of Y (sum, veto)."""
    columns = {f"award_{i}": _n("awards", Q(level=lv)) for i, lv in enumerate(levels)}
    columns["deduction"] = Column("deductions", Sum("points"))
    columns["veto"] = _n("deductions", Q(veto=True))
    return columns


def adjustment_values(figures: Mapping[str, Any], levels: Sequence[str]) -> tuple:
    """(awards per level, the deductions' sum, veto) from a community's figures."""
    places = Deduction._meta.get_field("points").decimal_places
    awards_by_level = [figures[f"award_{i}"] or 0 for i in range(len(levels))]
    return awards_by_level, _decimal(figures["deduction"], places), bool(figures["veto"])
