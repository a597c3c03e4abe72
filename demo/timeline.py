"""Where the demo stands in time: the seed's two complete years moved next to `as_of`.

The seed (profiles, places, plan, people, activities) is written for 2013 and 2014, the plan's
years, with 2015 as its "current" year. Loading for a date D moves every seed record by whole
years, shift = D.year − 2015: 2013 → D.year − 2, 2014 → D.year − 1. A whole-year shift keeps
every figure of the plan (populations, targets, counts, ages, waits between two dates); only
a date that the calendar fixes moves with it imperfectly (a lunar festival lands on the seed
year's day, 29 February becomes the 28th). The current year is then built from the seed's
last year, its calendar moved one more year and cut at D (activities.current_plan).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from .profiles import YEARS
from .upsert import shift_date

SEED_CURRENT_YEAR = YEARS[-1] + 1


@dataclass(frozen=True)
class Timeline:
    as_of: dt.date

    @property
    def shift(self) -> int:
        return self.as_of.year - SEED_CURRENT_YEAR

    @property
    def year(self) -> int:
        """The year in progress."""
        return self.as_of.year

    @property
    def complete_years(self) -> tuple[int, ...]:
        return tuple(y + self.shift for y in YEARS)

    @property
    def seed_as_of(self) -> dt.date:
        """as_of in the seed's calendar (in SEED_CURRENT_YEAR)."""
        return shift_date(self.as_of, -self.shift)
