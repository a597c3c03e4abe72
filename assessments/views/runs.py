"""Runs and the ranking: the year's page, running an assessment, a run's ranking,
finalising it and comparing two versions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from communities import scope
from reporting import locks
from security_log.models import Event
from security_log.services import record as log_event

from .. import selectors, services
from ..forms import (
    RunForm,
)
from ..models import FinalisedError
from .common import flash_errors, require


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    runs = list(selectors.runs_for(user))
    schemes = list(selectors.schemes_for(user)[:20])
    return render(
        request,
        "assessments/index.html",
        {
            "runs": runs,
            "schemes": schemes,
            "form": RunForm(user=user) if scope.can_verify(user) else None,
        },
    )


@login_required
@require_POST
def run_create(request: HttpRequest) -> HttpResponse:
    require(scope.can_verify(request.user), "只有街道工作人员可以运行考核。")
    form = RunForm(request.POST, user=request.user)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for e in errors:
                messages.error(request, f"{label}：{e}" if label else e)
        return HttpResponseRedirect(reverse("assessments:index"))
    try:
        run = services.run_assessment(
            street=form.cleaned_data["street"],
            year=form.cleaned_data["year"],
            user=request.user,
            as_of=form.cleaned_data["as_of"],
        )
    except (ValidationError, PermissionDenied) as exc:
        flash_errors(request, exc)
        return HttpResponseRedirect(reverse("assessments:index"))
    messages.success(request, f"已生成 {run.year} 年考核第 {run.version} 版（草稿）。")
    return HttpResponseRedirect(run.get_absolute_url())


@login_required
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = selectors.run_or_404(request.user, pk)
    results = list(selectors.results_for(run, request.user))
    others = list(
        selectors.runs_for(request.user)
        .filter(street=run.street, year=run.year)
        .exclude(pk=run.pk)
        .values_list("pk", "version", "status")
    )
    cards = [c["code"] for c in run.scheme_snapshot.get("cards", [])]
    rows = [(r, [r.cards.get(c) for c in cards]) for r in results]
    return render(
        request,
        "assessments/run_detail.html",
        {
            "run": run,
            "rows": rows,
            "cards": run.scheme_snapshot.get("cards", []),
            "others": others,
            "can_finalise": scope.can_administer(request.user) and not run.is_final,
            "can_score": scope.can_edit_anything(request.user),
        },
    )


@login_required
@require_POST
def run_finalise(request: HttpRequest, pk: int) -> HttpResponse:
    run = selectors.run_or_404(request.user, pk)
    try:
        services.finalise_run(run=run, user=request.user)
    except (ValidationError, FinalisedError) as exc:
        log_event(Event.FINALISE, user=request.user, request=request, result="refused", run=pk)
        flash_errors(request, exc)
    else:
        log_event(Event.FINALISE, user=request.user, request=request, run=pk, year=run.year)
        messages.success(request, f"第 {run.version} 版已定稿，结果不再改变。")
        _, open_periods = locks.finalise_blocked(run.street_id, run.year)
        if open_periods:
            messages.warning(
                request,
                f"提示：{run.year}年尚有{len(open_periods)}个社区报送期间未审核通过"
                f"（如{'、'.join(open_periods[:3])}）。",
            )
    return HttpResponseRedirect(run.get_absolute_url())


@login_required
def run_diff(request: HttpRequest, pk: int, other: int) -> HttpResponse:
    new = selectors.run_or_404(request.user, pk)
    old = selectors.run_or_404(request.user, other)
    if (old.street_id, old.year) != (new.street_id, new.year):
        raise Http404("只能比较同一街道同一年度的版本。")
    if old.version > new.version:
        old, new = new, old
    visible = set(scope.visible_communities(request.user).values_list("pk", flat=True))
    diffs = [d for d in services.compare_runs(old, new) if d.community_id in visible]
    return render(request, "assessments/run_diff.html", {"old": old, "new": new, "diffs": diffs})
