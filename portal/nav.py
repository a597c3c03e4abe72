"""The main menu: entries grouped by work area, each shown only to whom it serves.

The portal imports no app, so the entries are declared elsewhere (config/nav.py, named by
settings.PORTAL_NAV) as one line each:

    Entry("活动", "待审核", "activities:queue", can_verify),

An entry names a real URL name: a wrong name raises NoReverseMatch when the menu is built
(and tests/portal/test_nav.py resolves every entry), instead of silently hiding the link.
Who may see an entry is a predicate of the user (communities/scope.py answers it); the
views still refuse on their own — the menu only keeps people from links they cannot use.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import TYPE_CHECKING

from django.conf import settings
from django.urls import reverse
from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    User = AbstractBaseUser | AnonymousUser

# The work areas, in the order the menu shows them.
GROUPS = ("台账", "活动", "考核", "报表", "管理")


def everyone(user: User) -> bool:
    return user.is_authenticated


def staff(user: User) -> bool:
    return bool(getattr(user, "is_staff", False))


@dataclass(frozen=True)
class Entry:
    group: str
    label: str
    url_name: str
    visible: Callable[[User], bool] = everyone

    def __post_init__(self) -> None:
        if self.group not in GROUPS:
            raise ValueError(f"菜单项“{self.label}”的分组“{self.group}”不在 {GROUPS} 中")


@dataclass(frozen=True)
class Link:
    label: str
    url: str
    current: bool = False


@dataclass(frozen=True)
class Group:
    label: str
    links: list[Link] = field(default_factory=list)

    @property
    def current(self) -> bool:
        return any(link.current for link in self.links)


@cache
def entries() -> tuple[Entry, ...]:
    """Every declared entry (settings.PORTAL_NAV names the sequence)."""
    declared: Sequence[Entry] = import_string(settings.PORTAL_NAV)
    return tuple(declared)


def current_url(urls: Sequence[str], path: str) -> str:
    """Of the menu URLs, the one the page at `path` belongs to: the longest that prefixes it
    (设施 /facilities/ is not current on 提升工程 /facilities/projects/); "" when none does.
    The home page "/" is current only on itself."""
    best = ""
    for url in urls:
        under = path == url if url == "/" else path.startswith(url)
        if under and len(url) > len(best):
            best = url
    return best


def menu_for(user: User, path: str) -> list[Group]:
    """The groups and links this user sees, the page at `path` marked current."""
    visible = [(e, reverse(e.url_name)) for e in entries() if e.visible(user)]
    current = current_url([url for _e, url in visible], path)
    groups = []
    for name in GROUPS:
        links = [Link(e.label, url, url == current) for e, url in visible if e.group == name]
        if links:
            groups.append(Group(name, links))
    return groups


@dataclass(frozen=True)
class Crumb:
    label: str
    url: str = ""


@dataclass(frozen=True)
class Nav:
    groups: list[Group]
    crumbs: list[Crumb]


def nav_for(user: User, path: str) -> Nav:
    groups = menu_for(user, path)
    return Nav(groups, breadcrumbs(groups, path))


def breadcrumbs(groups: list[Group], path: str) -> list[Crumb]:
    """首页 › work area › the menu page a deeper page sits under; empty on a menu page itself
    (it is marked in the menu) and on pages under no menu entry."""
    for group in groups:
        for link in group.links:
            if link.current and link.url != path:
                return [
                    Crumb("首页", reverse("home")),
                    Crumb(group.label),
                    Crumb(link.label, link.url),
                ]
    return []
