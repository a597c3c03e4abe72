"""B9: the community's 星级 of year Y against its 目标星级."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .base import IDS, Figures, Metric, MetricValue, highest, register


def _stars(figures: Figures, params: Mapping[str, Any]) -> MetricValue | None:
    """S = the highest rating of Y (none = 0), T = the target of Y (None when not set)."""
    if figures["stars"] is None and figures["target"] is None:
        return None
    return MetricValue(figures["stars"] or 0, (), {"target": figures["target"]})


register(
    Metric(
        "star_rating",
        "星级评定",
        "communities.starrating",
        "星",
        lambda ctx, params: {
            "stars": highest("ratings", "stars", evidence=IDS),
            "target": highest("targets", "stars"),
        },
        _stars,
        gap="星级未达标：目标{target}星，已评{value}星",
    ),
)
