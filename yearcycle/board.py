"""The completeness and timeliness board as plain functions (no database).

For each community and period of a year, a cell says where the period stands today; the
rates count only the periods whose deadline has passed (what the community owed by now):

    reporting rate  submitted (at any time, whatever happened next) / periods owed
    on-time rate    first submitted on or before the deadline        / periods owed
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from reporting import rules
from reporting.rules import Period

# Cell states, in the order a legend lists them.
APPROVED = "approved"
SUBMITTED = "submitted"
RETURNED = "returned"
UNLOCKED = "unlocked"
MISSING = "missing"  # deadline passed, never submitted
OPEN = "open"  # ended, deadline not yet passed, not submitted
FUTURE = "future"  # not ended yet

LABELS = {
    APPROVED: "已审核",
    SUBMITTED: "待审核",
    RETURNED: "已退回",
    UNLOCKED: "已解锁",
    MISSING: "未报送",
    OPEN: "待报送",
    FUTURE: "未到期",
}


@dataclass(frozen=True)
class Sub:
    """What the board needs of one stored submission."""

    pk: int
    status: str
    due: dt.date
    first_submitted_on: dt.date


@dataclass(frozen=True)
class Cell:
    period: Period
    state: str
    due: dt.date
    days_late: int = 0  # late submission, or days overdue while missing
    submission_pk: int | None = None
    owed: bool = False  # the deadline has passed: counts in the rates

    @property
    def label(self) -> str:
        text = LABELS[self.state]
        if self.state == MISSING:
            return f"{text}（逾期{self.days_late}天）"
        if self.days_late:
            return f"{text}（迟报{self.days_late}天）"
        return text

    @property
    def reported(self) -> bool:
        return self.submission_pk is not None

    @property
    def on_time(self) -> bool:
        return self.reported and self.days_late == 0

    @property
    def kind(self) -> tuple[str, bool, bool, bool, bool]:
        """What the tallies count of a cell: cells of the same kind add up alike."""
        return (
            self.state,
            self.owed,
            self.reported,
            self.on_time,
            self.reported and self.days_late > 0,
        )


def cell(period: Period, sub: Sub | None, deadline_day: int, today: dt.date) -> Cell:
    due = sub.due if sub else rules.deadline(period, deadline_day)
    owed = today > due
    if sub is not None:
        late = rules.days_late(sub.first_submitted_on, due)
        return Cell(period, sub.status, due, late, sub.pk, owed)
    if owed:
        return Cell(period, MISSING, due, (today - due).days, None, True)
    return Cell(period, OPEN if rules.is_due(period, today) else FUTURE, due)


@dataclass
class Rates:
    owed: int = 0
    reported: int = 0
    on_time: int = 0

    def add(self, c: Cell, n: int = 1) -> None:
        """Count `c` (n cells like it)."""
        if c.owed:
            self.owed += n
            self.reported += n * c.reported
            self.on_time += n * c.on_time

    @property
    def reporting_rate(self) -> float | None:
        return rules.rate(self.reported, self.owed)

    @property
    def on_time_rate(self) -> float | None:
        return rules.rate(self.on_time, self.owed)


@dataclass
class Row:
    community_id: int
    name: str
    cells: list[Cell]
    rates: Rates = field(default_factory=Rates)


@dataclass
class Board:
    year: int
    periods: list[Period]
    rows: list[Row]
    by_period: list[Rates]
    total: Rates


def build(
    year: int,
    cadence: str,
    deadline_day: int,
    communities: Iterable[tuple[int, str]],
    subs: Mapping[tuple[int, dt.date], Sub],
    today: dt.date,
) -> Board:
    """`subs` maps (community id, period start) to its submission."""
    periods = rules.periods_of_year(year, cadence)
    by_period = [Rates() for _ in periods]
    total = Rates()
    rows = []
    # A period's cell without a submission is the same for every community (and frozen).
    blank = [cell(period, None, deadline_day, today) for period in periods]
    for cid, name in communities:
        row = Row(cid, name, [])
        for i, period in enumerate(periods):
            sub = subs.get((cid, period.start))
            c = blank[i] if sub is None else cell(period, sub, deadline_day, today)
            row.cells.append(c)
            row.rates.add(c)
            by_period[i].add(c)
            total.add(c)
        rows.append(row)
    return Board(year, periods, rows, by_period, total)


def late_today(board: Board) -> list[tuple[Row, list[Cell]]]:
    """Communities with a period overdue and not submitted, and those periods."""
    out = []
    for row in board.rows:
        missing = [c for c in row.cells if c.state == MISSING]
        if missing:
            out.append((row, missing))
    return out
