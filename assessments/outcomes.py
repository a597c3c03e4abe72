"""The shape of a computed assessment: per community, per indicator, and as JSON.

An IndicatorOutcome is an indicator's result from computation on; a Run freezes it as an
IndicatorResult row with the same fields (IndicatorResult.outcome() reads it back), and the
reports print either through assessments.results.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from communities.models import Street

from .scheme import SchemeSpec


@dataclass(frozen=True)
class IndicatorOutcome:
    """Read-only: the engine gives communities with the same figures the same object
    (scoring.Scored), so nothing may change one in place (its detail included)."""

    code: str
    name: str
    card: str
    order: int
    is_manual: bool
    max_points: Decimal
    points: Decimal | None  # None: a manual item nobody has scored yet
    value: Decimal | None = None
    target: Decimal | None = None
    evidence_model: str = ""
    evidence_ids: tuple[int, ...] = ()
    detail: dict[str, Any] = field(default_factory=dict)
    gap: str = ""

    @property
    def missing(self) -> bool:
        return self.points is None

    @property
    def records(self) -> int:
        """How many records stand behind the value (the scorecard's link)."""
        return len(self.evidence_ids)


@dataclass
class CommunityOutcome:
    community_id: int
    name: str
    population: int | None = None
    population_year: int | None = None
    indicators: list[IndicatorOutcome] = field(default_factory=list)
    cards: dict[str, Decimal] = field(default_factory=dict)
    bonus: Decimal | None = None
    bonus_ids: list[int] = field(default_factory=list)
    deduction: Decimal | None = None
    deduction_ids: list[int] = field(default_factory=list)
    veto: bool = False
    total: Decimal | None = None
    grade: str = ""
    grade_gap: str = ""
    rank: int | None = None
    error: str = ""

    @property
    def missing(self) -> list[str]:
        return [i.code for i in self.indicators if i.missing]

    @property
    def complete(self) -> bool:
        return not self.error and not self.missing


@dataclass
class Assessment:
    street: Street
    year: int
    as_of: dt.date
    provisional: bool
    scheme_name: str
    scheme: SchemeSpec
    communities: list[CommunityOutcome]  # scored ones by rank then name, then the errors
    # compute(extra=…): the caller's own per-community figures, read in the same query.
    extra: dict[int, dict[str, Any]] = field(default_factory=dict)
    # The score cache's key it was found or stored under (assessments/cache.py): it names the
    # street's data version, so a page may keep what it derives from the same records under
    # it. Empty when not computed through the cache.
    cache_key: str = ""

    @property
    def snapshot(self) -> dict[str, Any]:
        """The scheme as the plain data a Run stores."""
        return self.scheme.as_data()

    @property
    def scored(self) -> list[CommunityOutcome]:
        return [c for c in self.communities if not c.error]

    @property
    def errors(self) -> list[CommunityOutcome]:
        return [c for c in self.communities if c.error]

    @property
    def missing(self) -> list[dict[str, Any]]:
        return [{"community": c.name, "indicators": c.missing} for c in self.scored if c.missing]

    @property
    def complete(self) -> bool:
        return not self.missing


def _float(d: Decimal | None) -> float | None:
    return None if d is None else float(d)


def assessment_json(a: Assessment) -> dict[str, Any]:
    """The `assess --json` object (assessment.md, "Command-line contract")."""
    out: dict[str, Any] = {
        "street": a.street.name,
        "year": a.year,
        "scheme": a.scheme_name,
        "communities": [
            {
                "community": c.name,
                "rank": c.rank,
                "grade": c.grade,
                "cards": {k: _float(v) for k, v in c.cards.items()},
                "bonus": _float(c.bonus),
                "deduction": _float(c.deduction),
                "veto": c.veto,
                "total": _float(c.total),
                "indicators": {i.code: _float(i.points) for i in c.indicators},
            }
            for c in a.scored
        ],
    }
    if a.errors:
        out["errors"] = [{"community": c.name, "error": c.error} for c in a.errors]
    if a.missing:
        out["incomplete"] = a.missing
    return out
