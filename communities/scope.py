"""The one place that answers "what may this user see and change".

Every view, form, export, file download and admin queryset asks this module; nothing else
reads Membership to decide access. Objects outside a user's scope are answered with 404,
so a cadre who edits a URL learns nothing about other communities.

    street admin / street staff  see and change every community of their street
    leader                       sees every community of their street, changes nothing
    community cadre              sees and changes only their own community
    district admin               sees every street of their district, changes no community's
                                 records; runs the district's own things (its scheme,
                                 rankings, white paper)
    district viewer              sees every street of their district, changes nothing
    superuser                    sees and changes every street (the platform operator)
    anyone else                  sees nothing
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404

from .models import DISTRICT_ROLES, Community, District, Membership, Role, Street

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.auth.models import User as Account

    # Whoever makes a request: a signed-in account or the anonymous user. Every function
    # that decides or records by user takes this type (import it under TYPE_CHECKING).
    User = Account | AnonymousUser

M = TypeVar("M", bound=Model)

STREET_ROLES = (Role.STREET_ADMIN, Role.STREET_STAFF, Role.LEADER)
EDITING_ROLES = (Role.STREET_ADMIN, Role.STREET_STAFF, Role.COMMUNITY_ADMIN)


def membership_of(user: User) -> Membership | None:
    if not user.is_authenticated:
        return None
    # Cached on the user object: a request asks this many times.
    if not hasattr(user, "_scope_membership"):
        user._scope_membership = (
            Membership.objects.select_related("district", "street", "community")
            .filter(user=user)
            .first()
        )
    return user._scope_membership


def role_of(user: User) -> str | None:
    m = membership_of(user)
    return m.role if m else None


def is_street_user(user: User) -> bool:
    """Street admin, street staff, leader, a district role (or a superuser): sees whole
    streets."""
    if user.is_authenticated and user.is_superuser:
        return True
    return role_of(user) in (*STREET_ROLES, *DISTRICT_ROLES)


def is_district_user(user: User) -> bool:
    """District admin or viewer (or a superuser): sees the district's pages."""
    if user.is_authenticated and user.is_superuser:
        return True
    return role_of(user) in DISTRICT_ROLES


def can_administer_district(user: User) -> bool:
    """The district's scheme, its assessors' scores (考评), its white paper."""
    if user.is_authenticated and user.is_superuser:
        return True
    return role_of(user) == Role.DISTRICT_ADMIN


def sees_many_streets(user: User) -> bool:
    """A superuser or a district user: pages offer a choice of street."""
    if user.is_authenticated and user.is_superuser:
        return True
    return role_of(user) in DISTRICT_ROLES


def visible_districts(user: User) -> QuerySet[District]:
    if not user.is_authenticated:
        return District.objects.none()
    if user.is_superuser:
        return District.objects.all()
    m = membership_of(user)
    if m is None:
        return District.objects.none()
    if m.district_id is not None:
        return District.objects.filter(pk=m.district_id)
    # A street user sees their own district's name (and what it publishes), nothing more.
    return District.objects.filter(streets__pk=m.street_id)


def can_verify(user: User) -> bool:
    """Verify, return and reopen activities; score manual indicators; run assessments."""
    if user.is_authenticated and user.is_superuser:
        return True
    return role_of(user) in (Role.STREET_ADMIN, Role.STREET_STAFF)


def can_administer(user: User) -> bool:
    """Schemes, plan targets, finalising an assessment, users."""
    if user.is_authenticated and user.is_superuser:
        return True
    return role_of(user) == Role.STREET_ADMIN


def can_edit_anything(user: User) -> bool:
    if user.is_authenticated and user.is_superuser:
        return True
    return role_of(user) in EDITING_ROLES


def visible_streets(user: User) -> QuerySet[Street]:
    if not user.is_authenticated:
        return Street.objects.none()
    if user.is_superuser:
        return Street.objects.all()
    m = membership_of(user)
    if m is None:
        return Street.objects.none()
    if m.role in DISTRICT_ROLES:
        return Street.objects.filter(district_id=m.district_id)
    return Street.objects.filter(pk=m.street_id)


def visible_communities(user: User) -> QuerySet[Community]:
    if not user.is_authenticated:
        return Community.objects.none()
    if user.is_superuser:
        return Community.objects.all()
    m = membership_of(user)
    if m is None:
        return Community.objects.none()
    if m.role == Role.COMMUNITY_ADMIN:
        return Community.objects.filter(pk=m.community_id)
    if m.role in DISTRICT_ROLES:
        return Community.objects.filter(street__district_id=m.district_id)
    return Community.objects.filter(street_id=m.street_id)


def editable_communities(user: User) -> QuerySet[Community]:
    if not user.is_authenticated:
        return Community.objects.none()
    if user.is_superuser:
        return Community.objects.all()
    m = membership_of(user)
    if m is None or m.role == Role.LEADER or m.role in DISTRICT_ROLES:
        return Community.objects.none()
    if m.role == Role.COMMUNITY_ADMIN:
        return Community.objects.filter(pk=m.community_id)
    return Community.objects.filter(street_id=m.street_id)


def scope(
    qs: QuerySet[M], user: User, *, via: str = "community", editable: bool = False
) -> QuerySet[M]:
    """Restrict any queryset to the user's communities.

    `via` is the lookup path from the model to its Community ("community",
    "team__community", …), or "street" for street-level records such as Person.
    """
    if user.is_authenticated and user.is_superuser:
        return qs
    if via == "street" or via.endswith("__street"):
        if editable and not can_edit_anything(user):
            return qs.none()
        return qs.filter(**{f"{via}__in": visible_streets(user)})
    communities = editable_communities(user) if editable else visible_communities(user)
    return qs.filter(**{f"{via}__in": communities})


def get_for_user_or_404(
    qs: QuerySet[M], user: User, *, via: str = "community", editable: bool = False, **lookup
) -> M:
    """The object matching `lookup` inside the user's scope, or 404 (never 403: no hint)."""
    try:
        return scope(qs, user, via=via, editable=editable).get(**lookup)
    except qs.model.DoesNotExist:
        raise Http404("没有找到该记录，或您无权查看。") from None


def can_edit_community(user: User, community: Community | int) -> bool:
    cid = community if isinstance(community, int) else community.pk
    return editable_communities(user).filter(pk=cid).exists()


def can_view_community(user: User, community: Community | int) -> bool:
    cid = community if isinstance(community, int) else community.pk
    return visible_communities(user).filter(pk=cid).exists()


def ensure_can_edit(user: User, community: Community | int | None) -> None:
    """Services call this before writing: a record may only be saved into an editable community."""
    if community is None:
        raise ValidationError({"community": "请选择社区。"})
    if not can_edit_community(user, community):
        raise ValidationError({"community": "您无权编辑该社区的记录。"})
