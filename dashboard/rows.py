"""What the dashboard shows of each community: a cell per indicator with its status
(met / on pace / behind / pending) and the yearly counts judged against the share of the
year passed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from html import escape
from typing import Any

from django.utils.safestring import mark_safe

from assessments import metrics, pace, services
from assessments.gaps import fmt

from .period import Period

# Counts that grow through the year and are judged against its share (时间过半，任务过半).
FLOW_METRICS = frozenset(
    {"culture_activities", "culture_activities_large", "exchange_activities", "sports_activities"}
)
# Ratings given late in the year: "not yet rated" is pending while the year runs.
AWARDED_LATE = frozenset({"star_rating"})


@dataclass(frozen=True)
class IndicatorColumn:
    code: str
    name: str
    card: str
    max_points: Decimal


class _Status:
    """Label and mark of a `status` (met / on pace / behind / pending)."""

    status: str

    @property
    def label(self) -> str:
        return pace.STATUS_LABELS[self.status]

    @property
    def mark(self) -> str:
        return pace.STATUS_MARKS[self.status]


@dataclass
class Cell(_Status):
    """One indicator of one community: the engine's outcome with its status."""

    code: str
    name: str
    metric: str
    unit: str
    value: Decimal | None
    target: Decimal | None
    points: Decimal | None
    max_points: Decimal
    gap: str
    status: str
    pace: pace.Pace | None = None

    @property
    def points_text(self) -> str:
        return "—" if self.points is None else fmt(self.points)

    @property
    def max_text(self) -> str:
        return fmt(self.max_points)

    @property
    def value_text(self) -> str:
        return "—" if self.value is None else fmt(self.value)

    @property
    def target_text(self) -> str:
        return "—" if self.target is None else fmt(self.target)

    @property
    def advice(self) -> str:
        """ "每月还需 1.5 次" while the year runs (a yearly count short of its target)."""
        return (
            self.pace.advice(self.unit) if self.pace is not None and self.pace.months_left else ""
        )

    @property
    def percent(self) -> float:
        if not self.points or not self.max_points:
            return 0.0
        return float(self.points / self.max_points * 100)

    @property
    def street_td(self) -> str:
        """The cell of the street table, written here: a street has hundreds of cells, and
        rendering their nine variables one by one was a third of the page's time."""
        # html.escape rather than format_html: the latter's lazy-string checks cost ~15 µs a
        # call, a tenth of the page at 600 cells.
        title = f"{self.code} {self.name}：{self.label}" + (f"，{self.gap}" if self.gap else "")
        return mark_safe(
            f'<td class="cell st-{escape(self.status)}" title="{escape(title)}">'
            f"{escape(self.points_text)}/{escape(self.max_text)}"
            f'<span class="mk" aria-hidden="true">{escape(self.mark)}</span></td>'
        )


@dataclass
class PaceLine(_Status):
    """A yearly count of one community against the share of the year passed."""

    code: str
    name: str
    unit: str
    pace: pace.Pace

    @property
    def status(self) -> str:  # type: ignore[override]
        return self.pace.status

    @property
    def value(self) -> str:
        return fmt(self.pace.value)

    @property
    def target(self) -> str:
        return fmt(self.pace.target)

    @property
    def expected(self) -> str:
        return str(self.pace.due)

    @property
    def behind_by(self) -> str:
        return pace.fmt(self.pace.behind_by) if self.pace.behind_by else ""

    @property
    def advice(self) -> str:
        return self.pace.advice(self.unit)


@dataclass
class CommunityRow:
    community_id: int
    name: str
    rank: int | None = None
    grade: str = ""
    grade_gap: str = ""
    total: Decimal | None = None
    cards: dict[str, Decimal] = field(default_factory=dict)
    population: int | None = None
    population_year: int | None = None
    cells: list[Cell] = field(default_factory=list)
    pace: list[PaceLine] = field(default_factory=list)
    error: str = ""
    counted: int = 0  # verified activities of the year so far (culture and sports)
    pending: int = 0

    @property
    def behind(self) -> list[PaceLine]:
        return [p for p in self.pace if p.status == pace.BEHIND]

    @property
    def gaps(self) -> list[Cell]:
        return [c for c in self.cells if c.gap]

    @property
    def total_text(self) -> str:
        return "—" if self.total is None else fmt(self.total)

    @property
    def card_texts(self) -> list[str]:
        """The card scores in the scheme's card order (the engine keeps that order)."""
        return [fmt(v) for v in self.cards.values()]


def indicator_specs(snapshot: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    return {i["code"]: i for i in snapshot["indicators"]}


def is_paced(spec: Mapping[str, Any]) -> bool:
    """A yearly count with a plain target: judged against the share of the year."""
    return spec.get("metric") in FLOW_METRICS and spec.get("rule") == "proportional"


def indicator_cell(outcome: services.IndicatorOutcome, spec: Mapping[str, Any], p: Period) -> Cell:
    metric_key = spec.get("metric", "")
    metric = metrics.METRICS.get(metric_key)
    pace_of = None
    if is_paced(spec) and outcome.value is not None and outcome.target:
        pace_of = pace.pace(Fraction(outcome.value), Fraction(outcome.target), p.as_of, p.year)
    awaiting = p.provisional and metric_key in AWARDED_LATE and not outcome.value
    return Cell(
        code=outcome.code,
        name=outcome.name,
        metric=metric_key,
        unit=metric.unit if metric else "",
        value=outcome.value,
        target=outcome.target,
        points=outcome.points,
        max_points=outcome.max_points,
        gap=outcome.gap,
        status=pace.indicator_status(
            outcome.points, outcome.max_points, pace_of=pace_of, awaiting_award=awaiting
        ),
        pace=pace_of,
    )


def community_row(
    outcome: services.CommunityOutcome, specs: Mapping[str, dict], p: Period
) -> CommunityRow:
    row = CommunityRow(
        community_id=outcome.community_id,
        name=outcome.name,
        rank=outcome.rank,
        grade=outcome.grade,
        grade_gap=outcome.grade_gap,
        total=outcome.total,
        cards=dict(outcome.cards),
        population=outcome.population,
        population_year=outcome.population_year,
        error=outcome.error,
    )
    for ind in outcome.indicators:
        cell = indicator_cell(ind, specs.get(ind.code, {}), p)
        row.cells.append(cell)
        if cell.pace is not None:
            row.pace.append(PaceLine(cell.code, cell.name, cell.unit, cell.pace))
    return row
