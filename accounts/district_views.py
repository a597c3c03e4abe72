"""区县账号: a district admin lists, creates, deactivates and resets the passwords of the
accounts of its district's streets (street roles only; district roles stay with the operator)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from communities import scope
from communities.models import Membership, Role
from communities.pages import ScopedListView

from . import services
from .filters import AccountFilter
from .forms import DistrictAccountForm, PasswordResetForm
from .policy import MANAGED_BY_DISTRICT
from .tables import DistrictAccountTable


def _district_admin(request: HttpRequest) -> None:
    """Only a district admin (not the operator: it has Django's admin) uses these pages."""
    if scope.role_of(request.user) != Role.DISTRICT_ADMIN:
        raise Http404("没有找到该页面，或您无权查看。")


def _errors(form: Any, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errs in error.error_dict.items():
            for e in errs:
                form.add_error(field if field in form.fields else None, e)
    else:
        for message in error.messages:
            form.add_error(None, message)


class DistrictAccountList(ScopedListView):
    model = Membership
    table_class = DistrictAccountTable
    filterset_class = AccountFilter
    scope_via = "street"
    list_select_related = ("user", "street", "community")
    title = "区县账号"
    export_name = "区县账号"
    create_url_name = "accounts:district_account_create"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated:
            _district_admin(request)
        return super().dispatch(request, *args, **kwargs)

    def get_base_queryset(self) -> QuerySet:
        return Membership.objects.filter(role__in=MANAGED_BY_DISTRICT, user__is_superuser=False)

    def user_may_create(self) -> bool:
        return True


@login_required
def district_account_create(request: HttpRequest) -> HttpResponse:
    _district_admin(request)
    streets = scope.visible_streets(request.user)
    communities = scope.visible_communities(request.user)
    form = DistrictAccountForm(request.POST or None, streets=streets, communities=communities)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.create_account(
                request.user,
                username=data["username"].strip(),
                password=data["password1"],
                role=data["role"],
                street=data["street"],
                community=data["community"],
                request=request,
            )
        except ValidationError as error:
            _errors(form, error)
        else:
            messages.success(request, f"已创建账号 {user.get_username()}。")
            return HttpResponseRedirect(reverse("accounts:district_accounts"))
    return render(
        request,
        "includes/form_page.html",
        {
            "form": form,
            "title": "新建街道账号",
            "cancel_url": reverse("accounts:district_accounts"),
        },
    )


@login_required
def district_account_password(request: HttpRequest, pk: int) -> HttpResponse:
    _district_admin(request)
    target = services.managed_account(request.user, pk)
    if target is None:
        raise Http404("没有找到该账号，或您无权操作。")
    form = PasswordResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.reset_password(
                request.user, target, form.cleaned_data["password1"], request=request
            )
        except ValidationError as error:
            _errors(form, error)
        else:
            messages.success(request, f"已重置账号 {target.get_username()} 的密码。")
            return HttpResponseRedirect(reverse("accounts:district_accounts"))
    return render(
        request,
        "includes/form_page.html",
        {
            "form": form,
            "title": f"重置密码：{target.get_username()}",
            "cancel_url": reverse("accounts:district_accounts"),
        },
    )


@require_POST
@login_required
def district_account_deactivate(request: HttpRequest, pk: int) -> HttpResponse:
    _district_admin(request)
    target = services.managed_account(request.user, pk)
    if target is None:
        raise Http404("没有找到该账号，或您无权操作。")
    try:
        services.deactivate_account(request.user, target, request=request)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, f"已停用账号 {target.get_username()}。")
    return HttpResponseRedirect(reverse("accounts:district_accounts"))
