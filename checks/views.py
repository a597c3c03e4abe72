"""The street admin's page of validation rules: switch each on or off, set its level and
parameters. Only a street admin of the street may open or change it (others: 403)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from communities import scope
from communities.models import Street

from . import services
from .forms import RuleSettingForm
from .registry import KIND_LABELS, RULES
from .selectors import settings_for


def _street(request: HttpRequest) -> Street:
    if not scope.can_administer(request.user):
        raise PermissionDenied("只有街道管理员可以设置校验规则。")
    streets = [s for s in scope.visible_streets(request.user).order_by("name")]
    streets = [s for s in streets if services.may_change(request.user, s)]
    wanted = request.GET.get("street") or request.POST.get("street")
    chosen = next((s for s in streets if str(s.pk) == wanted), None) if wanted else None
    street = chosen or (streets[0] if streets else None)
    if street is None:
        raise Http404("没有可设置的街道。")
    return street


@login_required
def rule_settings(request: HttpRequest) -> HttpResponse:
    street = _street(request)
    current = settings_for(street.pk)
    posted = request.POST.get("code") if request.method == "POST" else None
    if posted is not None and posted not in RULES:
        raise Http404("没有这条校验规则。")
    forms = []
    for rule in sorted(RULES.values(), key=lambda r: (list(KIND_LABELS).index(r.kind), r.code)):
        setting = current[rule.code]
        initial = {
            "enabled": setting.enabled,
            "severity": setting.severity,
            "low": setting.low,
            "high": setting.high,
        }
        data = request.POST if posted == rule.code else None
        forms.append(RuleSettingForm(data, rule=rule, initial=initial))
    for form in forms:
        if form.is_bound and form.is_valid():
            try:
                services.rule_update(
                    user=request.user, street=street, code=form.rule.code, **form.cleaned_data
                )
            except ValidationError as error:
                for message in error.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, f"规则“{form.rule.label}”已保存。")
                return HttpResponseRedirect(f"{reverse('checks:settings')}?street={street.pk}")
    return render(
        request,
        "checks/settings.html",
        {"street": street, "forms": forms, "kind_labels": KIND_LABELS},
    )
