import datetime as dt

import pytest

from reporting import rules
from reporting.rules import MONTHLY, QUARTERLY, Period

D = dt.date


def test_months_and_quarters():
    assert rules.period_of(D(2026, 2, 14)) == Period(2026, 2, MONTHLY)
    assert rules.period_of(D(2026, 8, 31), QUARTERLY) == Period(2026, 3, QUARTERLY)
    q3 = Period(2026, 3, QUARTERLY)
    assert (q3.start, q3.end, q3.label) == (D(2026, 7, 1), D(2026, 9, 30), "2026年第3季度")
    assert Period(2028, 2).end == D(2028, 2, 29)
    assert len(rules.periods_of_year(2026)) == 12
    assert len(rules.periods_of_year(2026, QUARTERLY)) == 4


@pytest.mark.parametrize(
    "period, day, due",
    [
        (Period(2026, 1), 5, D(2026, 2, 5)),
        (Period(2026, 12), 5, D(2027, 1, 5)),
        (Period(2026, 4, QUARTERLY), 10, D(2027, 1, 10)),
        (Period(2026, 1), 28, D(2026, 2, 28)),
    ],
)
def test_deadline_is_a_day_of_the_next_month(period, day, due):
    assert rules.deadline(period, day) == due


def test_days_late_and_rates():
    assert rules.days_late(D(2026, 2, 5), D(2026, 2, 5)) == 0
    assert rules.days_late(D(2026, 2, 9), D(2026, 2, 5)) == 4
    assert rules.rate(2, 3) == 66.7
    assert rules.rate(0, 0) is None


def test_a_period_is_due_once_it_ended():
    assert not rules.is_due(Period(2026, 3), D(2026, 3, 31))
    assert rules.is_due(Period(2026, 3), D(2026, 4, 1))


def test_lock_message_names_who_when_and_whom_to_ask():
    text = rules.lock_message("2026年3月", "王科长", dt.datetime(2026, 4, 8, 9, 30))
    assert "2026年3月" in text and "王科长" in text and "2026-04-08 09:30" in text
    assert "街道管理员解锁" in text
