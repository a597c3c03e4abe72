"""Reads of activities that pages of several apps share (the home page, the dashboard)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from communities import scope

from .models import Activity

if TYPE_CHECKING:
    from communities.scope import User


def activity_years(user: User) -> list[int]:
    """Years that have activities in the user's scope, newest first."""
    dates = scope.scope(Activity.objects.all(), user).dates("date", "year", order="DESC")
    return [d.year for d in dates]


def default_year(years: list[int], today: dt.date) -> int:
    """This year if it has activities, else the latest year that has (a loaded 台账 of past
    years should not open on empty figures), never a future year."""
    past = [y for y in years if y <= today.year]
    if not past or today.year in past:
        return today.year
    return past[0]
