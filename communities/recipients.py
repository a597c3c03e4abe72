"""Who is told in their inbox: a community's cadres, a street's checkers (one place for
every app that notifies — yearcycle's reporting periods, rectification's tasks)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model

from .models import Membership, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def cadres_of(community_ids: list[int]) -> dict[int, list[User]]:
    """The community admins (社区干部) of each community, by community id."""
    users: dict[int, list[User]] = {}
    for m in Membership.objects.filter(
        community_id__in=community_ids, role=Role.COMMUNITY_ADMIN
    ).select_related("user"):
        users.setdefault(m.community_id, []).append(m.user)
    return users


def checkers_of(street_id: int) -> list[User]:
    """The street's admins and staff, who check what its communities send (never district
    users)."""
    return list(
        get_user_model()
        .objects.filter(
            membership__street_id=street_id,
            membership__role__in=(Role.STREET_ADMIN, Role.STREET_STAFF),
        )
        .distinct()
    )
