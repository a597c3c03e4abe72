from django.http import HttpRequest

from . import scope


def membership(request: HttpRequest) -> dict:
    """The signed-in user's role and what it allows, for menus (never for access checks)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    m = scope.membership_of(user)
    return {
        "membership": m,
        "can_verify": scope.can_verify(user),
        "can_administer": scope.can_administer(user),
        "can_edit": scope.can_edit_anything(user),
        "is_street_user": scope.is_street_user(user),
        "is_district_user": scope.is_district_user(user),
    }
