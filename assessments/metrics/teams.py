"""Metrics of teams, volunteers, instructors and cadres (队伍): A5, A7–A9, B2–B5."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db.models import Q

from teams.models import LEVEL_RANK, TeamCategory

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
from .items import items_measures, items_value
from .sources import cadre_compliant, excellent_honour


def _teams(category: str) -> MeasuresOf:
    def measures(ctx: MetricContext, params: Mapping[str, Any]) -> Measures:
        mine = Q(category=category)
        return {
            "n": count("teams", mine, evidence=IDS),
            "excellent": count("teams", mine & Q(excellent_honour(ctx)), evidence="excellent_ids"),
        }

    return measures


def _teams_value(figures: Figures, params: Mapping[str, Any]) -> MetricValue | None:
    if not figures["n"]:
        return None
    return MetricValue(figures["n"], (), {"excellent": figures["excellent"]})


def _instructors(min_level: str | None) -> MeasuresOf:
    """Persons with a valid certificate of the community, each once (the certificate of their
    highest level stands for them): a person counts at ≥ L iff one certificate is ≥ L."""

    def measures(ctx: MetricContext, params: Mapping[str, Any]) -> Measures:
        condition = None
        if min_level is not None:
            rank = LEVEL_RANK[params.get("min_level", min_level)]
            condition = Q(level__in=[lv for lv, r in LEVEL_RANK.items() if r >= rank])
        person = count(
            "certificates",
            condition,
            evidence=IDS,
            distinct="person_id",
            rank_field="level",
            rank=LEVEL_RANK.__getitem__,
        )
        return {"n": person}

    return measures


def _cadres_certified(ctx: MetricContext, params: Mapping[str, Any]) -> Measures:
    ok = cadre_compliant(ctx.as_of, ctx.cadre)
    return {
        "n": count("cadres", ok, evidence=IDS),
        "lacking": count("cadres", ~ok, evidence="lacking_ids"),
    }


register(
    Metric(
        "culture_teams",
        "文化团队（在册）与优秀文化团队",
        "teams.team",
        "支",
        _teams(TeamCategory.CULTURE),
        _teams_value,
        gap="还差{n}支文化团队",
        gap_extra="还差{n}支优秀文化团队",
    ),
    Metric(
        "sports_teams",
        "体育团队（在册）与优秀体育团队",
        "teams.team",
        "支",
        _teams(TeamCategory.SPORTS),
        _teams_value,
        gap="还差{n}支体育团队",
        gap_extra="还差{n}支优秀体育团队",
    ),
    Metric(
        "volunteers",
        "文体志愿者（在册）",
        "teams.volunteer",
        "名",
        lambda ctx, params: {"n": count("volunteers", evidence=IDS)},
        counted,
        gap="还差{n}名文体志愿者",
    ),
    Metric(
        "instructors",
        "社会体育指导员（持有效证书）",
        "teams.certificate",
        "名",
        _instructors(None),
        counted,
        gap="还差{n}名社会体育指导员",
    ),
    Metric(
        "senior_instructors",
        "一级及以上社会体育指导员",
        "teams.certificate",
        "名",
        _instructors("一级"),
        counted,
        gap="还差{n}名一级及以上社会体育指导员",
    ),
    Metric(
        "cadre_posts",
        "文体骨干配置（在任）",
        "teams.cadre",
        "项",
        items_measures("cadres", "post", "posts"),
        items_value("posts"),
        gap="还差：{items}",
    ),
    Metric(
        "cadre_certified",
        "按期持证的文体干部",
        "teams.cadre",
        "名",
        _cadres_certified,
        share,
        gap="有{n}名文体干部未按期取得社会体育指导员证书",
        gap_none="没有在任的文体干部",
    ),
)
