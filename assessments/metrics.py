"""The metric registry: what can be counted from the records.

Modelled on Zulip's analytics/lib/counts.py, where each statistic pairs a name with the
query that computes it. Here each metric takes the run's context (communities, year Y,
as-of date D) and the indicator's parameters, and returns {community_id: MetricValue} for
ALL communities of the run from one query (two for B5 and B9) — never a query per
community. Communities with nothing counted are absent (read them as MetricValue()).

MetricValue.ids are the evidence: the primary keys of the records that were counted, of
the metric's `model`. The definitions are those of assessment.md ("Definitions").
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from activities.models import (
    Activity,
    ActivityCategory,
    ActivityScale,
    ActivityStatus,
    Brand,
    BrandCategory,
)
from communities.models import Award, Deduction, Population, StarRating, StarTarget
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
class Metric:
    key: str
    label: str
    model: str  # app_label.model_name of the evidence ids
    unit: str
    compute: Compute
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


def facilities_in_use(ctx: MetricContext) -> QuerySet[Facility]:
    return Facility.objects.filter(
        community_id__in=ctx.community_ids, status=FacilityStatus.IN_USE
    ).filter(Q(opened_on__isnull=True) | Q(opened_on__lte=ctx.as_of))


def valid_certificates(as_of: dt.date) -> QuerySet[Certificate]:
    """发证日期 ≤ D (blank = not valid) and 失效日期 blank or > D."""
    return Certificate.objects.filter(issued_on__lte=as_of).filter(
        Q(expires_on__isnull=True) | Q(expires_on__gt=as_of)
    )


def active_cadres(ctx: MetricContext) -> QuerySet[Cadre]:
    return Cadre.objects.filter(
        community_id__in=ctx.community_ids, appointed_on__lte=ctx.as_of
    ).filter(Q(left_on__isnull=True) | Q(left_on__gt=ctx.as_of))


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
        honour = TeamHonour.objects.filter(
            team=OuterRef("pk"), year=ctx.year, title=TeamHonour.EXCELLENT
        )
        rows = (
            Team.objects.filter(community_id__in=ctx.community_ids, category=category)
            .filter(Q(founded_on__isnull=True) | Q(founded_on__lte=ctx.as_of))
            .filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=ctx.as_of))
            .annotate(excellent=Exists(honour))
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
    rows = (
        Volunteer.objects.filter(community_id__in=ctx.community_ids, registered_on__lte=ctx.as_of)
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=ctx.as_of))
        .order_by("pk")
    )
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
            Brand.objects.filter(
                community_id__in=ctx.community_ids, category=category, recognised_year__lte=ctx.year
            )
            .filter(Q(revoked_year__isnull=True) | Q(revoked_year__gt=ctx.year))
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


# --- the registry ----------------------------------------------------------------------------

for _metric in (
    Metric(
        "culture_room_area",
        "文化活动室面积（在用）",
        "facilities.facility",
        "㎡",
        _culture_room_area,
        gap="文化活动室面积还差{n}㎡",
    ),
    Metric(
        "function_rooms",
        "功能室配置（在用）",
        "facilities.facility",
        "项",
        _function_rooms,
        gap="还差：{items}",
    ),
    Metric(
        "shared_free_facilities",
        "共建共享且免费开放的在用设施",
        "facilities.facility",
        "处",
        _shared_free,
        gap="还差{n}处共建共享且免费开放的设施",
    ),
    Metric(
        "fitness_path_sets",
        "健身路径套数（在用）",
        "facilities.facility",
        "套",
        _fitness_sets,
        gap="还差{n}套健身路径",
    ),
    Metric(
        "indoor_sports_rooms",
        "室内体育活动室（在用）",
        "facilities.facility",
        "个",
        _indoor_sports,
        gap="还差{n}个室内体育活动室",
    ),
    Metric(
        "culture_teams",
        "文化团队（在册）与优秀文化团队",
        "teams.team",
        "支",
        _teams(TeamCategory.CULTURE),
        gap="还差{n}支文化团队",
        gap_extra="还差{n}支优秀文化团队",
    ),
    Metric(
        "sports_teams",
        "体育团队（在册）与优秀体育团队",
        "teams.team",
        "支",
        _teams(TeamCategory.SPORTS),
        gap="还差{n}支体育团队",
        gap_extra="还差{n}支优秀体育团队",
    ),
    Metric(
        "volunteers",
        "文体志愿者（在册）",
        "teams.volunteer",
        "名",
        _volunteers,
        gap="还差{n}名文体志愿者",
    ),
    Metric(
        "instructors",
        "社会体育指导员（持有效证书）",
        "teams.certificate",
        "名",
        _instructors,
        gap="还差{n}名社会体育指导员",
    ),
    Metric(
        "senior_instructors",
        "一级及以上社会体育指导员",
        "teams.certificate",
        "名",
        _senior_instructors,
        gap="还差{n}名一级及以上社会体育指导员",
    ),
    Metric(
        "cadre_posts",
        "文体骨干配置（在任）",
        "teams.cadre",
        "项",
        _cadre_posts,
        gap="还差：{items}",
    ),
    Metric(
        "cadre_certified",
        "按期持证的文体干部",
        "teams.cadre",
        "名",
        _cadre_certified,
        gap="有{n}名文体干部未按期取得社会体育指导员证书",
        gap_none="没有在任的文体干部",
    ),
    Metric(
        "culture_activities",
        "文化活动（已审核）",
        "activities.activity",
        "次",
        _activities(category=ActivityCategory.CULTURE),
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
        gap="还差{n}次大中型文化活动",
    ),
    Metric(
        "exchange_activities",
        "文化走亲（主办或受邀）",
        "activities.activity",
        "次",
        _exchanges,
        gap="还差{n}次文化走亲",
    ),
    Metric(
        "sports_activities",
        "单项比赛/健身活动（已审核）",
        "activities.activity",
        "次",
        _activities(category=ActivityCategory.SPORTS),
        gap="还差{n}次单项比赛或健身活动",
    ),
    Metric(
        "archive_complete",
        "台账“五有”齐全的活动",
        "activities.activity",
        "次",
        _archive_complete,
        gap="有{n}次活动台账未达“五有”",
        gap_none="本年度没有计入的活动",
    ),
    Metric(
        "culture_brands",
        "示范文化品牌（有效）",
        "activities.brand",
        "个",
        _brands(BrandCategory.CULTURE),
        gap="还差{n}个示范文化品牌",
    ),
    Metric(
        "sports_brands",
        "特色体育项目（有效）",
        "activities.brand",
        "个",
        _brands(BrandCategory.SPORTS),
        gap="还差{n}个特色体育项目",
    ),
    Metric(
        "star_rating",
        "星级评定",
        "communities.starrating",
        "星",
        _star_rating,
        gap="星级未达标：目标{target}星，已评{value}星",
    ),
):
    register(_metric)


# --- inputs of a run that are not indicators --------------------------------------------------


@dataclass(frozen=True)
class PopulationRow:
    residents: int
    year: int
    pk: int


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
