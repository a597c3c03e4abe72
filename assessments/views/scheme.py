"""Schemes: the list, a scheme, copying it to a year, its settings and grade bands, and
editing, adding and deleting its indicators (the district's published copy is frozen)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from communities import scope

from .. import selectors, services
from ..forms import (
    BandFormSet,
    IndicatorForm,
    ManualIndicatorForm,
    NewSchemeForm,
    SchemeSettingsForm,
    YearForm,
)
from ..models import Indicator, Scheme
from ..scheme_edits import DISTRICT_SCHEME_FROZEN
from .common import flash_errors, require


def _street_user(request: HttpRequest) -> None:
    require(scope.is_street_user(request.user), "只有街道用户可以查看考核方案。")


@login_required
def scheme_list(request: HttpRequest) -> HttpResponse:
    _street_user(request)
    can_admin = scope.can_administer(request.user)
    form = NewSchemeForm(request.POST or None, user=request.user) if can_admin else None
    if request.method == "POST":
        require(can_admin, "只有街道管理员可以建立考核方案。")
        if form.is_valid():
            try:
                scheme = services.scheme_ensure(
                    street=form.cleaned_data["street"],
                    year=form.cleaned_data["year"],
                    user=request.user,
                )
            except (ValidationError, PermissionDenied) as exc:
                flash_errors(request, exc)
            else:
                messages.success(request, f"{scheme.street} {scheme.year} 年考核方案已就绪。")
                return HttpResponseRedirect(reverse("assessments:scheme", args=[scheme.pk]))
    return render(
        request,
        "assessments/scheme_list.html",
        {
            "schemes": list(selectors.schemes_for(request.user)),
            "form": form,
        },
    )


@login_required
def scheme_detail(request: HttpRequest, pk: int) -> HttpResponse:
    _street_user(request)
    scheme = selectors.scheme_or_404(request.user, pk)
    can_admin = scope.can_administer(request.user)
    indicators = list(scheme.indicators.select_related("card").order_by("order"))
    cards = list(scheme.cards.order_by("order"))
    sums = {c.pk: sum((i.points for i in indicators if i.card_id == c.pk), 0) for c in cards}
    return render(
        request,
        "assessments/scheme_detail.html",
        {
            "scheme": scheme,
            "cards": [(c, sums[c.pk]) for c in cards],
            "indicators": indicators,
            "bands": list(scheme.grade_bands.order_by("-min_total")),
            "bonus_levels": list(scheme.bonus_levels.order_by("points")),
            "can_admin": can_admin and scheme.district_scheme_id is None,
            "district_scheme": scheme.district_scheme,
            "copy_form": YearForm(initial={"year": scheme.year + 1}) if can_admin else None,
            "manual_form": ManualIndicatorForm(scheme=scheme) if can_admin else None,
            "has_runs": scheme.runs.exists(),
        },
    )


def _admin_scheme(request: HttpRequest, pk: int) -> Scheme:
    scheme = selectors.scheme_or_404(request.user, pk)
    require(scope.can_administer(request.user), "只有街道管理员可以修改考核方案。")
    return scheme


def _frozen(request: HttpRequest, scheme: Scheme) -> HttpResponse | None:
    """The street's copy of its district's published scheme: every edit page refuses it."""
    if scheme.district_scheme_id is None:
        return None
    messages.error(request, DISTRICT_SCHEME_FROZEN)
    return HttpResponseRedirect(reverse("assessments:scheme", args=[scheme.pk]))


def _admin_indicator(request: HttpRequest, pk: int) -> Indicator:
    indicator = scope.get_for_user_or_404(
        Indicator.objects.select_related("scheme", "scheme__street"),
        request.user,
        via="scheme__street",
        pk=pk,
    )
    require(scope.can_administer(request.user), "只有街道管理员可以修改考核方案。")
    return indicator


@login_required
@require_POST
def scheme_copy(request: HttpRequest, pk: int) -> HttpResponse:
    scheme = _admin_scheme(request, pk)
    form = YearForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写有效的年度。")
        return HttpResponseRedirect(reverse("assessments:scheme", args=[pk]))
    try:
        copy = services.scheme_copy(
            scheme=scheme, year=form.cleaned_data["year"], user=request.user
        )
    except ValidationError as exc:
        flash_errors(request, exc)
        return HttpResponseRedirect(reverse("assessments:scheme", args=[pk]))
    messages.success(request, f"已复制为 {copy.year} 年方案。")
    return HttpResponseRedirect(reverse("assessments:scheme", args=[copy.pk]))


def _scheme_form(
    request: HttpRequest,
    form: Any,
    save: Callable[[dict[str, Any]], object],
    *,
    scheme_id: int,
    title: str,
    success: str,
    indicator: Indicator | None = None,
) -> HttpResponse:
    """A scheme edit page: on a valid POST call the service; its refusals show on the form."""
    back = reverse("assessments:scheme", args=[scheme_id])
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, success)
            return HttpResponseRedirect(back)
    context = {"title": title, "form": form, "indicator": indicator, "cancel_url": back}
    return render(request, "assessments/indicator_form.html", context)


@login_required
def indicator_edit(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = _admin_indicator(request, pk)
    if (refused := _frozen(request, indicator.scheme)) is not None:
        return refused
    form = IndicatorForm(request.POST or None, indicator=indicator)
    return _scheme_form(
        request,
        form,
        lambda data: services.indicator_update(
            indicator=indicator,
            user=request.user,
            name=data["name"],
            points=data["points"],
            params=form.params(),
        ),
        scheme_id=indicator.scheme_id,
        title=f"修改指标 {indicator.code}",
        success=f"指标 {indicator.code} 已保存。",
        indicator=indicator,
    )


@login_required
@require_POST
def indicator_delete(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = _admin_indicator(request, pk)
    if (refused := _frozen(request, indicator.scheme)) is not None:
        return refused
    try:
        services.indicator_delete(indicator=indicator, user=request.user)
    except ValidationError as exc:
        flash_errors(request, exc)
    else:
        messages.success(request, f"指标 {indicator.code} 已删除。")
    return HttpResponseRedirect(reverse("assessments:scheme", args=[indicator.scheme_id]))


@login_required
def manual_indicator_add(request: HttpRequest, pk: int) -> HttpResponse:
    scheme = _admin_scheme(request, pk)
    if (refused := _frozen(request, scheme)) is not None:
        return refused
    return _scheme_form(
        request,
        ManualIndicatorForm(request.POST or None, scheme=scheme),
        lambda data: services.manual_indicator_add(scheme=scheme, user=request.user, **data),
        scheme_id=pk,
        title="添加人工评分指标",
        success="人工评分指标已添加。",
    )


@login_required
def scheme_bands(request: HttpRequest, pk: int) -> HttpResponse:
    scheme = _admin_scheme(request, pk)
    if (refused := _frozen(request, scheme)) is not None:
        return refused
    initial = [
        {"name": b.name, "min_total": b.min_total}
        for b in scheme.grade_bands.order_by("-min_total")
    ]
    formset = BandFormSet(request.POST or None, initial=initial)
    error = ""
    if request.method == "POST" and formset.is_valid():
        bands = [
            (f.cleaned_data["name"], f.cleaned_data["min_total"])
            for f in formset
            if f.cleaned_data.get("name") and f.cleaned_data.get("min_total") is not None
        ]
        try:
            services.grade_bands_update(scheme=scheme, user=request.user, bands=bands)
        except ValidationError as exc:
            error = "；".join(exc.messages)
        else:
            messages.success(request, "等次已保存。")
            return HttpResponseRedirect(reverse("assessments:scheme", args=[pk]))
    return render(
        request,
        "assessments/bands_form.html",
        {"scheme": scheme, "formset": formset, "error": error},
    )


@login_required
def scheme_settings(request: HttpRequest, pk: int) -> HttpResponse:
    scheme = _admin_scheme(request, pk)
    if (refused := _frozen(request, scheme)) is not None:
        return refused
    form = SchemeSettingsForm(request.POST or None, scheme=scheme)
    fields = (
        "bonus_cap",
        "cadre_basic_years",
        "cadre_basic_level",
        "cadre_senior_years",
        "cadre_senior_level",
    )
    return _scheme_form(
        request,
        form,
        lambda data: services.scheme_settings_update(
            scheme=scheme,
            user=request.user,
            bonus_levels=form.bonus_levels(),
            **{name: data[name] for name in fields},
        ),
        scheme_id=pk,
        title=f"{scheme.year} 年方案参数",
        success="方案参数已保存。",
    )
