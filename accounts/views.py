"""账号安全: second factor (set up, give, backup codes, reset), password change, the accounts
of a street with their second-factor state, and the security log."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from communities import scope
from communities.models import Membership
from communities.pages import ScopedListView
from security_log.models import Event, Result, SecurityEvent
from security_log.services import record

from . import otp, policy
from .filters import AccountFilter, SecurityEventFilter
from .forms import SetupForm, TokenForm
from .tables import AccountTable, SecurityEventTable

User = get_user_model()
MAX_TOKEN_FAILURES = 5


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("home")


def _method(device: Any) -> str:
    return "backup_code" if isinstance(device, StaticDevice) else "totp"


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    user = request.user
    return render(
        request,
        "accounts/overview.html",
        {
            "title": "账号安全",
            "totp": otp.totp_device(user),
            "codes_left": otp.backup_codes_left(user),
            "required": policy.must_use_second_factor(user),
        },
    )


@never_cache
@login_required
def otp_setup(request: HttpRequest) -> HttpResponse:
    """Enrol a TOTP app: QR code + key, confirmed by a first code; backup codes follow."""
    user = request.user
    if otp.has_device(user) and not user.is_verified():
        return HttpResponseRedirect(f"{reverse('accounts:otp_verify')}?next={_next(request)}")
    form = SetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = otp.confirm_totp(user, form.cleaned_data["token"])
        if device is None:
            record(Event.OTP_ENROLLED, user=user, request=request, result=Result.FAILED)
            form.add_error("token", "验证码不正确，请核对手机时间后重新输入。")
        else:
            codes = otp.new_backup_codes(user)
            otp_login(request, device)
            record(Event.OTP_ENROLLED, user=user, request=request, backup_codes=len(codes))
            return render(
                request,
                "accounts/backup_codes.html",
                {"title": "双因素已启用", "codes": codes, "next": _next(request), "new": True},
            )
    device = otp.pending_totp(user)
    return render(
        request,
        "accounts/otp_setup.html",
        {
            "title": "设置双因素登录",
            "form": form,
            "qr": otp.qr_svg(device),
            "secret": otp.secret_text(device),
            "required": policy.must_use_second_factor(user),
            "next": _next(request),
        },
    )


@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code from the app, or one backup code."""
    user = request.user
    if user.is_verified() or not otp.has_device(user):
        return HttpResponseRedirect(_next(request))
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = otp.check_token(user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            request.session.pop("_otp_failures", None)
            record(Event.OTP_VERIFIED, user=user, request=request, method=_method(device))
            if isinstance(device, StaticDevice):
                left = otp.backup_codes_left(user)
                messages.warning(request, f"已使用一个备用验证码，还剩 {left} 个。")
            return HttpResponseRedirect(_next(request))
        failures = request.session.get("_otp_failures", 0) + 1
        record(Event.OTP_VERIFIED, user=user, request=request, result=Result.FAILED)
        if failures >= MAX_TOKEN_FAILURES:
            logout(request)
            messages.error(request, f"连续 {failures} 次验证码错误，已退出登录，请重新登录。")
            return HttpResponseRedirect(reverse("login"))
        request.session["_otp_failures"] = failures
        form.add_error("token", "验证码不正确或已使用过，请重新输入。")
    return render(
        request,
        "accounts/otp_verify.html",
        {"title": "双因素验证", "form": form, "next": _next(request)},
    )


@never_cache
@require_POST
@login_required
def backup_codes(request: HttpRequest) -> HttpResponse:
    """A new set of backup codes (the old ones stop working), shown once."""
    user = request.user
    if not otp.totp_device(user):
        messages.error(request, "请先启用双因素登录。")
        return HttpResponseRedirect(reverse("accounts:overview"))
    codes = otp.new_backup_codes(user)
    record(Event.BACKUP_CODES, user=user, request=request, backup_codes=len(codes))
    return render(
        request,
        "accounts/backup_codes.html",
        {"title": "新的备用验证码", "codes": codes, "next": reverse("accounts:overview")},
    )


@require_POST
@login_required
def otp_reset(request: HttpRequest, pk: int) -> HttpResponse:
    """A street admin (their street's users) or the operator removes a user's second factor."""
    target = User.objects.filter(pk=pk).first()
    if target is None or not policy.can_reset_second_factor(request.user, target):
        raise Http404("没有找到该账号，或您无权操作。")
    removed = otp.reset(target)
    record(
        Event.OTP_RESET,
        user=request.user,
        request=request,
        street_id=policy.street_id_of(target),
        target_user_id=target.pk,
        devices=removed,
    )
    messages.success(
        request, f"已重置账号 {target.get_username()} 的双因素登录，该用户下次登录时需重新设置。"
    )
    return HttpResponseRedirect(reverse("accounts:users"))


class PasswordChange(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:overview")
    extra_context = {"title": "修改密码"}

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        record(Event.PASSWORD_CHANGED, user=self.request.user, request=self.request)
        self.request.session["_pw_checked"] = 0
        messages.success(self.request, "密码已修改。")
        return response


class _AdminOnly:
    request: HttpRequest

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated and not scope.can_administer(request.user):
            raise Http404("没有找到该页面，或您无权查看。")
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


class AccountList(_AdminOnly, ScopedListView):
    """The accounts of the admin's street (all streets for the operator), with their
    second-factor state and a reset button."""

    model = Membership
    table_class = AccountTable
    filterset_class = AccountFilter
    scope_via = "street"
    list_select_related = ("user", "street", "community")
    title = "账号与双因素"
    export_name = "账号"

    def get_base_queryset(self) -> QuerySet:
        user = OuterRef("user")
        return Membership.objects.annotate(
            has_second_factor=Exists(TOTPDevice.objects.filter(user=user, confirmed=True))
            | Exists(StaticDevice.objects.filter(user=user, confirmed=True))
        )


class SecurityLogList(_AdminOnly, ScopedListView):
    """安全日志: the operator reads all of it, a street admin their street's accounts'."""

    model = SecurityEvent
    table_class = SecurityEventTable
    filterset_class = SecurityEventFilter
    title = "安全日志"

    def get_scoped_queryset(self) -> QuerySet:
        rows = SecurityEvent.objects.all()
        user = self.request.user
        if user.is_superuser:
            return rows
        street = policy.street_id_of(user)
        return rows.filter(street_id=street) if street else rows.none()
