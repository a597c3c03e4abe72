"""A scheme (考核方案) as the engine reads it: typed, frozen, loaded once.

The stored form is the plain-data snapshot (default_scheme.DEFAULT_SCHEME's shape, numbers
as exact text), which a Run keeps so that it never depends on later edits; `Scheme.of()`
reads that data into these objects and `as_data()` writes exactly the same data back.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from .metrics import CadreDeadlines


def text(d: Any) -> str:
    """A Decimal as its shortest exact text ("15", "0.5") — the snapshot's number form."""
    return format(d.normalize(), "f") if isinstance(d, Decimal) else str(d)


@dataclass(frozen=True)
class CardSpec:
    code: str
    name: str
    max_points: Decimal


@dataclass(frozen=True)
class IndicatorSpec:
    card: str
    code: str
    name: str
    points: Decimal
    metric: str  # a key of metrics.METRICS ("" for a manual item)
    rule: str  # a key of rules.RULES
    params: Mapping[str, Any]
    is_manual: bool = False
    letter_grades: bool = False
    # The indicator as canonical JSON: two indicators score alike iff their keys are equal.
    key: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if not self.key:
            object.__setattr__(self, "key", json.dumps(self.as_data(), sort_keys=True))

    def as_data(self) -> dict[str, Any]:
        return {
            "card": self.card,
            "code": self.code,
            "name": self.name,
            "points": text(self.points),
            "metric": self.metric,
            "rule": self.rule,
            "params": copy.deepcopy(dict(self.params)),
            "is_manual": self.is_manual,
            "letter_grades": self.letter_grades,
        }


@dataclass(frozen=True)
class GradeBandSpec:
    name: str
    min_total: Decimal


@dataclass(frozen=True)
class BonusLevelSpec:
    level: str
    points: Decimal


@dataclass(frozen=True)
class SchemeSpec:
    name: str
    year: int | None
    bonus_cap: Decimal
    cadre: CadreDeadlines
    cards: tuple[CardSpec, ...]
    indicators: tuple[IndicatorSpec, ...]
    grade_bands: tuple[GradeBandSpec, ...]  # highest threshold first
    bonus_levels: tuple[BonusLevelSpec, ...]

    @classmethod
    def of(cls, data: Mapping[str, Any]) -> SchemeSpec:
        """The scheme of its plain data (a snapshot, DEFAULT_SCHEME, a stored run's)."""
        return cls(
            name=data.get("name", "default"),
            year=data.get("year"),
            bonus_cap=Decimal(str(data["bonus_cap"])),
            cadre=CadreDeadlines(
                basic_years=int(data["cadre_basic_years"]),
                basic_level=data["cadre_basic_level"],
                senior_years=int(data["cadre_senior_years"]),
                senior_level=data["cadre_senior_level"],
            ),
            cards=tuple(
                CardSpec(c["code"], c["name"], Decimal(str(c["max_points"]))) for c in data["cards"]
            ),
            indicators=tuple(
                IndicatorSpec(
                    card=i["card"],
                    code=i["code"],
                    name=i["name"],
                    points=Decimal(str(i["points"])),
                    metric=i.get("metric", ""),
                    rule=i["rule"],
                    params=copy.deepcopy(i.get("params") or {}),
                    is_manual=bool(i.get("is_manual")),
                    letter_grades=bool(i.get("letter_grades")),
                )
                for i in data["indicators"]
            ),
            grade_bands=tuple(
                GradeBandSpec(b["name"], Decimal(str(b["min_total"]))) for b in data["grade_bands"]
            ),
            bonus_levels=tuple(
                BonusLevelSpec(b["level"], Decimal(str(b["points"]))) for b in data["bonus_levels"]
            ),
        )

    def as_data(self) -> dict[str, Any]:
        """The plain data of the scheme (the snapshot a Run stores)."""
        out: dict[str, Any] = {"name": self.name}
        if self.year is not None:
            out["year"] = self.year
        out.update(
            {
                "bonus_cap": text(self.bonus_cap),
                "cadre_basic_years": self.cadre.basic_years,
                "cadre_basic_level": self.cadre.basic_level,
                "cadre_senior_years": self.cadre.senior_years,
                "cadre_senior_level": self.cadre.senior_level,
                "cards": [
                    {"code": c.code, "name": c.name, "max_points": text(c.max_points)}
                    for c in self.cards
                ],
                "indicators": [i.as_data() for i in self.indicators],
                "grade_bands": [
                    {"name": b.name, "min_total": text(b.min_total)} for b in self.grade_bands
                ],
                "bonus_levels": [
                    {"level": b.level, "points": text(b.points)} for b in self.bonus_levels
                ],
            }
        )
        return out

    @property
    def computed(self) -> tuple[IndicatorSpec, ...]:
        return tuple(i for i in self.indicators if not i.is_manual)

    @property
    def manual(self) -> tuple[IndicatorSpec, ...]:
        return tuple(i for i in self.indicators if i.is_manual)

    @property
    def bonus_points(self) -> dict[str, Decimal]:
        """The bonus of one 获奖 row per level (a level not listed earns nothing)."""
        return {b.level: b.points for b in self.bonus_levels}

    @property
    def bands(self) -> list[tuple[str, Decimal]]:
        return [(b.name, b.min_total) for b in self.grade_bands]
