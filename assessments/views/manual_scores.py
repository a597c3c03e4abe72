"""Manual scores (人工指标): the scheme's list of them, one community's 自评, 街道考评 and
区县考评 of an item, and the evidence file."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render

from communities import scope
from communities.models import Community
from security_log.models import Event
from security_log.services import record as log_event

from .. import selectors, services
from ..forms import (
    AssessForm,
    SelfScoreForm,
)
from ..models import Indicator, ManualScore
from .common import flash_errors, require


@login_required
def manual_list(request: HttpRequest, pk: int) -> HttpResponse:
    scheme = selectors.scheme_or_404(request.user, pk)
    indicators = list(
        scheme.indicators.filter(is_manual=True).select_related("card").order_by("order")
    )
    communities = list(
        scope.visible_communities(request.user).filter(street=scheme.street).order_by("name")
    )
    scores = selectors.manual_scores_for(scheme, request.user)
    rows = [(c, [(i, scores.get((i.pk, c.pk))) for i in indicators]) for c in communities]
    return render(
        request,
        "assessments/manual_list.html",
        {
            "scheme": scheme,
            "indicators": indicators,
            "rows": rows,
        },
    )


@login_required
def manual_score(request: HttpRequest, pk: int, community: int) -> HttpResponse:
    user = request.user
    indicator = scope.get_for_user_or_404(
        Indicator.objects.select_related("scheme", "scheme__street", "card").filter(is_manual=True),
        user,
        via="scheme__street",
        pk=pk,
    )
    target = scope.get_for_user_or_404(
        Community.objects.filter(street=indicator.scheme.street), user, via="pk", pk=community
    )
    existing = ManualScore.objects.filter(indicator=indicator, community=target).first()
    can_self = scope.can_edit_community(user, target)
    can_assess = can_self and scope.can_verify(user)
    self_form = (
        SelfScoreForm(initial=_initial(existing, ("self_score", "self_note"))) if can_self else None
    )
    assess_form = (
        AssessForm(
            letters=indicator.letter_grades,
            initial=_initial(existing, ("assessor_score", "letter_grade", "assessor_note")),
        )
        if can_assess
        else None
    )
    is_district_item = indicator.scheme.district_scheme_id is not None
    can_district = is_district_item and scope.can_administer_district(user)
    district_form = (
        AssessForm(
            letters=indicator.letter_grades,
            prefix="district",
            initial=_initial_district(existing),
        )
        if can_district
        else None
    )
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "district":
                require(can_district, "只有本区县的管理员可以进行区县考评。")
                district_form = AssessForm(
                    request.POST, letters=indicator.letter_grades, prefix="district"
                )
                if district_form.is_valid():
                    _assessed(
                        services.manual_district_assess, district_form, indicator, target, user
                    )
                    messages.success(request, "区县考评已保存。")
                    return HttpResponseRedirect(request.path)
            elif action == "self":
                require(can_self, "您无权为该社区自评。")
                self_form = SelfScoreForm(request.POST, request.FILES)
                if self_form.is_valid():
                    services.manual_self_score(
                        indicator=indicator,
                        community=target,
                        user=user,
                        score=self_form.cleaned_data["self_score"],
                        note=self_form.cleaned_data["self_note"],
                        evidence=self_form.cleaned_data["evidence"],
                    )
                    messages.success(request, "自评已保存。")
                    return HttpResponseRedirect(request.path)
            elif action == "assess":
                require(can_assess, "只有街道工作人员可以考评。")
                assess_form = AssessForm(request.POST, letters=indicator.letter_grades)
                if assess_form.is_valid():
                    _assessed(services.manual_assess, assess_form, indicator, target, user)
                    messages.success(request, "考评分已保存。")
                    return HttpResponseRedirect(request.path)
            else:
                raise ValidationError("未知的操作。")
        except ValidationError as exc:
            form = {"self": self_form, "district": district_form}.get(action, assess_form)
            if form is not None and hasattr(form, "cleaned_data"):
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                flash_errors(request, exc)
    return render(
        request,
        "assessments/manual_score.html",
        {
            "indicator": indicator,
            "scheme": indicator.scheme,
            "community": target,
            "score": existing,
            "self_form": self_form,
            "assess_form": assess_form,
            "district_form": district_form,
            "is_district_item": is_district_item,
        },
    )


def _assessed(
    write: Callable[..., Any], form: AssessForm, indicator: Any, community: Any, user: Any
) -> None:
    """街道考评 and 区县考评 save the same form's fields through their own service."""
    data = form.cleaned_data
    write(
        indicator=indicator,
        community=community,
        user=user,
        score=data.get("assessor_score"),
        letter=data.get("letter_grade", ""),
        note=data["assessor_note"],
    )


def _initial(score: ManualScore | None, fields: tuple[str, ...]) -> dict[str, Any]:
    return {f: getattr(score, f) for f in fields} if score else {}


def _initial_district(score: ManualScore | None) -> dict[str, Any]:
    if score is None:
        return {}
    return {
        "assessor_score": score.district_score,
        "letter_grade": score.district_letter,
        "assessor_note": score.district_note,
    }


@login_required
def manual_file(request: HttpRequest, pk: int) -> FileResponse:
    score = scope.get_for_user_or_404(ManualScore.objects.exclude(evidence=""), request.user, pk=pk)
    log_event(Event.DOWNLOAD, user=request.user, request=request, file="manual_evidence", pk=pk)
    response = FileResponse(
        score.evidence.open("rb"),
        content_type=score.evidence_type or "application/octet-stream",
        as_attachment=True,
        filename=score.evidence_name or score.evidence.name.rsplit("/", 1)[-1],
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
