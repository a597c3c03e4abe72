"""Reads: the tasks a user may see (communities.scope), filtered; the overdue ones."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import QuerySet
from django.utils import timezone

from communities import scope

from . import rules
from .models import Rectification

if TYPE_CHECKING:
    from communities.scope import User


def tasks(
    user: User, *, status: str = "", community: str = "", overdue: bool = False, today: dt.date
) -> QuerySet[Rectification]:
    qs = scope.scope(Rectification.objects.select_related("community"), user)
    if status:
        qs = qs.filter(status=status)
    if community.isdigit():
        qs = qs.filter(community_id=int(community))
    if overdue:
        qs = qs.filter(status__in=("issued", "returned"), deadline__lt=today)
    return qs.order_by("deadline", "pk")


def overdue(
    user: User, today: dt.date, *, street: object = None, community: object = None
) -> list[Rectification]:
    """The dashboards' block: a street's (or one community's) overdue tasks, at most 20."""
    qs = tasks(user, overdue=True, today=today)
    if street is not None:
        qs = qs.filter(community__street=street)
    if community is not None:
        qs = qs.filter(community=community)
    return list(qs[:20])


@dataclass(frozen=True)
class Outcome:
    """How one task of a year ended, for the next year's annual report."""

    indicator: str
    community: str
    requirement: str
    deadline: dt.date
    state: str
    accepted_on: dt.date | None
    overdue_days: int


def outcomes(street_id: int, year: int, as_of: dt.date) -> list[Outcome]:
    """The street's tasks issued from `year`'s assessment, by indicator and community, with
    their state now and the days overdue on `as_of` of those still open."""
    qs = Rectification.objects.filter(community__street_id=street_id, year=year)
    return [
        Outcome(
            indicator=t.indicator,
            community=t.community.name,
            requirement=t.requirement,
            deadline=t.deadline,
            state=t.get_status_display(),
            accepted_on=timezone.localdate(t.closed_at) if t.closed_at else None,
            overdue_days=rules.overdue_days(t.status, t.deadline, as_of),
        )
        for t in qs.select_related("community").order_by("indicator", "community__name", "pk")
    ]
