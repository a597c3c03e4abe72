"""The district's reporting board as plain functions (no database): street × period.

Each street's own board (yearcycle/board.py: its calendar, its communities' cells and the
rates there) is tallied per period and for the year, so the rates are the street board's —
reporting rate = submitted / periods owed, on-time rate = on or before the deadline / owed.
The columns are the year's twelve months: a street reporting quarterly has a cell that
spans three. A month's district rate counts every street period covering that month.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from reporting.rules import Period
from yearcycle import board as yb

MONTHS = tuple(range(1, 13))


@dataclass
class Tally:
    """How the cells of one street (one period, or the whole year) stand."""

    cells: int = 0
    approved: int = 0
    pending: int = 0  # submitted (or re-opened) and waiting for the street
    returned: int = 0
    missing: int = 0  # owed and never submitted
    late: int = 0  # submitted after the deadline (whatever happened next)
    rates: yb.Rates = field(default_factory=yb.Rates)

    def add(self, c: yb.Cell) -> None:
        self.cells += 1
        self.approved += c.state == yb.APPROVED
        self.pending += c.state in (yb.SUBMITTED, yb.UNLOCKED)
        self.returned += c.state == yb.RETURNED
        self.missing += c.state == yb.MISSING
        self.late += c.reported and c.days_late > 0
        self.rates.add(c)

    @property
    def on_time(self) -> int:
        return self.rates.on_time

    @property
    def state(self) -> str:
        """The colour of the cell: what needs someone's attention first."""
        if self.missing:
            return yb.MISSING
        if self.returned:
            return yb.RETURNED
        if self.pending:
            return yb.SUBMITTED
        if self.cells and self.approved == self.cells:
            return yb.APPROVED
        return yb.OPEN if self.rates.owed or self.approved else yb.FUTURE

    @property
    def reporting_rate(self) -> float | None:
        return self.rates.reporting_rate

    @property
    def on_time_rate(self) -> float | None:
        return self.rates.on_time_rate


@dataclass
class StreetPeriod:
    period: Period
    tally: Tally

    @property
    def span(self) -> int:
        return self.period.last_month - self.period.first_month + 1


@dataclass
class StreetRow:
    street_id: int
    name: str
    cadence: str
    communities: int
    periods: list[StreetPeriod]
    year: Tally


@dataclass
class DistrictBoard:
    year: int
    rows: list[StreetRow]
    by_month: list[yb.Rates]  # index 0 is January
    total: yb.Rates

    @property
    def months(self) -> tuple[int, ...]:
        return MONTHS


@dataclass(frozen=True)
class StreetCalendar:
    street_id: int
    name: str
    cadence: str
    deadline_day: int


def street_row(cal: StreetCalendar, board: yb.Board) -> StreetRow:
    """One street's board folded into a tally per period and one for the year."""
    periods = [StreetPeriod(p, Tally()) for p in board.periods]
    year = Tally()
    for row in board.rows:
        for i, c in enumerate(row.cells):
            periods[i].tally.add(c)
            year.add(c)
    return StreetRow(cal.street_id, cal.name, cal.cadence, len(board.rows), periods, year)


def build(
    year: int,
    streets: Iterable[StreetCalendar],
    communities: Mapping[int, list[tuple[int, str]]],
    subs: Mapping[int, Mapping[tuple[int, dt.date], yb.Sub]],
    today: dt.date,
) -> DistrictBoard:
    """`communities` and `subs` are keyed by street id (subs of the street's own cadence)."""
    rows: list[StreetRow] = []
    by_month = [yb.Rates() for _ in MONTHS]
    total = yb.Rates()
    for cal in streets:
        board = yb.build(
            year,
            cal.cadence,
            cal.deadline_day,
            communities.get(cal.street_id, []),
            subs.get(cal.street_id, {}),
            today,
        )
        for row in board.rows:
            for c in row.cells:
                total.add(c)
                for month in range(c.period.first_month, c.period.last_month + 1):
                    by_month[month - 1].add(c)
        rows.append(street_row(cal, board))
    return DistrictBoard(year, rows, by_month, total)
