"""Reads of personal-data protection: who may reveal or anonymise whom, who has left, and
who is past the retention period."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import (
    DateField,
    Exists,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, Greatest, NullIf, TruncDate
from django.utils import timezone

from communities import scope
from teams import selectors as teams
from teams.models import Cadre, Certificate, Person, Team, TeamMember, Volunteer

from . import rules
from .models import Anonymisation

User = AbstractBaseUser | AnonymousUser
_NEVER = dt.date(1900, 1, 1)


def _allowed(user: User, setting: str) -> bool:
    if not user.is_authenticated:
        return False
    return rules.role_allowed(
        scope.role_of(user),
        is_superuser=user.is_superuser,
        allowed=getattr(settings, setting),
    )


def may_reveal(user: User) -> bool:
    return _allowed(user, "PIPL_REVEAL_ROLES")


def may_anonymise(user: User) -> bool:
    return _allowed(user, "PIPL_ANONYMISE_ROLES")


def revealable_persons(user: User) -> QuerySet[Person]:
    """A street admin: the street's persons; a community admin: the persons tied to their
    community (the scope's own rule); anyone else: none."""
    return teams.visible_persons(user) if may_reveal(user) else Person.objects.none()


def revealable_teams(user: User) -> QuerySet[Team]:
    return scope.scope(Team.objects.all(), user) if may_reveal(user) else Team.objects.none()


def anonymisable_persons(user: User) -> QuerySet[Person]:
    return teams.visible_persons(user) if may_anonymise(user) else Person.objects.none()


# ---------------------------------------------------------------- who has left


def _latest(model: type, path: str, field: str) -> Subquery:
    rows = model.objects.filter(**{path: OuterRef("pk")}).values(path)
    return Subquery(rows.annotate(m=Max(field)).values("m")[:1], output_field=DateField())


def _live(day: dt.date) -> dict[str, Exists]:
    ongoing = lambda f: Q(**{f"{f}__isnull": True}) | Q(**{f"{f}__gt": day})  # noqa: E731
    return {
        "team": Exists(
            TeamMember.objects.filter(person=OuterRef("pk")).filter(ongoing("team__dissolved_on"))
        ),
        "volunteer": Exists(
            Volunteer.objects.filter(person=OuterRef("pk")).filter(ongoing("left_on"))
        ),
        "cadre": Exists(Cadre.objects.filter(person=OuterRef("pk")).filter(ongoing("left_on"))),
        "certificate": Exists(
            Certificate.objects.filter(person=OuterRef("pk")).filter(
                teams.valid_certificates_q(day)
            )
        ),
    }


def with_left_on(persons: QuerySet[Person], today: dt.date) -> QuerySet[Person]:
    """Persons annotated with `left_on` (rules.left_on, computed by the database): NULL for
    those still active."""
    ends = [
        _latest(TeamMember, "person", "team__dissolved_on"),
        _latest(Volunteer, "person", "left_on"),
        _latest(Cadre, "person", "left_on"),
        _latest(Certificate, "person", "expires_on"),
    ]
    never = Value(_NEVER, output_field=DateField())
    latest_end = NullIf(Greatest(*(Coalesce(e, never) for e in ends)), never)
    last_change = Subquery(
        Person.history.filter(id=OuterRef("pk"))
        .order_by("-history_date")
        .annotate(day=TruncDate("history_date"))
        .values("day")[:1],
        output_field=DateField(),
    )
    live = Q()
    for flag in _live(today).values():
        live |= Q(flag)
    return persons.exclude(live).annotate(
        left_on=Coalesce(latest_end, last_change, output_field=DateField())
    )


def links_of(person: Person, today: dt.date) -> list[rules.Link]:
    """One person's ties, for rules.left_on (the anonymise check)."""
    links = [
        rules.Link(m.team.dissolved_on is None or m.team.dissolved_on > today, m.team.dissolved_on)
        for m in TeamMember.objects.filter(person=person).select_related("team")
    ]
    links += [
        rules.Link(v.left_on is None or v.left_on > today, v.left_on)
        for v in Volunteer.objects.filter(person=person)
    ]
    links += [
        rules.Link(c.left_on is None or c.left_on > today, c.left_on)
        for c in Cadre.objects.filter(person=person)
    ]
    links += [
        rules.Link(teams.certificate_valid_at(c, today), c.expires_on)
        for c in Certificate.objects.filter(person=person)
    ]
    return links


def last_change(person: Person) -> dt.date | None:
    latest = person.history.order_by("-history_date").values_list("history_date", flat=True)
    moment = latest.first()
    return timezone.localdate(moment) if moment else None


def person_left_on(person: Person, today: dt.date) -> dt.date | None:
    return rules.left_on(links_of(person, today), last_change(person))


def retention_due(user: User, today: dt.date, days: int | None = None) -> QuerySet[Person]:
    """Persons of the user's scope who left at least `days` (the retention setting) ago and
    are not anonymised yet: the street admin's review list."""
    days = settings.PIPL_RETENTION_DAYS if days is None else days
    persons = anonymisable_persons(user).exclude(
        Exists(Anonymisation.objects.filter(person=OuterRef("pk")))
    )
    return with_left_on(persons, today).filter(left_on__lte=today - dt.timedelta(days=days))


def is_anonymised(person: Person) -> bool:
    return Anonymisation.objects.filter(person=person).exists()


def retention_days() -> int:
    return int(settings.PIPL_RETENTION_DAYS)


def describe(record: Any) -> str:
    """What the security log says was looked at: a model label and id, never a name."""
    return record._meta.label_lower
