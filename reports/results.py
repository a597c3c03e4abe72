"""The results an annual report prints, in one shape whether they come from a stored run
(its frozen CommunityResult and IndicatorResult rows) or from an assessment computed now.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import F, Prefetch

from assessments import services
from assessments.models import IndicatorResult, Run


@dataclass(frozen=True)
class IndicatorValue:
    code: str
    name: str
    card: str
    is_manual: bool
    value: Decimal | None
    target: Decimal | None
    points: Decimal | None
    max_points: Decimal
    records: int
    detail: Mapping[str, Any]
    gap: str


@dataclass(frozen=True)
class ResultRow:
    community_id: int
    name: str
    population: int | None
    population_year: int | None
    cards: Mapping[str, Decimal]
    bonus: Decimal | None
    deduction: Decimal | None
    veto: bool
    total: Decimal | None
    grade: str
    grade_gap: str
    rank: int | None
    error: str
    indicators: tuple[IndicatorValue, ...]


# The fields a stored row (CommunityResult / IndicatorResult) and a computed outcome
# (CommunityOutcome / IndicatorOutcome) share under the same names.
_RESULT_FIELDS = (
    "community_id",
    "population",
    "population_year",
    "bonus",
    "deduction",
    "veto",
    "total",
    "grade",
    "grade_gap",
    "rank",
    "error",
)
_INDICATOR_FIELDS = (
    "code",
    "name",
    "card",
    "is_manual",
    "value",
    "target",
    "points",
    "max_points",
    "detail",
    "gap",
)


def _records(indicator: Any) -> int:
    if hasattr(indicator, "evidence"):  # stored: {"model": …, "ids": […]}
        return len(indicator.evidence.get("ids", []))
    return len(indicator.evidence_ids)


def _row(source: Any, name: str, cards: Mapping[str, Any], indicators: Iterable[Any]) -> ResultRow:
    return ResultRow(
        name=name,
        cards={k: Decimal(str(v)) for k, v in cards.items()},
        indicators=tuple(
            IndicatorValue(
                records=_records(i),
                **{f: getattr(i, f) for f in _INDICATOR_FIELDS},
            )
            for i in indicators
        ),
        **{f: getattr(source, f) for f in _RESULT_FIELDS},
    )


def run_results(run: Run, community_ids: Iterable[int] | None = None) -> list[ResultRow]:
    """The run's frozen rows, by rank then name (unscorable communities last): two queries."""
    qs = run.results.all()
    if community_ids is not None:
        qs = qs.filter(community_id__in=list(community_ids))
    qs = qs.prefetch_related(
        Prefetch("indicators", queryset=IndicatorResult.objects.order_by("order", "code"))
    ).order_by(F("rank").asc(nulls_last=True), "community_name")
    return [_row(r, r.community_name, r.cards, r.indicators.all()) for r in qs]


def assessment_results(a: services.Assessment) -> list[ResultRow]:
    """An assessment computed now (nothing stored), in the same shape."""
    return [_row(c, c.name, c.cards, c.indicators) for c in a.communities]
