"""Reads of activities that pages of several apps share (the home page, the dashboard)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.core.cache import cache
from django.db.models import Aggregate, CharField, Exists, QuerySet, Subquery, Value
from django.db.models.functions import ExtractYear
from django.utils import timezone

from communities import scope, versions
from communities.models import Street

from .models import Activity

if TYPE_CHECKING:
    from communities.scope import User


YEARS_TIMEOUT = 60 * 60 * 24  # an entry whose versions have passed is never asked for again


def activity_years(user: User) -> list[int]:
    """Years that have activities in the user's scope, newest first (cached_years)."""
    if not user.is_authenticated:
        return []
    if user.is_superuser:
        label = "all"
    else:
        m = scope.membership_of(user)
        if m is None:
            return []
        label = f"{m.role}:{m.district_id}:{m.street_id}:{m.community_id}"
    return cached_years(
        label, scope.visible_streets(user), scope.scope(Activity.objects.all(), user)
    )


def cached_years(
    label: str, streets: QuerySet[Street], activities: QuerySet[Activity]
) -> list[int]:
    """years_among(activities), kept in the cache under `label` (what the activities are: a
    user's scope, a district) and the data versions of `streets` (theirs), read first: every
    write of an activity raises its street's version (communities/versions.py), so a new
    year shows on the next request. One query when nothing changed, instead of two index
    probes across the activities (or a DISTINCT over them all)."""
    key = f"activity-years:v1:{label}:{timezone.localdate().year}:{versions.state(streets)}"
    years = cache.get(key)
    if years is None:
        years = years_among(activities)
        cache.set(key, years, YEARS_TIMEOUT)
    return years


def years_among(activities: QuerySet[Activity]) -> list[int]:
    """Years that have activities among `activities`, newest first.

    Not one `SELECT DISTINCT date_trunc('year', date)`: that reads every activity of the
    scope (64 ms for a district's 150,000 on PostgreSQL, on every district page). The first
    activity comes from the date index; then one row answers the rest: the last date (the
    index again) and, for each later year up to next year, an EXISTS that stops at its first
    activity (3 ms in all for the same district). Two queries, however many years."""
    activities = activities.order_by()
    first = activities.order_by("date", "pk").values_list("pk", "date").first()
    if first is None:
        return []
    pk, day = first
    later = range(day.year + 1, timezone.localdate().year + 2)
    row = (
        Activity.objects.filter(pk=pk)
        .annotate(
            last=Subquery(activities.order_by("-date").values("date")[:1]),
            **{f"y{y}": Exists(activities.filter(date__year=y)) for y in later},
        )
        .values("last", *(f"y{y}" for y in later))
        .get()
    )
    years = {day.year, *(y for y in later if row[f"y{y}"])}
    last = row["last"]
    # A date after next year (a typing error the validation rules warn about) is still a
    # year of the scope; the years between it and next year are probed one by one.
    if last.year not in years:
        years.add(last.year)
        years.update(
            y for y in range(later.stop, last.year) if activities.filter(date__year=y).exists()
        )
    return sorted(years, reverse=True)


class _Years(Aggregate):
    """The distinct years of a date column, comma-joined, in no particular order (SQLite's
    GROUP_CONCAT; PostgreSQL's ARRAY_AGG joined)."""

    function = "GROUP_CONCAT"
    template = "%(function)s(DISTINCT %(expressions)s)"
    output_field = CharField()

    def __init__(self, field: str) -> None:
        super().__init__(ExtractYear(field))

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(
            compiler,
            connection,
            # Distinct integers sort faster than text (12 ms against 26 ms for a street's
            # 10,000 activities, and the separate DISTINCT query took 14 ms).
            function="ARRAY_AGG",
            template="ARRAY_TO_STRING(%(function)s(DISTINCT (%(expressions)s)::int), ',')",
            **extra,
        )


def activity_years_subquery(user: User) -> Subquery:
    """activity_years as a subquery, for a page that reads it along with another row; turn
    the value into the list with years_of()."""
    joined = (
        scope.scope(Activity.objects.all(), user)
        .order_by()
        .annotate(all=Value(1))  # one group: the whole scope
        .values("all")
        .annotate(years=_Years("date"))
        .values("years")
    )
    return Subquery(joined, output_field=CharField())


def years_of(joined: str | None) -> list[int]:
    """The value of activity_years_subquery as activity_years gives it (newest first)."""
    return sorted({int(float(y)) for y in (joined or "").split(",") if y}, reverse=True)


def default_year(years: list[int], today: dt.date) -> int:
    """This year if it has activities, else the latest year that has (a loaded 台账 of past
    years should not open on empty figures), never a future year."""
    past = [y for y in years if y <= today.year]
    if not past or today.year in past:
        return today.year
    return past[0]
