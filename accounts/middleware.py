"""Per-request checks of a signed-in session: its time limits, its second factor, and the
age of its password. Each lets through the few pages needed to put things right."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone

from . import policy
from .otp import has_device

# A session's last-seen time is rewritten at most this often (seconds): not a write per request.
TOUCH_EVERY = 30
ENDED = {
    "idle": "您已超过 {minutes} 分钟未操作，为保护账号安全已自动退出，请重新登录。",
    "lifetime": "本次登录已超过 {hours} 小时，为保护账号安全已自动退出，请重新登录。",
}


def _static(path: str) -> bool:
    return path.startswith("/" + settings.STATIC_URL.lstrip("/"))


def _to(name: str, request: HttpRequest) -> HttpResponseRedirect:
    return HttpResponseRedirect(f"{reverse(name)}?{urlencode({'next': request.get_full_path()})}")


class SessionLimitsMiddleware:
    """Ends a session after SESSION_IDLE_TIMEOUT seconds without a request and, in any case,
    SESSION_ABSOLUTE_LIFETIME seconds after sign-in (logged as 会话超时)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and not _static(request.path):
            now = time.time()
            session = request.session
            started = session.setdefault("_auth_started", now)
            last_seen = session.setdefault("_last_seen", now)
            reason = policy.session_ended(
                now=now,
                started=started,
                last_seen=last_seen,
                idle=settings.SESSION_IDLE_TIMEOUT,
                lifetime=settings.SESSION_ABSOLUTE_LIFETIME,
            )
            if reason:
                request.session_end_reason = reason
                logout(request)
                messages.warning(
                    request,
                    ENDED[reason].format(
                        minutes=settings.SESSION_IDLE_TIMEOUT // 60,
                        hours=settings.SESSION_ABSOLUTE_LIFETIME // 3600,
                    ),
                )
                return _to("login", request)
            if now - last_seen >= TOUCH_EVERY:
                session["_last_seen"] = now
        return self.get_response(request)


# Set in the session when the user had no second factor at sign-in (or at the first check):
# spares two queries a request. Set-up and reset end or change the session anyway.
NO_DEVICE = "_otp_no_device"

# Pages a signed-in user reaches before the second factor: to give it, set it up, or leave.
BEFORE_SECOND_FACTOR = (
    "accounts:otp_verify",
    "accounts:otp_setup",
    "logout",
    "login",
    "admin:logout",
)


class SecondFactorMiddleware:
    """A user with a second factor gives it once per session before any other page (the admin
    included); a user whose role requires one and who has none is sent to set it up."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()
            and not _static(request.path)
            and request.path not in {reverse(n) for n in BEFORE_SECOND_FACTOR}
        ):
            if not request.session.get(NO_DEVICE):
                if has_device(user):
                    return _to("accounts:otp_verify", request)
                request.session[NO_DEVICE] = True
            if policy.must_use_second_factor(user):
                return _to("accounts:otp_setup", request)
        return self.get_response(request)


class PasswordExpiryMiddleware:
    """With PASSWORD_MAX_AGE_DAYS set, a password older than that must be changed first."""

    ALLOWED = ("accounts:password_change", "logout", "accounts:otp_verify", "accounts:otp_setup")
    CHECK_EVERY = 600  # seconds between checks within a session

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        days = settings.PASSWORD_MAX_AGE_DAYS
        user = request.user
        if days and user.is_authenticated and not _static(request.path):
            if request.path not in {reverse(n) for n in self.ALLOWED} and self._expired(
                request, days
            ):
                messages.warning(request, f"您的密码已超过 {days} 天未更换，请先修改密码。")
                return _to("accounts:password_change", request)
        return self.get_response(request)

    def _expired(self, request: HttpRequest, days: int) -> bool:
        checked = request.session.get("_pw_checked", 0)
        if time.time() - checked < self.CHECK_EVERY:
            return False
        from .models import PasswordHistory

        user = request.user
        changed = (
            PasswordHistory.objects.filter(user=user).values_list("created_at", flat=True).first()
            or user.date_joined
        )
        if timezone.now() - changed > timedelta(days=days):
            return True
        request.session["_pw_checked"] = time.time()
        return False
