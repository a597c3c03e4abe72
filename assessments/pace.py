"""时间过半，任务过半: how far through the year a date is, and whether a yearly count keeps pace.

Plain functions on dates and numbers (no Django), tested without a database. The share of
the year counts the as-of day itself as passed, so 1 Jan is 1/365 of the year and 31 Dec is
the whole year: a past year's dashboard (as of 31 Dec) compares against the full target.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

MET = "met"
ON_PACE = "on_pace"
BEHIND = "behind"
PENDING = "pending"

STATUS_LABELS = {MET: "已达标", ON_PACE: "进度正常", BEHIND: "落后", PENDING: "待评定"}
# A mark beside the colour, so that a black-and-white printout still tells them apart.
STATUS_MARKS = {MET: "✓", ON_PACE: "→", BEHIND: "✗", PENDING: "…"}

MONTHS_IN_YEAR = 12


def days_in_year(year: int) -> int:
    return 366 if calendar.isleap(year) else 365


def elapsed_days(as_of: dt.date, year: int) -> int:
    """Days of `year` passed at the end of `as_of` (0 before the year, all after it)."""
    if as_of < dt.date(year, 1, 1):
        return 0
    if as_of > dt.date(year, 12, 31):
        return days_in_year(year)
    return as_of.timetuple().tm_yday


def year_share(as_of: dt.date, year: int) -> Fraction:
    """Elapsed days / days in the year, exactly: 2014-07-02 → 183/365."""
    return Fraction(elapsed_days(as_of, year), days_in_year(year))


def remaining_months(as_of: dt.date, year: int) -> Fraction:
    """What is left of the year, in months of equal length (12 × the share not yet passed)."""
    return (1 - year_share(as_of, year)) * MONTHS_IN_YEAR


def anniversary(start: dt.date, years: int) -> dt.date:
    """The first day on which `years` whole years have passed since `start`.

    Matches assessments.rules.whole_years (the anniversary itself counts as reached); a start
    on 29 Feb reaches its anniversary on 1 Mar of a common year.
    """
    year = start.year + years
    try:
        return start.replace(year=year)
    except ValueError:  # 29 Feb in a common year
        return dt.date(year, 3, 1)


def one_decimal(x: Fraction) -> Decimal:
    """Half-up to one decimal, exactly (12 in 11.97 months is "1.0 a month", not 1.1)."""
    scaled = x * 10
    tenths = math.floor(scaled)
    if scaled - tenths >= Fraction(1, 2):
        tenths += 1
    return (Decimal(tenths) / 10).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def fmt(x: Decimal | Fraction | int) -> str:
    """1.0 → "1", 1.5 → "1.5" (one decimal at most)."""
    d = one_decimal(Fraction(x)) if not isinstance(x, Decimal) else x
    return str(int(d)) if d == d.to_integral_value() else format(d.normalize(), "f")


@dataclass(frozen=True)
class Pace:
    """A yearly count (activities…) against its target at a date of the year."""

    value: Fraction
    target: Fraction
    share: Fraction  # of the year passed
    months_left: Fraction

    @property
    def expected(self) -> Fraction:
        """Where the count would stand if spread evenly: target × share of the year."""
        return self.target * self.share

    @property
    def due(self) -> int:
        """What should be done by now, in whole units (half-up): activities are whole, and on
        2 July (50.14% of the year) 6 of 12 keeps pace, as people reckon it."""
        return math.floor(self.expected + Fraction(1, 2))

    @property
    def status(self) -> str:
        if self.value >= self.target:
            return MET
        if self.value >= self.due:
            return ON_PACE
        return BEHIND

    @property
    def behind_by(self) -> Fraction:
        """How many short of what is due by now (0 when on pace)."""
        return max(self.due - self.value, Fraction(0))

    @property
    def missing(self) -> Fraction:
        """What is still missing for the full-year target."""
        return max(self.target - self.value, Fraction(0))

    @property
    def per_month(self) -> Decimal | None:
        """What is needed per remaining month; None when nothing is missing or less than a
        month is left (then the whole missing count is due before year end)."""
        if self.missing == 0 or self.months_left < 1:
            return None
        return one_decimal(self.missing / self.months_left)

    def advice(self, unit: str = "次") -> str:
        """ "每月还需 1.5 次", or what is due before (or was missed at) the year end."""
        if self.missing == 0:
            return ""
        if self.months_left == 0:
            return f"全年还差 {fmt(self.missing)} {unit}"
        if self.per_month is None:
            return f"年底前还需 {fmt(self.missing)} {unit}"
        return f"每月还需 {fmt(self.per_month)} {unit}"


def pace(value: Fraction | int, target: Fraction | int, as_of: dt.date, year: int) -> Pace:
    return Pace(
        value=Fraction(value),
        target=Fraction(target),
        share=year_share(as_of, year),
        months_left=remaining_months(as_of, year),
    )


def indicator_status(
    points: Decimal | None,
    max_points: Decimal,
    *,
    pace_of: Pace | None = None,
    awaiting_award: bool = False,
) -> str:
    """met / on pace / behind for one indicator of a community.

    Counts that grow through the year (activities) are on pace when they keep up with the
    share of the year; everything else (rooms, teams, volunteers…) should hold all year, so
    short of full points it is behind. A rating awarded late in the year that has not been
    given yet (awaiting_award) is pending rather than behind.
    """
    if points is not None and points >= max_points:
        return MET
    if pace_of is not None and pace_of.status != BEHIND:
        return ON_PACE
    if awaiting_award:
        return PENDING
    return BEHIND
