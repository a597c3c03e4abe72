"""时间过半，任务过半: the pure arithmetic of assessments.pace (no database)."""

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest

from assessments import pace, rules

D = dt.date


@pytest.mark.parametrize(
    ("day", "year", "share"),
    [
        (D(2014, 1, 1), 2014, Fraction(1, 365)),
        (D(2014, 12, 31), 2014, Fraction(1)),
        (D(2014, 7, 2), 2014, Fraction(183, 365)),
        (D(2016, 1, 1), 2016, Fraction(1, 366)),
        (D(2016, 2, 29), 2016, Fraction(60, 366)),
        (D(2016, 12, 31), 2016, Fraction(1)),
        (D(2016, 7, 1), 2016, Fraction(1, 2)),  # 183 of 366 days
        (D(2013, 12, 31), 2014, Fraction(0)),  # before the year
        (D(2015, 1, 1), 2014, Fraction(1)),  # after it
    ],
)
def test_year_share(day, year, share):
    assert pace.year_share(day, year) == share


def test_days_in_year_and_remaining_months():
    assert pace.days_in_year(2014) == 365
    assert pace.days_in_year(2016) == 366
    assert pace.days_in_year(1900) == 365 and pace.days_in_year(2000) == 366
    assert pace.remaining_months(D(2014, 12, 31), 2014) == 0
    assert pace.remaining_months(D(2014, 1, 1), 2014) == Fraction(364 * 12, 365)
    assert pace.remaining_months(D(2016, 7, 1), 2016) == 6


def test_first_of_january_needs_the_whole_target():
    p = pace.pace(0, 12, D(2014, 1, 1), 2014)
    assert p.expected == Fraction(12, 365)
    assert p.due == 0 and p.status == pace.ON_PACE  # nobody is behind on 1 Jan
    assert p.behind_by == 0
    assert p.missing == 12
    # 12 in 11.97 months: one a month, not 1.1 (half-up to one decimal).
    assert p.per_month == Decimal("1.0")
    assert p.advice() == "每月还需 1 次"


def test_what_is_due_is_whole_and_half_up():
    # 2 July 2014 is 50.14% of the year: 6.02 of 12 are due, reckoned as 6.
    assert pace.pace(6, 12, D(2014, 7, 2), 2014).status == pace.ON_PACE
    five = pace.pace(5, 12, D(2014, 7, 2), 2014)
    assert five.status == pace.BEHIND and five.behind_by == 1
    # Twice a year: 0.4986 due on 1 Apr (none yet is fine), 0.5041 on 2 Apr (one is due).
    assert pace.pace(0, 2, D(2014, 4, 1), 2014).due == 0
    assert pace.pace(0, 2, D(2014, 4, 2), 2014).due == 1
    assert pace.pace(0, 2, D(2014, 4, 2), 2014).status == pace.BEHIND


def test_half_year_on_pace_and_behind():
    on = pace.pace(6, 12, D(2016, 7, 1), 2016)
    assert on.expected == 6 and on.status == pace.ON_PACE and on.behind_by == 0
    assert on.per_month == Decimal("1.0")
    behind = pace.pace(3, 12, D(2016, 7, 1), 2016)
    assert behind.status == pace.BEHIND
    assert behind.behind_by == 3
    assert behind.per_month == Decimal("1.5")
    assert behind.advice("次") == "每月还需 1.5 次"


def test_met_needs_nothing_more():
    p = pace.pace(13, 12, D(2014, 3, 1), 2014)
    assert p.status == pace.MET
    assert p.missing == 0 and p.per_month is None and p.advice() == ""


def test_last_month_and_year_end():
    # Less than a month left: the whole shortfall is due before year end.
    late = pace.pace(10, 12, D(2014, 12, 15), 2014)
    assert late.months_left < 1
    assert late.per_month is None
    assert late.advice() == "年底前还需 2 次"
    # 31 Dec: the year is over; the target is the full one and nothing is "per month".
    over = pace.pace(10, 12, D(2014, 12, 31), 2014)
    assert over.share == 1 and over.expected == 12
    assert over.status == pace.BEHIND and over.behind_by == 2
    assert over.advice() == "全年还差 2 次"


def test_leap_year_shifts_the_expected_count():
    # 1 Mar is day 60 of 2014 and day 61 of 2016.
    assert pace.pace(0, 365, D(2014, 3, 1), 2014).expected == 60
    assert pace.pace(0, 366, D(2016, 3, 1), 2016).expected == 61


def test_one_decimal_is_half_up_and_exact():
    assert pace.one_decimal(Fraction(1, 20)) == Decimal("0.1")
    assert pace.one_decimal(Fraction(1, 21)) == Decimal("0.0")
    assert pace.one_decimal(Fraction(1)) == Decimal("1.0")
    assert pace.fmt(Fraction(3)) == "3"
    assert pace.fmt(Fraction(7, 2)) == "3.5"
    assert pace.fmt(Decimal("1.0")) == "1"


@pytest.mark.parametrize(
    ("start", "years", "expected"),
    [
        (D(2013, 8, 1), 1, D(2014, 8, 1)),
        (D(2011, 5, 1), 3, D(2014, 5, 1)),
        (D(2012, 2, 29), 1, D(2013, 3, 1)),
        (D(2012, 2, 29), 4, D(2016, 2, 29)),
    ],
)
def test_anniversary_agrees_with_whole_years(start, years, expected):
    assert pace.anniversary(start, years) == expected
    # The engine's B5 reaches the requirement on that very day, not the day before.
    assert rules.whole_years(start, expected) == years
    assert rules.whole_years(start, expected - dt.timedelta(days=1)) == years - 1


def test_indicator_status():
    full = Decimal("10.00")
    assert pace.indicator_status(full, full) == pace.MET
    assert pace.indicator_status(Decimal("5"), full) == pace.BEHIND
    keeping_up = pace.pace(6, 12, D(2016, 7, 1), 2016)
    assert pace.indicator_status(Decimal("7.5"), full, pace_of=keeping_up) == pace.ON_PACE
    lagging = pace.pace(2, 12, D(2016, 7, 1), 2016)
    assert pace.indicator_status(Decimal("2.5"), full, pace_of=lagging) == pace.BEHIND
    assert pace.indicator_status(Decimal("0"), full, awaiting_award=True) == pace.PENDING
    assert pace.indicator_status(None, full) == pace.BEHIND
