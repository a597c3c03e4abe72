"""On record pages: the way to reveal a masked number ({% phone_reveal object %}) and to
anonymise a person ({% anonymise_link person %}), each only for the roles that may."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from teams.models import Person, Team

from .. import selectors

register = template.Library()


@register.inclusion_tag("privacy/_reveal.html", takes_context=True)
def phone_reveal(context: dict[str, Any], obj: Person | Team) -> dict[str, Any]:
    user = context["request"].user
    if isinstance(obj, Person):
        allowed, name = selectors.revealable_persons(user), "privacy:reveal_person"
    else:
        allowed, name = selectors.revealable_teams(user), "privacy:reveal_team"
    url = reverse(name, args=[obj.pk]) if allowed.filter(pk=obj.pk).exists() else None
    return {"has_phone": bool(obj.phone), "url": url}


@register.simple_tag(takes_context=True)
def anonymise_url(context: dict[str, Any], person: Person) -> str:
    user = context["request"].user
    if (
        selectors.is_anonymised(person)
        or not selectors.anonymisable_persons(user).filter(pk=person.pk).exists()
    ):
        return ""
    return reverse("privacy:anonymise", args=[person.pk])


@register.simple_tag(takes_context=True)
def retention_url(context: dict[str, Any]) -> str:
    """The review of persons past the retention period, for the roles that anonymise."""
    return reverse("privacy:retention") if selectors.may_anonymise(context["request"].user) else ""
