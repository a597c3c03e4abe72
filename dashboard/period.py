"""The period a dashboard shows: a year, as of a day of it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction

from assessments import pace, services
from assessments.gaps import fmt


@dataclass(frozen=True)
class Period:
    year: int
    as_of: dt.date
    today: dt.date

    @property
    def provisional(self) -> bool:
        return self.as_of < services.year_end(self.year)

    @property
    def share(self) -> Fraction:
        return pace.year_share(self.as_of, self.year)

    @property
    def share_percent(self) -> str:
        return fmt(self.share * 100)

    @property
    def months_left(self) -> Fraction:
        return pace.remaining_months(self.as_of, self.year)


def period_of(year: int, today: dt.date, as_of: dt.date | None = None) -> Period:
    """As of today for the running year, 31 Dec for a past one; `as_of` (a day of the year)
    looks back at an earlier date. Raises ValueError with a Chinese message."""
    if year > today.year:
        raise ValueError(f"{year} 年尚未开始，请选择 {today.year} 年或以前的年度。")
    if as_of is None:
        as_of = min(today, services.year_end(year))
    elif as_of.year != year:
        raise ValueError(f"截至日期 {as_of:%Y-%m-%d} 不在 {year} 年内。")
    return Period(year=year, as_of=as_of, today=today)
