"""Pages of 双百分考核: runs and ranking, scorecards with the records behind every number,
manual scores, finalisation, version differences, and scheme editing.

Everything is fetched through communities.scope (assessments.selectors): another street's
run or scheme, or another community's scorecard, is 404. What a role may not do (a leader
running an assessment, staff editing a scheme) is 403. Writes go through services.
Over 500 lines: one page class per step of the assessment (run, rank, scorecard, evidence,
manual scores, finalise, compare, scheme edits), each short; splitting would scatter them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from communities import scope
from communities.models import Community
from reporting import locks
from security_log.models import Event
from security_log.services import record as log_event

from . import selectors, services
from .forms import (
    AssessForm,
    BandFormSet,
    IndicatorForm,
    ManualIndicatorForm,
    NewSchemeForm,
    RunForm,
    SchemeSettingsForm,
    SelfScoreForm,
    YearForm,
)
from .models import FinalisedError, Indicator, ManualScore, Scheme
from .scheme_edits import DISTRICT_SCHEME_FROZEN


def _errors(error: Exception) -> list[str]:
    if isinstance(error, ValidationError):
        return error.messages
    return [str(error) or "您没有权限执行此操作。"]


def _flash(request: HttpRequest, error: Exception) -> None:
    for message in _errors(error):
        messages.error(request, message)


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


# ------------------------------------------------------------------ runs


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
    _require(scope.can_verify(request.user), "只有街道工作人员可以运行考核。")
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
        _flash(request, exc)
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
        _flash(request, exc)
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


# ------------------------------------------------------------------ scorecard and evidence


@login_required
def result_detail(request: HttpRequest, pk: int) -> HttpResponse:
    result = selectors.result_or_404(request.user, pk)
    indicators = list(result.indicators.all())
    cards = [
        {
            **card,
            "points": result.cards.get(card["code"]),
            "indicators": [i for i in indicators if i.card == card["code"]],
        }
        for card in result.run.scheme_snapshot.get("cards", [])
    ]
    return render(
        request,
        "assessments/scorecard.html",
        {
            "result": result,
            "run": result.run,
            "cards": cards,
            # 整改 (issue 15): street staff issue a rectification from a line
            "may_rectify": scope.can_verify(request.user)
            and scope.can_edit_community(request.user, result.community_id),
        },
    )


@login_required
def evidence(request: HttpRequest, pk: int, code: str) -> HttpResponse:
    result = selectors.result_or_404(request.user, pk)
    tables = []
    if code in ("bonus", "deduction"):
        ids = result.bonus_ids if code == "bonus" else result.deduction_ids
        title = "加分（获奖）" if code == "bonus" else "扣分"
        tables.append(
            (
                "",
                selectors.evidence_table(
                    request.user, f"communities.{'award' if code == 'bonus' else code}", ids
                ),
            )
        )
        indicator = None
    else:
        indicator = result.indicators.filter(code=code).first()
        if indicator is None:
            raise Http404("没有该指标。")
        title = f"{indicator.code} {indicator.name}"
        model = indicator.evidence.get("model", "")
        tables.append(
            (
                "计入的记录",
                selectors.evidence_table(request.user, model, indicator.evidence.get("ids", [])),
            )
        )
        for key, label in selectors.PART_TITLES.items():
            if key in indicator.detail:
                tables.append(
                    (label, selectors.evidence_table(request.user, model, indicator.detail[key]))
                )
    return render(
        request,
        "assessments/evidence.html",
        {
            "result": result,
            "run": result.run,
            "indicator": indicator,
            "title": title,
            "tables": [(label, t) for label, t in tables if t is not None],
        },
    )


# ------------------------------------------------------------------ manual scores


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
                _require(can_district, "只有本区县的管理员可以进行区县考评。")
                district_form = AssessForm(
                    request.POST, letters=indicator.letter_grades, prefix="district"
                )
                if district_form.is_valid():
                    data = district_form.cleaned_data
                    services.manual_district_assess(
                        indicator=indicator,
                        community=target,
                        user=user,
                        score=data.get("assessor_score"),
                        letter=data.get("letter_grade", ""),
                        note=data["assessor_note"],
                    )
                    messages.success(request, "区县考评已保存。")
                    return HttpResponseRedirect(request.path)
            elif action == "self":
                _require(can_self, "您无权为该社区自评。")
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
                _require(can_assess, "只有街道工作人员可以考评。")
                assess_form = AssessForm(request.POST, letters=indicator.letter_grades)
                if assess_form.is_valid():
                    data = assess_form.cleaned_data
                    services.manual_assess(
                        indicator=indicator,
                        community=target,
                        user=user,
                        score=data.get("assessor_score"),
                        letter=data.get("letter_grade", ""),
                        note=data["assessor_note"],
                    )
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
                _flash(request, exc)
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


# ------------------------------------------------------------------ schemes


def _street_user(request: HttpRequest) -> None:
    _require(scope.is_street_user(request.user), "只有街道用户可以查看考核方案。")


@login_required
def scheme_list(request: HttpRequest) -> HttpResponse:
    _street_user(request)
    can_admin = scope.can_administer(request.user)
    form = NewSchemeForm(request.POST or None, user=request.user) if can_admin else None
    if request.method == "POST":
        _require(can_admin, "只有街道管理员可以建立考核方案。")
        if form.is_valid():
            try:
                scheme = services.scheme_ensure(
                    street=form.cleaned_data["street"],
                    year=form.cleaned_data["year"],
                    user=request.user,
                )
            except (ValidationError, PermissionDenied) as exc:
                _flash(request, exc)
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
    _require(scope.can_administer(request.user), "只有街道管理员可以修改考核方案。")
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
    _require(scope.can_administer(request.user), "只有街道管理员可以修改考核方案。")
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
        _flash(request, exc)
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
        _flash(request, exc)
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
