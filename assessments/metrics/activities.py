"""Metrics of the activities (活动) and brands (品牌): A6, A10, B6–B8 and the activity counts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import F, Q

from activities.models import ActivityCategory, ActivityScale, BrandCategory

from .base import (
    IDS,
    Figures,
    Measures,
    MeasuresOf,
    Metric,
    MetricContext,
    MetricValue,
    count,
    counted,
    register,
    share,
)

CULTURE = Q(category=ActivityCategory.CULTURE)
LARGE = Q(scale__in=(ActivityScale.LARGE, ActivityScale.MEDIUM))
FIVE = Q(has_plan=True, has_arrangement=True, has_material=True, has_image=True, has_summary=True)


def _activities(where: Q) -> MeasuresOf:
    return lambda ctx, params: {"n": count("activities", where, evidence=IDS)}


def _exchanges(ctx: MetricContext, params: Mapping[str, Any]) -> Measures:
    """A6: 文化走亲 activities credited to the host, and to each listed partner whose host is
    another community: each activity once per community."""
    return {
        "host": count("activities", Q(is_exchange=True), evidence=IDS),
        "guest": count(
            "partners",
            ~Q(activity__community_id=F("community_id")),
            evidence=IDS,
            distinct="activity_id",
            id_field="activity_id",
        ),
    }


def _exchange_value(figures: Figures, params: Mapping[str, Any]) -> MetricValue | None:
    n = (figures["host"] or 0) + (figures["guest"] or 0)
    return MetricValue(n) if n else None


def _archive(ctx: MetricContext, params: Mapping[str, Any]) -> Measures:
    """A10: counted activities with all five 五有 items, of all counted ones."""
    return {
        "n": count("activities", FIVE, evidence=IDS),
        "lacking": count("activities", ~FIVE, evidence="lacking_ids"),
    }


def _brands(category: str) -> MeasuresOf:
    return lambda ctx, params: {"n": count("brands", Q(category=category), evidence=IDS)}


register(
    Metric(
        "culture_activities",
        "文化活动（已审核）",
        "activities.activity",
        "次",
        _activities(CULTURE),
        counted,
        gap="还差{n}次文化活动",
    ),
    Metric(
        "culture_activities_large",
        "大中型文化活动（已审核）",
        "activities.activity",
        "次",
        _activities(CULTURE & LARGE),
        counted,
        gap="还差{n}次大中型文化活动",
    ),
    Metric(
        "exchange_activities",
        "文化走亲（主办或受邀）",
        "activities.activity",
        "次",
        _exchanges,
        _exchange_value,
        gap="还差{n}次文化走亲",
    ),
    Metric(
        "sports_activities",
        "单项比赛/健身活动（已审核）",
        "activities.activity",
        "次",
        _activities(Q(category=ActivityCategory.SPORTS)),
        counted,
        gap="还差{n}次单项比赛或健身活动",
    ),
    Metric(
        "archive_complete",
        "台账“五有”齐全的活动",
        "activities.activity",
        "次",
        _archive,
        share,
        gap="有{n}次活动台账未达“五有”",
        gap_none="本年度没有计入的活动",
    ),
    Metric(
        "culture_brands",
        "示范文化品牌（有效）",
        "activities.brand",
        "个",
        _brands(BrandCategory.CULTURE),
        counted,
        gap="还差{n}个示范文化品牌",
    ),
    Metric(
        "sports_brands",
        "特色体育项目（有效）",
        "activities.brand",
        "个",
        _brands(BrandCategory.SPORTS),
        counted,
        gap="还差{n}个特色体育项目",
    ),
)
