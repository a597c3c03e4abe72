"""Reads of 队伍建设 reused by pages, lists and alerts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Exists, OuterRef, Q, QuerySet

from communities import scope
from communities.models import Community

from .models import LEVEL_RANK, Cadre, Certificate, InstructorLevel, Person, TeamMember, Volunteer

if TYPE_CHECKING:
    from communities.scope import User


def _links(communities: QuerySet[Community]) -> dict[str, QuerySet]:
    """The rows that link a person to one of `communities`: team member, volunteer,
    instructor (certificate), cadre — each by its `person` field."""
    return {
        "is_member": TeamMember.objects.filter(team__community__in=communities),
        "is_volunteer": Volunteer.objects.filter(community__in=communities),
        "is_instructor": Certificate.objects.filter(community__in=communities),
        "is_cadre": Cadre.objects.filter(community__in=communities),
    }


def person_link_flags(communities: QuerySet[Community]) -> dict[str, Exists]:
    """Whether a person is a team member, volunteer, instructor or cadre in `communities`.

    Exists() rather than joins: no duplicate rows, so counts and pagination stay right.
    """
    return {
        flag: Exists(links.filter(person=OuterRef("pk")))
        for flag, links in _links(communities).items()
    }


def person_links_q(communities: QuerySet[Community]) -> Q:
    """Persons linked in any way to one of `communities`: their ids, the union of the four
    kinds of link, read from the links' own indexes. Not the four Exists() OR-ed: PostgreSQL
    cannot turn OR-ed EXISTS into joins and probed them for every person of the city (a
    community cadre's home page counted its 82 persons in 600 ms; this takes 4 ms)."""
    ids = [links.order_by().values("person_id") for links in _links(communities).values()]
    return Q(pk__in=ids[0].union(*ids[1:]))


def visible_persons(user: User) -> QuerySet[Person]:
    """Street users see every person of their street; a cadre sees those linked to their community."""
    if scope.is_street_user(user):
        return scope.scope(Person.objects.all(), user, via="street")
    return Person.objects.filter(person_links_q(scope.visible_communities(user)))


def editable_persons(user: User) -> QuerySet[Person]:
    if not scope.can_edit_anything(user):
        return Person.objects.none()
    return visible_persons(user)


def can_create_persons(user: User) -> bool:
    """Only street editors add bare persons; cadres add them through a roster or register,
    which links the person to their community (otherwise the cadre could not see the record)."""
    return scope.is_street_user(user) and scope.can_edit_anything(user)


def certificate_valid_at(cert: Certificate, day: dt.date) -> bool:
    """assessment.md: issued on or before the day and not yet expired (blank 发证日期 = not valid)."""
    return (
        cert.issued_on is not None
        and cert.issued_on <= day
        and (cert.expires_on is None or cert.expires_on > day)
    )


def valid_certificates_q(day: dt.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}issued_on__lte": day}) & (
        Q(**{f"{prefix}expires_on__isnull": True}) | Q(**{f"{prefix}expires_on__gt": day})
    )


def add_years(day: dt.date, years: int) -> dt.date:
    """The anniversary, as the assessment counts it (assessments.rules.whole_years): a
    29 February appointment reaches its anniversary on 1 March in a non-leap year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return dt.date(day.year + years, 3, 1)


# The plan's certificate deadlines for cadres (assessment.md B5): after 1 year in office a
# cadre must hold 三级 or above, after 3 years 一级 or above.
CADRE_DEADLINES = ((1, InstructorLevel.THIRD), (3, InstructorLevel.FIRST))


@dataclass(frozen=True)
class CadreDeadline:
    state: str  # "ok", "due", "overdue" or "left"
    label: str
    days: int | None = None
    deadline: dt.date | None = None
    required_level: str | None = None


def cadre_deadline(
    cadre: Cadre, certificates: Iterable[Certificate], today: dt.date
) -> CadreDeadline:
    """已达标 / 距期限N天 / 已逾期 for a cadre, from the certificates the person holds today."""
    if cadre.left_on is not None and cadre.left_on <= today:
        return CadreDeadline("left", "已离任")
    best = max(
        (
            LEVEL_RANK[InstructorLevel(c.level)]
            for c in certificates
            if certificate_valid_at(c, today)
        ),
        default=0,
    )
    required, passed_on = None, None  # the strictest level whose deadline has passed
    for years, level in CADRE_DEADLINES:
        if today >= (deadline := add_years(cadre.appointed_on, years)):
            required, passed_on = level, deadline
    if required is not None and best < LEVEL_RANK[required]:
        return CadreDeadline(
            "overdue", f"已逾期（须持{required}及以上证书）", 0, passed_on, required
        )
    for years, level in CADRE_DEADLINES:
        deadline = add_years(cadre.appointed_on, years)
        if best < LEVEL_RANK[level] and today < deadline:
            days = (deadline - today).days
            return CadreDeadline(
                "due", f"距期限{days}天（须取得{level}证书）", days, deadline, level
            )
    return CadreDeadline("ok", "已达标")
