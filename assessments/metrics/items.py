"""Metrics of "which of the scheme's items a community has" (A2 function rooms by facility
kinds, B4 cadre posts): an item is present when a row of one of its kinds/posts counts."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django.db.models import Q

from .base import IDS, Figures, Measures, MeasuresOf, MetricContext, MetricValue, count


def wanted(params: Mapping[str, Any], key: str) -> list[str]:
    """Every kind (or post) any item of the scheme names, sorted."""
    return sorted({k for item in params.get("items", []) for k in item.get(key, [])})


def items_measures(source: str, field: str, key: str) -> MeasuresOf:
    """A count per wanted kind, and the rows of all wanted kinds as the evidence."""

    def measures(ctx: MetricContext, params: Mapping[str, Any]) -> Measures:
        kinds = wanted(params, key)
        out = {f"k{i}": count(source, Q(**{field: k})) for i, k in enumerate(kinds)}
        out["n"] = count(source, Q(**{f"{field}__in": kinds}), evidence=IDS)
        return out

    return measures


def items_value(key: str) -> Callable[[Figures, Mapping[str, Any]], MetricValue | None]:
    def value(figures: Figures, params: Mapping[str, Any]) -> MetricValue | None:
        found = {k for i, k in enumerate(wanted(params, key)) if figures[f"k{i}"]}
        if not found:
            return None
        present = [bool(found & set(item.get(key, []))) for item in params.get("items", [])]
        return MetricValue(sum(present), (), {"present": present})

    return value
