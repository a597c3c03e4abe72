"""The district's reporting board as plain functions (no database): street × period.

Each street's cells (yearcycle/board.py's cell(): its calendar, its communities' cells, the
same rates) are tallied per period and for the year, so the rates are the street board's —
reporting rate = submitted / periods owed, on-time rate = on or before the deadline / owed.
The columns are the year's twelve months: a street reporting quarterly has a cell that
spans three. A month's district rate counts every street period covering that month.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from reporting import rules
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

    def add(self, c: yb.Cell, n: int = 1) -> None:
        """Count `c` (n cells of its kind)."""
        self.cells += n
        self.approved += n * (c.state == yb.APPROVED)
        self.pending += n * (c.state in (yb.SUBMITTED, yb.UNLOCKED))
        self.returned += n * (c.state == yb.RETURNED)
        self.missing += n * (c.state == yb.MISSING)
        self.late += n * (c.reported and c.days_late > 0)
        self.rates.add(c, n)

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


def street_columns(
    year: int,
    cal: StreetCalendar,
    communities: list[tuple[int, str]],
    subs: Mapping[tuple[int, dt.date], yb.Sub],
    today: dt.date,
) -> tuple[list[Period], list[list[tuple[yb.Cell, int]]]]:
    """The street's periods, and for each the cells of its communities (yearcycle/board.py's
    cell()) as one cell of each kind with how many there are: the tallies count kinds, so a
    district's 3,600 cells a year are added as a few dozen. A period's cell without a
    submission is the same for every community: made once."""
    periods = rules.periods_of_year(year, cal.cadence)
    columns = []
    for period in periods:
        start = period.start
        # A submission's kind (yb.Cell.kind) follows from its status, whether its deadline
        # has passed and whether it came late: counted by that, one Cell made for each.
        first: dict[tuple, yb.Cell] = {}
        counts: Counter[tuple] = Counter()
        blank = 0
        for cid, _ in communities:
            sub = subs.get((cid, start))
            if sub is None:
                blank += 1
                continue
            k = (sub.status, today > sub.due, sub.first_submitted_on > sub.due)
            counts[k] += 1
            if k not in first:
                first[k] = yb.cell(period, sub, cal.deadline_day, today)
        by_kind: dict[tuple, tuple[yb.Cell, int]] = {}
        for k, n in counts.items():
            c = first[k]
            by_kind[c.kind] = (c, n)
        if blank:
            c = yb.cell(period, None, cal.deadline_day, today)
            kept, n = by_kind.get(c.kind, (c, 0))
            by_kind[c.kind] = (kept, n + blank)
        columns.append(list(by_kind.values()))
    return periods, columns


def street_row(
    cal: StreetCalendar,
    communities: int,
    periods: list[Period],
    columns: list[list[tuple[yb.Cell, int]]],
) -> StreetRow:
    """One street's cells folded into a tally per period and one for the year."""
    shown = [StreetPeriod(p, Tally()) for p in periods]
    year = Tally()
    for street_period, column in zip(shown, columns, strict=True):
        for c, n in column:
            street_period.tally.add(c, n)
            year.add(c, n)
    return StreetRow(cal.street_id, cal.name, cal.cadence, communities, shown, year)


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
        mine = communities.get(cal.street_id, [])
        periods, columns = street_columns(year, cal, mine, subs.get(cal.street_id, {}), today)
        for period, column in zip(periods, columns, strict=True):
            for c, n in column:
                total.add(c, n)
                for month in range(period.first_month, period.last_month + 1):
                    by_month[month - 1].add(c, n)
        rows.append(street_row(cal, len(mine), periods, columns))
    return DistrictBoard(year, rows, by_month, total)
