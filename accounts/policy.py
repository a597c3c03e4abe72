"""Who must use a second factor, whose second factor a user may reset, and sessions' limits —
plain functions of a role and a few numbers, testable without a database."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from communities import scope
from communities.models import DISTRICT_ROLES, Role

User = AbstractBaseUser | AnonymousUser

OPERATOR = "operator"  # a superuser: the district operator


def role_key(user: User) -> str | None:
    """The role as OTP_REQUIRED_ROLES names it: a Role value, or "operator"."""
    if not user.is_authenticated:
        return None
    if user.is_superuser:
        return OPERATOR
    return scope.role_of(user)


def second_factor_required(role: str | None, required_roles: list[str] | tuple[str, ...]) -> bool:
    return role is not None and role in required_roles


def must_use_second_factor(user: User) -> bool:
    return second_factor_required(role_key(user), settings.OTP_REQUIRED_ROLES)


def street_id_of(user: User) -> int | None:
    m = scope.membership_of(user)
    return m.street_id if m else None


def can_reset_second_factor(actor: User, target: User) -> bool:
    """The operator resets anyone's; a street admin those of their street's users (not an
    operator's); nobody their own (a lost phone is reported to someone else)."""
    if not actor.is_authenticated or actor.pk == target.pk:
        return False
    if actor.is_superuser:
        return True
    if target.is_superuser or scope.role_of(actor) != Role.STREET_ADMIN:
        return False
    return street_id_of(target) == street_id_of(actor) is not None


# The roles a district admin may give and manage: its streets' roles. District roles stay with
# the platform operator (a district admin does not make other district users).
MANAGED_BY_DISTRICT = (Role.STREET_ADMIN, Role.STREET_STAFF, Role.LEADER, Role.COMMUNITY_ADMIN)


def district_may_manage(
    *,
    actor_role: str | None,
    actor_district_id: int | None,
    actor_id: int,
    target_id: int,
    target_is_superuser: bool,
    target_role: str | None,
    target_district_id: int | None,
) -> bool:
    """Whether a district admin may create, deactivate or reset the password of an account:
    a street role on a street of its own district, never an operator, never itself."""
    return (
        actor_role == Role.DISTRICT_ADMIN
        and actor_district_id is not None
        and actor_id != target_id
        and not target_is_superuser
        and target_role in MANAGED_BY_DISTRICT
        and target_role not in DISTRICT_ROLES
        and target_district_id == actor_district_id
    )


def session_ended(
    *, now: float, started: float, last_seen: float, idle: int, lifetime: int
) -> str | None:
    """Why a session is over ("idle" or "lifetime"), or None while it may go on."""
    if now - started > lifetime:
        return "lifetime"
    if now - last_seen > idle:
        return "idle"
    return None
