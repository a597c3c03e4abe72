"""The validation rules of teams (registered with checks.registry at start-up)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q
from django.urls import reverse

from checks.registry import WARNING, Rule, Setting, register, register_collector

from .models import Team


@dataclass(frozen=True)
class TeamSubject:
    name: str
    members: int | None  # None: a team being created, whose members are added afterwards
    dissolved: bool = False


def no_members(s: TeamSubject, setting: Setting, today: dt.date) -> str | None:
    if s.members == 0 and not s.dissolved:
        return f"团队“{s.name}”没有登记任何成员，请在团队页面添加成员。"
    return None


register(
    Rule(
        "team_no_members",
        "team",
        "团队没有成员",
        "未解散的团队没有登记成员（新建团队时不检查：成员在保存后添加）。",
        no_members,
        severity=WARNING,
    )
)


def collect(community_id: int, start: dt.date, end: dt.date) -> Iterable[tuple[str, str, Any]]:
    """The community's teams standing at the period's end (founded by then, not dissolved
    before it began), with their member counts: one query."""
    teams = (
        Team.objects.filter(community_id=community_id)
        .filter(Q(founded_on__isnull=True) | Q(founded_on__lte=end))
        .filter(Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=end))
        .annotate(member_count=Count("memberships"))
        .order_by("name", "pk")
        .only("pk", "name", "dissolved_on")
    )
    for t in teams:
        yield (
            f"团队：{t.name}",
            reverse("teams:detail", args=[t.pk]),
            TeamSubject(t.name, t.member_count),
        )


register_collector("team", collect)
