"""Metrics of the facilities (设施) in use at D: A1–A4, B1."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Q

from facilities.models import CULTURE_ROOM_KINDS, Facility, FacilityKind, Ownership

from .base import IDS, Figures, Metric, MetricValue, count, counted, exact_sum, register, total
from .items import items_measures, items_value

ROOMS = Q(kind__in=CULTURE_ROOM_KINDS)
PATHS = Q(kind=FacilityKind.FITNESS_PATH)


def _area(figures: Figures, params: Mapping[str, Any]) -> MetricValue | None:
    places = Facility._meta.get_field("area").decimal_places
    # A blank area counts 0; a room with a blank area still makes the metric counted.
    return MetricValue(exact_sum(figures["area"], places)) if figures["n"] else None


def _sets(figures: Figures, params: Mapping[str, Any]) -> MetricValue | None:
    return MetricValue(int(figures["sets"] or 0)) if figures["n"] else None


register(
    Metric(
        "culture_room_area",
        "文化活动室面积（在用）",
        "facilities.facility",
        "㎡",
        lambda ctx, params: {
            "area": total("facilities", "area", ROOMS),
            "n": count("facilities", ROOMS, evidence=IDS),
        },
        _area,
        gap="文化活动室面积还差{n}㎡",
    ),
    Metric(
        "function_rooms",
        "功能室配置（在用）",
        "facilities.facility",
        "项",
        items_measures("facilities", "kind", "kinds"),
        items_value("kinds"),
        gap="还差：{items}",
    ),
    Metric(
        "shared_free_facilities",
        "共建共享且免费开放的在用设施",
        "facilities.facility",
        "处",
        lambda ctx, params: {
            "n": count("facilities", Q(ownership=Ownership.SHARED, free_open=True), evidence=IDS)
        },
        counted,
        gap="还差{n}处共建共享且免费开放的设施",
    ),
    Metric(
        "fitness_path_sets",
        "健身路径套数（在用）",
        "facilities.facility",
        "套",
        lambda ctx, params: {
            "sets": total("facilities", "sets", PATHS),
            "n": count("facilities", PATHS, evidence=IDS),
        },
        _sets,
        gap="还差{n}套健身路径",
    ),
    Metric(
        "indoor_sports_rooms",
        "室内体育活动室（在用）",
        "facilities.facility",
        "个",
        lambda ctx, params: {
            "n": count("facilities", Q(kind=FacilityKind.INDOOR_SPORTS), evidence=IDS)
        },
        counted,
        gap="还差{n}个室内体育活动室",
    ),
)
