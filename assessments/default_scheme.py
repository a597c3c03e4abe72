"""The default 双百分 scheme (assessment.md) as plain data, and how schemes are made from it.

The same dict shape is a scheme's snapshot (`snapshot(scheme)`), which a Run stores so that
it never depends on later edits of the scheme. Numbers that must stay exact are strings.
Over 400 lines because DEFAULT_SCHEME itself (the plan's nineteen indicators with their
parameters) takes half of it; the engine reads any of these through scheme.SchemeSpec.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import (
    Aggregate,
    CharField,
    F,
    JSONField,
    OuterRef,
    Prefetch,
    Subquery,
    prefetch_related_objects,
)
from django.db.models.functions import Cast, JSONObject

from communities import versions
from communities.models import Street

from .models import BonusLevel, Card, GradeBand, Indicator, PublishedScheme, Scheme
from .scheme import text as exact_text

DEFAULT_NAME = "default"
# The latest scheme first; of a year with both, the street's copy of the district's scheme.
LATEST_FIRST = ("-year", F("district_scheme").desc(nulls_last=True))


def _ind(
    card: str, code: str, name: str, points: str, metric: str, rule: str, **params: Any
) -> dict:
    return {
        "card": card,
        "code": code,
        "name": name,
        "points": points,
        "metric": metric,
        "rule": rule,
        "params": params,
        "is_manual": False,
        "letter_grades": False,
    }


def _items(key: str, *entries: tuple[str, list[str], str]) -> list[dict]:
    return [{"label": label, key: values, "points": points} for label, values, points in entries]


DEFAULT_SCHEME: dict[str, Any] = {
    "name": DEFAULT_NAME,
    "bonus_cap": "10",
    # B5: in office ≥1 year → 三级 or above; ≥3 years → 一级 or above (plan 四(二)3).
    "cadre_basic_years": 1,
    "cadre_basic_level": "三级",
    "cadre_senior_years": 3,
    "cadre_senior_level": "一级",
    "cards": [
        {"code": "A", "name": "文化工作", "max_points": "100"},
        {"code": "B", "name": "体育工作", "max_points": "100"},
    ],
    "indicators": [
        _ind(
            "A",
            "A1",
            "文化活动室面积 ≥200㎡",
            "15",
            "culture_room_area",
            "proportional",
            target="200",
        ),
        _ind(
            "A",
            "A2",
            "功能室配置",
            "5",
            "function_rooms",
            "per_item",
            items=_items(
                "kinds",
                ("多功能活动室", ["多功能活动室"], "1"),
                ("图书阅览室或电子阅览室", ["图书阅览室", "电子阅览室"], "1"),
                ("培训排练室", ["培训排练室"], "1"),
                ("文体娱乐室", ["文体娱乐室"], "1"),
                ("共享工程服务点", ["共享工程服务点"], "1"),
            ),
        ),
        _ind(
            "A",
            "A3",
            "文化团队 ≥5，优秀 ≥2",
            "10",
            "culture_teams",
            "two_part",
            target="5",
            weight="6",
            excellent_target="2",
            excellent_weight="4",
        ),
        _ind(
            "A", "A4", "文化活动 ≥12 次/年", "15", "culture_activities", "proportional", target="12"
        ),
        _ind(
            "A",
            "A5",
            "大中型文化活动 ≥6 次",
            "10",
            "culture_activities_large",
            "proportional",
            target="6",
        ),
        _ind("A", "A6", "文化走亲 ≥2 次", "5", "exchange_activities", "proportional", target="2"),
        _ind("A", "A7", "示范文化品牌", "10", "culture_brands", "proportional", target="1"),
        _ind(
            "A",
            "A8",
            "文体志愿者 ≥3% 常住人口",
            "10",
            "volunteers",
            "per_capita",
            target="0.03",
            per="1",
        ),
        _ind(
            "A",
            "A9",
            "文体骨干配置",
            "5",
            "cadre_posts",
            "per_item",
            items=_items(
                "posts",
                ("两委分管文体", ["两委分管文体"], "3"),
                ("文体管理员", ["文体管理员"], "2"),
            ),
        ),
        _ind("A", "A10", "活动台账“五有”", "10", "archive_complete", "ratio"),
        _ind("A", "A11", "设施共建共享", "5", "shared_free_facilities", "presence", minimum=1),
        _ind(
            "B",
            "B1",
            "健身路径 ≥2 套",
            "10",
            "fitness_path_sets",
            "capped_multiple",
            each="5",
            cap=2,
        ),
        _ind("B", "B2", "室内体育活动室", "10", "indoor_sports_rooms", "presence", minimum=1),
        _ind(
            "B",
            "B3",
            "社会体育指导员 ≥5 名/千人",
            "20",
            "instructors",
            "per_capita",
            target="5",
            per="1000",
        ),
        _ind(
            "B",
            "B4",
            "一级及以上指导员",
            "5",
            "senior_instructors",
            "presence",
            minimum=1,
            min_level="一级",
        ),
        _ind("B", "B5", "文体干部持证", "10", "cadre_certified", "ratio"),
        _ind(
            "B",
            "B6",
            "体育团队 ≥5，优秀 ≥2",
            "10",
            "sports_teams",
            "two_part",
            target="5",
            weight="6",
            excellent_target="2",
            excellent_weight="4",
        ),
        _ind(
            "B",
            "B7",
            "单项比赛/健身活动 ≥2 次",
            "10",
            "sports_activities",
            "proportional",
            target="2",
        ),
        _ind("B", "B8", "特色体育项目", "5", "sports_brands", "proportional", target="1"),
        _ind(
            "B",
            "B9",
            "星级社区达标",
            "20",
            "star_rating",
            "star",
            default_target=3,
            one_below_share="0.5",
        ),
    ],
    "grade_bands": [
        {"name": "优秀", "min_total": "180"},
        {"name": "良好", "min_total": "160"},
        {"name": "合格", "min_total": "120"},
        {"name": "不合格", "min_total": "0"},
    ],
    "bonus_levels": [
        {"level": "区级", "points": "1"},
        {"level": "市级", "points": "2"},
        {"level": "省级", "points": "3"},
        {"level": "国家级", "points": "5"},
    ],
}


# Each related list of a scheme in display order (prefetched the same way for many schemes).
ORDERS = {
    "cards": ("order", "code"),
    "indicators": ("order", "pk"),
    "grade_bands": ("-min_total",),
    "bonus_levels": ("points", "level"),
}


RELATED = {
    "cards": Card,
    "indicators": Indicator,
    "grade_bands": GradeBand,
    "bonus_levels": BonusLevel,
}


def _related(scheme: Scheme, name: str) -> list[Any]:
    cached = getattr(scheme, "_prefetched_objects_cache", {}).get(name)
    if cached is not None:
        return list(cached)
    return list(getattr(scheme, name).order_by(*ORDERS[name]))


def snapshot(scheme: Scheme) -> dict[str, Any]:
    """The scheme as plain data (the shape of DEFAULT_SCHEME), in display order."""
    cards = _related(scheme, "cards")
    card_code = {c.pk: c.code for c in cards}
    return {
        "name": scheme.name,
        "year": scheme.year,
        "bonus_cap": exact_text(scheme.bonus_cap),
        "cadre_basic_years": scheme.cadre_basic_years,
        "cadre_basic_level": scheme.cadre_basic_level,
        "cadre_senior_years": scheme.cadre_senior_years,
        "cadre_senior_level": scheme.cadre_senior_level,
        "cards": [
            {"code": c.code, "name": c.name, "max_points": exact_text(c.max_points)} for c in cards
        ],
        "indicators": [
            {
                "card": card_code[i.card_id],
                "code": i.code,
                "name": i.name,
                "points": exact_text(i.points),
                "metric": i.metric,
                "rule": i.rule,
                "params": copy.deepcopy(i.params),
                "is_manual": i.is_manual,
                "letter_grades": i.letter_grades,
            }
            for i in _related(scheme, "indicators")
        ],
        "grade_bands": [
            {"name": b.name, "min_total": exact_text(b.min_total)}
            for b in _related(scheme, "grade_bands")
        ],
        "bonus_levels": [
            {"level": b.level, "points": exact_text(b.points)}
            for b in _related(scheme, "bonus_levels")
        ],
    }


def create_from_data(
    street: Street,
    year: int,
    data: dict[str, Any],
    *,
    district_scheme: PublishedScheme | None = None,
) -> Scheme:
    """A new scheme for street and year holding `data` (a snapshot or DEFAULT_SCHEME); with
    district_scheme, the street's frozen copy of its district's published scheme."""
    with transaction.atomic():
        scheme = Scheme.objects.create(
            street=street,
            year=year,
            district_scheme=district_scheme,
            name=data.get("name", DEFAULT_NAME),
            bonus_cap=Decimal(str(data["bonus_cap"])),
            cadre_basic_years=data["cadre_basic_years"],
            cadre_basic_level=data["cadre_basic_level"],
            cadre_senior_years=data["cadre_senior_years"],
            cadre_senior_level=data["cadre_senior_level"],
        )
        cards = {
            c["code"]: Card.objects.create(
                scheme=scheme,
                code=c["code"],
                name=c["name"],
                max_points=Decimal(str(c["max_points"])),
                order=n,
            )
            for n, c in enumerate(data["cards"], start=1)
        }
        Indicator.objects.bulk_create(
            Indicator(
                scheme=scheme,
                card=cards[i["card"]],
                code=i["code"],
                name=i["name"],
                points=Decimal(str(i["points"])),
                metric=i.get("metric", ""),
                rule=i["rule"],
                params=copy.deepcopy(i.get("params", {})),
                order=n,
                is_manual=i.get("is_manual", False),
                letter_grades=i.get("letter_grades", False),
            )
            for n, i in enumerate(data["indicators"], start=1)
        )
        GradeBand.objects.bulk_create(
            GradeBand(
                scheme=scheme, name=b["name"], min_total=Decimal(str(b["min_total"])), order=n
            )
            for n, b in enumerate(data["grade_bands"], start=1)
        )
        BonusLevel.objects.bulk_create(
            BonusLevel(scheme=scheme, level=b["level"], points=Decimal(str(b["points"])))
            for b in data["bonus_levels"]
        )
        versions.bump([scheme.street_id])  # the bulk_creates above send no signal
    return scheme


def copy_scheme(scheme: Scheme, year: int) -> Scheme:
    """The same scheme for another year of the same street (manual scores are not copied)."""
    return create_from_data(scheme.street, year, snapshot(scheme))


def data_for(street: Street, year: int) -> dict[str, Any]:
    """What ensure_scheme would give, without writing anything: the district's published
    scheme of the year, else the street's scheme of the year, else its latest earlier one,
    else the default."""
    return data_for_streets([street], year)[street.pk]


def published_schemes(streets: Iterable[Street], year: int) -> dict[int, PublishedScheme]:
    """{street id: its district's published scheme of Y} for the streets that have one, in
    one query (none when no street belongs to a district)."""
    streets = list(streets)
    districts = {s.district_id for s in streets if s.district_id is not None}
    if not districts:
        return {}
    found = {
        p.district_id: p for p in PublishedScheme.objects.filter(district__in=districts, year=year)
    }
    return {s.pk: found[s.district_id] for s in streets if s.district_id in found}


def data_for_streets(streets: Iterable[Street], year: int) -> dict[int, dict[str, Any]]:
    """data_for() of many streets, {street id: data}: the published schemes of their
    districts (one query), and in one more each other street's latest scheme up to Y with
    its cards, indicators, bands and bonus levels as JSON arrays."""
    streets = list(streets)
    published = published_schemes(streets, year)
    own = _own_data(streets, year)
    return {
        s.pk: {**copy.deepcopy(published[s.pk].data), "year": year}
        if s.pk in published
        else own[s.pk]
        for s in streets
    }


def _own_data(streets: list[Street], year: int) -> dict[int, dict[str, Any]]:
    """Each street's latest scheme up to Y (of a year with both, the district's copy)."""
    if connection.vendor not in ("postgresql", "sqlite"):
        return _data_for_streets_prefetched(streets, year)
    latest = Scheme.objects.filter(street=OuterRef("street"), year__lte=year).order_by(
        *LATEST_FIRST
    )
    rows = (
        Scheme.objects.filter(street__in=streets, pk=Subquery(latest.values("pk")[:1]))
        .order_by()
        .values(
            "street_id",
            "name",
            "year",
            "cadre_basic_years",
            "cadre_basic_level",
            "cadre_senior_years",
            "cadre_senior_level",
            bonus_cap_text=_text("bonus_cap"),
            **{f"all_{name}": _json_array(RELATED[name], f) for name, f in _JSON_FIELDS.items()},
        )
    )
    found = {row["street_id"]: {**_data_from_row(row), "year": year} for row in rows}
    if all(s.pk in found for s in streets):
        return {s.pk: found[s.pk] for s in streets}
    # The streets without a scheme of their own share ONE copy of the default (a city's
    # synthetic streets are a hundred of them, and a deep copy costs a millisecond): read it,
    # do not change it.
    default = {**copy.deepcopy(DEFAULT_SCHEME), "year": year}
    return {s.pk: found.get(s.pk) or default for s in streets}


def _data_for_streets_prefetched(streets: list[Street], year: int) -> dict[int, dict[str, Any]]:
    """The same with one query per related table (backends without JSON aggregation)."""
    latest: dict[int, Scheme] = {}
    for scheme in Scheme.objects.filter(street__in=streets, year__lte=year).order_by(
        "street_id", *LATEST_FIRST
    ):
        latest.setdefault(scheme.street_id, scheme)
    prefetch_related_objects(
        list(latest.values()),
        *(Prefetch(name, model.objects.order_by(*ORDERS[name])) for name, model in RELATED.items()),
    )
    return {
        s.pk: {**snapshot(latest[s.pk]), "year": year}
        if s.pk in latest
        else {**copy.deepcopy(DEFAULT_SCHEME), "year": year}
        for s in streets
    }


class _JSONArray(Aggregate):
    """The group's values as one JSON array (SQLite JSON_GROUP_ARRAY, PostgreSQL JSONB_AGG)."""

    function = "JSON_GROUP_ARRAY"
    output_field = JSONField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, function="JSONB_AGG", **extra)


def _text(field: str) -> Cast:
    """A decimal as its text (a JSON number would come back as a float)."""
    return Cast(field, output_field=CharField())


# What snapshot() reads of each related row, and the keys they are sorted by (ORDERS).
_JSON_FIELDS: dict[str, dict[str, Any]] = {
    "cards": {"code": "code", "name": "name", "max_points": _text("max_points"), "order": "order"},
    "indicators": {
        "card": "card__code",
        "code": "code",
        "name": "name",
        "points": _text("points"),
        "metric": "metric",
        "rule": "rule",
        "params": "params",
        "is_manual": "is_manual",
        "letter_grades": "letter_grades",
        "order": "order",
        "pk": "pk",
    },
    "grade_bands": {"name": "name", "min_total": _text("min_total")},
    "bonus_levels": {"level": "level", "points": _text("points")},
}


def _json_array(model: type, fields: dict[str, Any]) -> Subquery:
    rows = (
        model.objects.filter(scheme=OuterRef("pk"))
        .order_by()
        .values("scheme")
        .annotate(_all=_JSONArray(JSONObject(**fields)))
        .values("_all")
    )
    return Subquery(rows, output_field=JSONField())


def _loaded(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


def _decimal(text: Any) -> Decimal:
    return Decimal(str(text))


def _data_from_row(row: dict[str, Any]) -> dict[str, Any]:
    """snapshot()'s data from a data_for_streets row (the same keys, values and order)."""
    cards = sorted(_loaded(row["all_cards"]) or [], key=lambda c: (c["order"], c["code"]))
    indicators = sorted(_loaded(row["all_indicators"]) or [], key=lambda i: (i["order"], i["pk"]))
    bands = sorted(_loaded(row["all_grade_bands"]) or [], key=lambda b: -_decimal(b["min_total"]))
    levels = sorted(
        _loaded(row["all_bonus_levels"]) or [], key=lambda b: (_decimal(b["points"]), b["level"])
    )
    return {
        "name": row["name"],
        "year": row["year"],
        "bonus_cap": exact_text(_decimal(row["bonus_cap_text"])),
        "cadre_basic_years": row["cadre_basic_years"],
        "cadre_basic_level": row["cadre_basic_level"],
        "cadre_senior_years": row["cadre_senior_years"],
        "cadre_senior_level": row["cadre_senior_level"],
        "cards": [
            {
                "code": c["code"],
                "name": c["name"],
                "max_points": exact_text(_decimal(c["max_points"])),
            }
            for c in cards
        ],
        "indicators": [
            {
                "card": i["card"],
                "code": i["code"],
                "name": i["name"],
                "points": exact_text(_decimal(i["points"])),
                "metric": i["metric"],
                "rule": i["rule"],
                # SQLite hands a JSON column inside JSON_OBJECT over as its text.
                "params": _loaded(i["params"]) if i["params"] is not None else {},
                "is_manual": bool(i["is_manual"]),
                "letter_grades": bool(i["letter_grades"]),
            }
            for i in indicators
        ],
        "grade_bands": [
            {"name": b["name"], "min_total": exact_text(_decimal(b["min_total"]))} for b in bands
        ],
        "bonus_levels": [
            {"level": b["level"], "points": exact_text(_decimal(b["points"]))} for b in levels
        ],
    }


def ensure_scheme(street: Street, year: int) -> Scheme:
    """The street's scheme for the year. When its district has published the year's scheme:
    the street's frozen copy of it (created on first use; the street's own scheme of the
    year, if any, stays as an extra one). Else its own, created as a copy of its latest
    earlier scheme, or of the default when it has none."""
    published = published_schemes([street], year).get(street.pk)
    if published is not None:
        return _district_copy(street, year, published)
    return ensure_own_scheme(street, year)


def ensure_own_scheme(street: Street, year: int) -> Scheme:
    """The street's own scheme for the year (beside the district's, an extra one for
    itself); created as a copy of its latest earlier scheme, or of the default."""
    with transaction.atomic():
        existing = own_scheme(street, year)
        if existing is not None:
            return existing
        # Two people running the year's first assessment at once: the street row serialises
        # them, and the second finds the scheme the first created instead of a duplicate key.
        Street.objects.select_for_update().filter(pk=street.pk).first()
        existing = own_scheme(street, year)
        if existing is not None:
            return existing
        earlier = (
            Scheme.objects.filter(street=street, year__lt=year).order_by(*LATEST_FIRST).first()
        )
        if earlier is not None:
            return copy_scheme(earlier, year)
        return create_from_data(street, year, DEFAULT_SCHEME)


def own_scheme(street: Street, year: int) -> Scheme | None:
    """The street's own scheme of the year (not its copy of the district's)."""
    return Scheme.objects.filter(street=street, year=year, district_scheme__isnull=True).first()


def _district_copy(street: Street, year: int, published: PublishedScheme) -> Scheme:
    with transaction.atomic():
        existing = Scheme.objects.filter(street=street, year=year, district_scheme=published)
        if (found := existing.first()) is not None:
            return found
        Street.objects.select_for_update().filter(pk=street.pk).first()
        if (found := existing.first()) is not None:
            return found
        return create_from_data(street, year, published.data, district_scheme=published)
