"""The reporting calendar as plain functions (no database).

A period is (year, number): number is the month 1–12 when the street reports monthly, the
quarter 1–4 when it reports quarterly. A period's deadline is a day of the month after it
ends (the 5th by default; a short month caps it at its last day).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

MONTHLY = "monthly"
QUARTERLY = "quarterly"


@dataclass(frozen=True, order=True)
class Period:
    year: int
    number: int
    cadence: str = MONTHLY

    @property
    def first_month(self) -> int:
        return self.number if self.cadence == MONTHLY else (self.number - 1) * 3 + 1

    @property
    def last_month(self) -> int:
        return self.number if self.cadence == MONTHLY else self.number * 3

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, self.first_month, 1)

    @property
    def end(self) -> dt.date:
        return dt.date(
            self.year, self.last_month, calendar.monthrange(self.year, self.last_month)[1]
        )

    @property
    def label(self) -> str:
        if self.cadence == MONTHLY:
            return f"{self.year}年{self.number}月"
        return f"{self.year}年第{self.number}季度"

    @property
    def short_label(self) -> str:
        return f"{self.number}月" if self.cadence == MONTHLY else f"Q{self.number}"

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


def periods_per_year(cadence: str) -> int:
    return 12 if cadence == MONTHLY else 4


def period_of(day: dt.date, cadence: str = MONTHLY) -> Period:
    number = day.month if cadence == MONTHLY else (day.month - 1) // 3 + 1
    return Period(day.year, number, cadence)


def periods_of_year(year: int, cadence: str = MONTHLY) -> list[Period]:
    return [Period(year, n, cadence) for n in range(1, periods_per_year(cadence) + 1)]


def deadline(period: Period, deadline_day: int) -> dt.date:
    """The last day to submit `period`: `deadline_day` of the month after it ends."""
    year, month = (
        (period.year + 1, 1) if period.last_month == 12 else (period.year, period.last_month + 1)
    )
    return dt.date(year, month, min(deadline_day, calendar.monthrange(year, month)[1]))


def days_late(submitted_on: dt.date, due: dt.date) -> int:
    """0 when on time, else how many days after the deadline."""
    return max(0, (submitted_on - due).days)


def is_due(period: Period, today: dt.date) -> bool:
    """A period can be submitted once it has ended."""
    return today > period.end


def rate(part: int, whole: int) -> float | None:
    """A percentage with one decimal, or None when nothing was due."""
    if whole == 0:
        return None
    return round(100 * part / whole, 1)


def lock_message(period_label: str, approved_by: str, approved_on: dt.datetime | dt.date) -> str:
    when = (
        approved_on.strftime("%Y-%m-%d %H:%M")
        if isinstance(approved_on, dt.datetime)
        else approved_on.isoformat()
    )
    return (
        f"{period_label}已由{approved_by}于{when}审核通过并锁定，不能新增、修改或删除该期间的记录；"
        f"如确需修改，请联系街道管理员解锁。"
    )
