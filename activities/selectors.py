"""Reads of activities that pages of several apps share (the home page, the dashboard)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from django.core.cache import cache
from django.db.models import Aggregate, CharField, Exists, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import ExtractYear
from django.utils import timezone

from communities import scope, versions
from communities.models import Community, Street

from .models import Activity, ActivityStatus

if TYPE_CHECKING:
    from communities.scope import User


YEARS_TIMEOUT = 60 * 60 * 24  # an entry whose versions have passed is never asked for again


def activity_years(user: User) -> list[int]:
    """Years that have activities in the user's scope, newest first (cached_years)."""
    if not user.is_authenticated:
        return []
    if user.is_superuser:
        label, read = "all", partial(years_among, Activity.objects.all())
    else:
        m = scope.membership_of(user)
        if m is None:
            return []
        label = f"{m.role}:{m.district_id}:{m.street_id}:{m.community_id}"
        if scope.is_district_user(user):
            read = partial(years_among, scope.scope(Activity.objects.all(), user))
        else:
            # A street or one community: a few dozen communities, probed one by one.
            read = partial(years_in, scope.visible_communities(user))
    return cached_years(label, scope.visible_streets(user), read)


def cached_years(label: str, streets: QuerySet[Street], read: Callable[[], list[int]]) -> list[int]:
    """read() (years_among or years_in), kept in the cache under `label` (what the activities
    are: a user's scope, a district) and the data versions of `streets` (theirs), read first:
    every write of an activity raises its street's version (communities/versions.py), so a
    new year shows on the next request. One query when nothing changed."""
    key = f"activity-years:v2:{label}:{timezone.localdate().year}:{versions.state(streets)}"
    years = cache.get(key)
    if years is None:
        years = read()
        cache.set(key, years, YEARS_TIMEOUT)
    return years


def years_in(communities: QuerySet[Community]) -> list[int]:
    """Years that have activities in `communities` (a street's, or one), newest first.

    Not years_among: its probes walk the date index across the whole city until they meet
    one of the scope's activities — nearly all of it for a street whose activities are all
    recent (17 ms for a street of 4 communities among 30,000 activities, and in proportion
    on a city). Here each community's first and last dates are probes of the index
    (community, status, date), one per status: a cost in the communities, not the city.
    The years strictly between a community's first and last that no community starts or
    ends in are then one row of EXISTS over these communities' activities. One or two
    queries, however many years."""
    edges = {}
    for status in ActivityStatus.values:
        own = Activity.objects.filter(community=OuterRef("pk"), status=status)
        edges[f"first_{status}"] = Subquery(own.order_by("date").values("date")[:1])
        edges[f"last_{status}"] = Subquery(own.order_by("-date").values("date")[:1])
    spans = {}  # community id -> (first year, last year)
    for pk, *dates in communities.order_by().annotate(**edges).values_list("pk", *edges):
        found = [d for d in dates if d is not None]
        if found:
            spans[pk] = (min(found).year, max(found).year)
    years = {y for span in spans.values() for y in span}
    between: dict[int, list[int]] = {}  # a year to probe -> the communities that may have it
    for pk, (first, last) in spans.items():
        for y in range(first + 1, last):
            if y not in years:
                between.setdefault(y, []).append(pk)
    if between:
        row = (
            Community.objects.filter(pk=next(iter(spans)))
            .annotate(
                **{
                    f"y{y}": Exists(
                        Activity.objects.filter(
                            community_id__in=ids,
                            date__gte=dt.date(y, 1, 1),
                            date__lte=dt.date(y, 12, 31),
                        )
                    )
                    for y, ids in between.items()
                }
            )
            .values(*(f"y{y}" for y in between))
            .get()
        )
        years.update(y for y in between if row[f"y{y}"])
    return sorted(years, reverse=True)


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
