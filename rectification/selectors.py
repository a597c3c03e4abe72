"""Reads: the tasks a user may see (communities.scope), filtered; the overdue ones."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from communities import scope

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
