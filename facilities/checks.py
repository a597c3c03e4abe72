"""The validation rules of facilities (registered with checks.registry at start-up)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.urls import reverse

from checks.registry import WARNING, Rule, Setting, number, register, register_collector

from .models import Facility


@dataclass(frozen=True)
class FacilitySubject:
    name: str
    area: Decimal | None


def area_out_of_range(s: FacilitySubject, setting: Setting, today: dt.date) -> str | None:
    if s.area is None:
        return None
    if setting.low is not None and s.area < setting.low:
        return f"设施“{s.name}”面积 {number(s.area)} 平方米，小于 {number(setting.low)} 平方米，请核对。"
    if setting.high is not None and s.area > setting.high:
        return f"设施“{s.name}”面积 {number(s.area)} 平方米，大于 {number(setting.high)} 平方米，请核对。"
    return None


register(
    Rule(
        "facility_area_range",
        "facility",
        "设施面积超出范围",
        "填写的面积不在合理范围内（常见于单位写错，如把平方米写成了平方厘米）。",
        area_out_of_range,
        severity=WARNING,
        low_label="最小面积(平方米)",
        high_label="最大面积(平方米)",
        low=Decimal(1),
        high=Decimal(50000),
    )
)


def collect(community_id: int, start: dt.date, end: dt.date) -> Iterable[tuple[str, str, Any]]:
    """The community's facilities (they are not dated by period): one query."""
    for f in Facility.objects.filter(community_id=community_id).order_by("name", "pk"):
        yield (
            f"设施：{f.name}",
            reverse("facilities:detail", args=[f.pk]),
            FacilitySubject(f.name, f.area),
        )


register_collector("facility", collect)
