"""The default 双百分 scheme (assessment.md) as plain data, and how schemes are made from it.

The same dict shape is a scheme's snapshot (`snapshot(scheme)`), which a Run stores so that
it never depends on later edits of the scheme. Numbers that must stay exact are strings.
"""

from __future__ import annotations

import copy
from decimal import Decimal
from typing import Any

from django.db import transaction

from communities.models import Street

from .models import BonusLevel, Card, GradeBand, Indicator, Scheme

DEFAULT_NAME = "default"


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


def _num(d: Any) -> str:
    """A Decimal as its shortest exact text ("15", "0.5")."""
    text = format(d.normalize(), "f") if hasattr(d, "normalize") else str(d)
    return text


def snapshot(scheme: Scheme) -> dict[str, Any]:
    """The scheme as plain data (the shape of DEFAULT_SCHEME), in display order."""
    cards = list(scheme.cards.order_by("order", "code"))
    card_code = {c.pk: c.code for c in cards}
    return {
        "name": scheme.name,
        "year": scheme.year,
        "bonus_cap": _num(scheme.bonus_cap),
        "cadre_basic_years": scheme.cadre_basic_years,
        "cadre_basic_level": scheme.cadre_basic_level,
        "cadre_senior_years": scheme.cadre_senior_years,
        "cadre_senior_level": scheme.cadre_senior_level,
        "cards": [
            {"code": c.code, "name": c.name, "max_points": _num(c.max_points)} for c in cards
        ],
        "indicators": [
            {
                "card": card_code[i.card_id],
                "code": i.code,
                "name": i.name,
                "points": _num(i.points),
                "metric": i.metric,
                "rule": i.rule,
                "params": copy.deepcopy(i.params),
                "is_manual": i.is_manual,
                "letter_grades": i.letter_grades,
            }
            for i in scheme.indicators.order_by("order", "pk")
        ],
        "grade_bands": [
            {"name": b.name, "min_total": _num(b.min_total)}
            for b in scheme.grade_bands.order_by("-min_total")
        ],
        "bonus_levels": [
            {"level": b.level, "points": _num(b.points)}
            for b in scheme.bonus_levels.order_by("points", "level")
        ],
    }


def create_from_data(street: Street, year: int, data: dict[str, Any]) -> Scheme:
    """A new scheme for street and year holding `data` (a snapshot or DEFAULT_SCHEME)."""
    with transaction.atomic():
        scheme = Scheme.objects.create(
            street=street,
            year=year,
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
    return scheme


def copy_scheme(scheme: Scheme, year: int) -> Scheme:
    """The same scheme for another year of the same street (manual scores are not copied)."""
    return create_from_data(scheme.street, year, snapshot(scheme))


def data_for(street: Street, year: int) -> dict[str, Any]:
    """What ensure_scheme would give, without writing anything: the scheme of the year, else
    the latest earlier one of the street, else the default."""
    scheme = Scheme.objects.filter(street=street, year__lte=year).order_by("-year").first()
    if scheme is None:
        return {**copy.deepcopy(DEFAULT_SCHEME), "year": year}
    return {**snapshot(scheme), "year": year}


def ensure_scheme(street: Street, year: int) -> Scheme:
    """The street's scheme for the year; created as a copy of its latest earlier scheme, or
    of the default when it has none."""
    with transaction.atomic():
        existing = Scheme.objects.filter(street=street, year=year).first()
        if existing is not None:
            return existing
        earlier = Scheme.objects.filter(street=street, year__lt=year).order_by("-year").first()
        if earlier is not None:
            return copy_scheme(earlier, year)
        return create_from_data(street, year, DEFAULT_SCHEME)
