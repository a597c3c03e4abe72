from django.http import HttpRequest

from .services import unread_count


def inbox(request: HttpRequest) -> dict:
    """The unread count in the top bar: one query per request, whatever the inbox holds
    (cached on the request: pages that render row templates run processors many times)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    if not hasattr(request, "_inbox_unread"):
        request._inbox_unread = unread_count(user)
    return {"inbox_unread": request._inbox_unread}
