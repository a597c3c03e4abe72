"""The search of the top bar: communities, teams, people, facilities and activities that
match a text, each kind within what the user may see (communities/scope.py and the apps'
own visibility rules). One query per kind, whatever the size of the street."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.db.models import Q, QuerySet
from django.urls import reverse

from activities.models import Activity
from communities import scope
from communities.models import Community
from facilities.models import Facility
from teams import selectors as team_selectors
from teams.models import Person, Team

from . import rules

if TYPE_CHECKING:
    from communities.scope import User


@dataclass(frozen=True)
class Hit:
    label: str
    detail: str
    url: str


@dataclass
class Kind:
    key: str
    label: str
    hits: list[Hit] = field(default_factory=list)
    more: bool = False
    list_url: str = ""


@dataclass(frozen=True)
class Source:
    key: str
    label: str
    rows: Callable[[User, str], QuerySet]
    hit: Callable[[object], Hit]
    list_name: str = ""


def _communities(user: User, text: str) -> QuerySet:
    return scope.visible_communities(user).filter(name__icontains=text).select_related("street")


def _named_in_scope(model: type[Team | Facility | Activity]) -> Callable[[User, str], QuerySet]:
    """Records of a community, matched by name, within the user's communities."""

    def rows(user: User, text: str) -> QuerySet:
        return (
            scope.scope(model.objects.all(), user)
            .filter(name__icontains=text)
            .select_related("community")
        )

    return rows


def _persons(user: User, text: str) -> QuerySet:
    match = Q(name__icontains=text)
    if rules.looks_like_code(text):
        match |= Q(code__istartswith=text)
    return team_selectors.visible_persons(user).filter(match).select_related("street")


def _community_hit(c: Community) -> Hit:
    return Hit(c.name, c.street.name, reverse("dashboard:community", args=[c.pk]))


def _team_hit(t: Team) -> Hit:
    return Hit(t.name, t.community.name, reverse("teams:detail", args=[t.pk]))


def _person_hit(p: Person) -> Hit:
    return Hit(p.name, f"人员编号 {p.code}", reverse("teams:person_detail", args=[p.pk]))


def _facility_hit(f: Facility) -> Hit:
    return Hit(f.name, f.community.name, reverse("facilities:detail", args=[f.pk]))


def _activity_hit(a: Activity) -> Hit:
    return Hit(
        a.name,
        f"{a.community.name} · {a.date:%Y-%m-%d} · {a.get_status_display()}",
        reverse("activities:detail", args=[a.pk]),
    )


SOURCES = (
    Source("community", "社区", _communities, _community_hit),
    Source("team", "团队", _named_in_scope(Team), _team_hit, "teams:list"),
    Source("person", "人员", _persons, _person_hit, "teams:person_list"),
    Source("facility", "设施", _named_in_scope(Facility), _facility_hit, "facilities:list"),
    Source("activity", "活动", _named_in_scope(Activity), _activity_hit, "activities:list"),
)
ORDER = {
    "community": ("name",),
    "team": ("community__name", "name"),
    "person": ("name", "code"),
    "facility": ("community__name", "name"),
    "activity": ("-date", "-pk"),
}


def search(user: User, raw: str | None, *, per_kind: int) -> tuple[str, list[Kind]]:
    """The cleaned query and, for each kind with a match, up to `per_kind` hits (and whether
    there are more). Nothing for an empty query or a user who sees nothing."""
    text = rules.clean_query(raw)
    if not text or not user.is_authenticated:
        return text, []
    found = []
    for source in SOURCES:
        rows = list(source.rows(user, text).order_by(*ORDER[source.key])[: per_kind + 1])
        if not rows:
            continue
        list_url = (
            reverse(source.list_name) + "?" + urlencode({"q": text}) if source.list_name else ""
        )
        found.append(
            Kind(
                source.key,
                source.label,
                [source.hit(r) for r in rows[:per_kind]],
                more=len(rows) > per_kind,
                list_url=list_url,
            )
        )
    return text, found
