"""Posting to and reading the inbox. Any layer may post (this app imports no other app).

Email is optional: with INBOX_EMAIL = True (and Django's mail backend set up), each new item
is also mailed to users with an address; a mail failure never stops the item being posted.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Count, IntegerField, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from .models import Item

if TYPE_CHECKING:
    from django.contrib.auth.models import User

log = logging.getLogger(__name__)


def post(
    users: Iterable[User], *, kind: str, title: str, url: str, body: str = "", key: str = ""
) -> list[Item]:
    """One item per user (users without an account id are skipped); with `key`, an item a
    user already has under that key is not posted again. One query to check, one to write."""
    users = {u.pk: u for u in users if u is not None and u.pk is not None}
    if key:
        have = set(
            Item.objects.filter(user_id__in=users, key=key).values_list("user_id", flat=True)
        )
        users = {pk: u for pk, u in users.items() if pk not in have}
    items = Item.objects.bulk_create(
        [Item(user_id=pk, kind=kind, title=title, body=body, url=url, key=key) for pk in users]
    )
    if getattr(settings, "INBOX_EMAIL", False):
        transaction.on_commit(lambda: _mail(list(users.values()), title, body, url))
    return items


def _mail(users: list[User], title: str, body: str, url: str) -> None:
    for user in users:
        if not user.email:
            continue
        try:
            send_mail(f"[社区文体工作平台] {title}", f"{body}\n\n{url}".strip(), None, [user.email])
        except Exception:  # noqa: BLE001 - email is optional; the inbox item is the record
            log.exception("inbox mail to user %s failed", user.pk)


def mark_read(user: User, pks: Iterable[int] | None = None) -> int:
    """Mark the user's items (all unread ones when `pks` is None) as read."""
    qs = Item.objects.filter(user=user, read_at__isnull=True)
    if pks is not None:
        qs = qs.filter(pk__in=list(pks))
    return qs.update(read_at=timezone.now())


def unread(user: User) -> QuerySet[Item]:
    return Item.objects.filter(user=user, read_at__isnull=True)


def unread_count(user: User) -> int:
    return unread(user).count()


def unread_count_of(user: User) -> Coalesce:
    """unread_count as a subquery, for a page that reads it along with its own row (it then
    sets request._inbox_unread, which the context processor reuses)."""
    counted = unread(user).order_by().values("user_id").annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)
