from django.http import HttpRequest

from .services import unread_count


def inbox(request: HttpRequest) -> dict:
    """The unread count in the top bar: one query per page, whatever the inbox holds."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"inbox_unread": unread_count(user)}
