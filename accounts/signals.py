"""Security-log entries for sign-in, failures, lock-outs, sign-out and role changes.

Role and scope changes are made in the admin (Membership, and the superuser flag that makes
an operator); the acting user comes from the request that simple-history's middleware keeps.
"""

from __future__ import annotations

import time
from typing import Any

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver
from simple_history.models import HistoricalRecords

from communities.models import Membership
from security_log.models import Event, Result
from security_log.services import record

from .middleware import NO_DEVICE
from .otp import has_device

User = get_user_model()


def _current_request() -> Any:
    return getattr(HistoricalRecords.context, "request", None)


@receiver(user_logged_in)
def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if request is not None and hasattr(request, "session"):
        now = time.time()
        request.session["_auth_started"] = now
        request.session["_last_seen"] = now
        if not has_device(user):
            request.session[NO_DEVICE] = True
    record(Event.LOGIN, user=user, request=request)


@receiver(user_login_failed)
def _login_failed(sender: Any, credentials: dict, request: Any = None, **kwargs: Any) -> None:
    record(
        Event.LOGIN_FAILED,
        user=None,
        request=request,
        result=Result.FAILED,
        username=str(credentials.get("username", ""))[:150],
    )


@receiver(user_locked_out)
def _locked_out(sender: Any, request: Any, username: str, ip_address: str, **kwargs: Any) -> None:
    account = User.objects.filter(username=username).first() if username else None
    record(
        Event.LOCKOUT,
        user=account,
        request=request,
        result=Result.REFUSED,
        username=username or "",
    )


@receiver(user_logged_out)
def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    if user is None:
        return
    reason = getattr(request, "session_end_reason", None)
    if reason:
        record(Event.SESSION_EXPIRED, user=user, request=request, reason=reason)
    else:
        record(Event.LOGOUT, user=user, request=request)


def _role_change(membership: Membership, change: str) -> None:
    request = _current_request()
    actor = getattr(request, "user", None)
    record(
        Event.ROLE_CHANGED,
        user=actor,
        request=request,
        street_id=membership.street_id,
        change=change,
        target_user_id=membership.user_id,
        role=membership.role,
        community_id=membership.community_id,
    )


@receiver(pre_save, sender=Membership)
def _membership_before(sender: Any, instance: Membership, **kwargs: Any) -> None:
    instance._before = (
        Membership.objects.filter(pk=instance.pk)
        .values_list("role", "street_id", "community_id")
        .first()
        if instance.pk
        else None
    )


@receiver(post_save, sender=Membership)
def _membership_saved(sender: Any, instance: Membership, created: bool, **kwargs: Any) -> None:
    now = (instance.role, instance.street_id, instance.community_id)
    if created:
        _role_change(instance, "授予")
    elif getattr(instance, "_before", None) != now:
        _role_change(instance, "变更")


@receiver(post_delete, sender=Membership)
def _membership_deleted(sender: Any, instance: Membership, **kwargs: Any) -> None:
    _role_change(instance, "撤销")


@receiver(pre_save, sender=User)
def _operator_before(sender: Any, instance: Any, **kwargs: Any) -> None:
    fields = kwargs.get("update_fields")
    if fields is not None and "is_superuser" not in fields:  # e.g. last_login at sign-in
        instance._was_superuser = None
        return
    instance._was_superuser = (
        User.objects.filter(pk=instance.pk).values_list("is_superuser", flat=True).first()
        if instance.pk
        else None
    )


@receiver(post_save, sender=User)
def _operator_saved(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    was = getattr(instance, "_was_superuser", None)
    if (created and instance.is_superuser) or (was is not None and was != instance.is_superuser):
        request = _current_request()
        record(
            Event.ROLE_CHANGED,
            user=getattr(request, "user", None),
            request=request,
            change="授予系统管理员" if instance.is_superuser else "撤销系统管理员",
            target_user_id=instance.pk,
        )
