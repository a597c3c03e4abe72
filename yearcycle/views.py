"""Pages of the year's reporting cycle: the board, submitting a period, checking it.

Every community and submission is fetched through communities.scope (out of scope: 404);
writes go through reporting.services, whose refusals come back as Chinese messages.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from communities import scope
from communities.models import Community, Street
from portal.dates import today
from portal.export import xlsx_response
from reporting import rules, services
from reporting.models import PeriodEvent, PeriodSubmission
from reporting.services import calendar_for

from . import board as b
from . import html, notify, selectors, validation
from .forms import CalendarForm


def _errors(error: ValidationError | PermissionDenied) -> list[str]:
    if isinstance(error, ValidationError):
        return error.messages
    return [str(error) or "您没有权限执行此操作。"]


def _year(request: HttpRequest) -> int:
    try:
        year = int(request.GET.get("year", ""))
    except ValueError:
        return today().year
    return year if 2000 <= year <= today().year + 1 else today().year


def _street(request: HttpRequest) -> Street:
    streets = scope.visible_streets(request.user).order_by("name")
    wanted = request.GET.get("street")
    street = streets.filter(pk=wanted).first() if wanted and wanted.isdigit() else None
    street = street or streets.first()
    if street is None:
        raise Http404("没有可查看的街道。")
    return street


@login_required
def board(request: HttpRequest) -> HttpResponse:
    """Community × period: who reported, on time or late, approved or returned."""
    street, year = _street(request), _year(request)
    the_board = selectors.street_board(request.user, street, year, today())
    if request.GET.get("export") == "xlsx":
        return _export(the_board, street)
    events = (
        PeriodEvent.objects.filter(
            submission__in=scope.scope(PeriodSubmission.objects.all(), request.user).filter(
                community__street=street, year=year
            )
        )
        .select_related("submission__community", "by")
        .order_by("-at", "-pk")[:30]
    )
    may_submit = scope.can_edit_anything(request.user)
    return render(
        request,
        "yearcycle/board.html",
        {
            "board": the_board,
            "board_rows": html.board_rows(the_board, may_submit=may_submit, year=year),
            "street": street,
            "streets": scope.visible_streets(request.user).order_by("name"),
            "year": year,
            "years": range(today().year, today().year - 4, -1),
            "calendar": calendar_for(street.pk),
            "events": events,
            "legend": b.LABELS.items(),
            "may_submit": may_submit,
            "may_set_calendar": scope.can_administer(request.user),
            "late": b.late_today(the_board),
        },
    )


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value}%"


def _export(the_board: b.Board, street: Street) -> HttpResponse:
    head = [
        "社区",
        *(p.label for p in the_board.periods),
        "应报期数",
        "已报",
        "按时",
        "报送率",
        "及时率",
    ]

    def rates(r: b.Rates) -> list[Any]:
        return [r.owed, r.reported, r.on_time, _pct(r.reporting_rate), _pct(r.on_time_rate)]

    rows: list[list[Any]] = [head]
    for row in the_board.rows:
        rows.append([row.name, *(c.label for c in row.cells), *rates(row.rates)])
    rows.append(
        [
            "各期报送率",
            *(_pct(r.reporting_rate) for r in the_board.by_period),
            *rates(the_board.total),
        ]
    )
    rows.append(["各期及时率", *(_pct(r.on_time_rate) for r in the_board.by_period)])
    return xlsx_response(rows, title=f"报送情况_{street.name}_{the_board.year}年", sheet="报送情况")


def _period_from(calendar_cadence: str, year: int, number: int) -> rules.Period:
    if not 1 <= number <= rules.periods_per_year(calendar_cadence):
        raise Http404("没有该期间。")
    return rules.Period(year, number, calendar_cadence)


@login_required
def submit_period(request: HttpRequest, community: int, year: int, number: int) -> HttpResponse:
    """The period's summary and warnings; POST sends it for checking."""
    target = _editable_community(request, community)
    period = _period_from(calendar_for(target.street_id).cadence, year, number)
    summary = selectors.period_summary(target.pk, period)
    findings = validation.findings_of(target, period)
    if request.method == "POST":
        refused = validation.refusal(findings, bool(request.POST.get(validation.CONFIRM)))
        summary["warnings"] = summary["warnings"] + validation.summary_lines(findings)
        try:
            if refused:
                raise ValidationError(refused)
            submission = services.submit(
                user=request.user, community=target, period=period, summary=summary
            )
        except (ValidationError, PermissionDenied) as error:
            for message in _errors(error):
                messages.error(request, message)
        else:
            notify.submitted(submission)
            messages.success(request, f"{target.name}{period.label}已报送，等待街道审核。")
            return HttpResponseRedirect(submission_url(submission))
    existing = PeriodSubmission.objects.filter(
        community=target, start=period.start, end=period.end
    ).first()
    return render(
        request,
        "yearcycle/submit.html",
        {
            "community": target,
            "period": period,
            "summary": summary,
            "existing": existing,
            "errors": [f for f in findings if f.is_error],
            "warnings": [f for f in findings if not f.is_error],
            "confirm_label": validation.CONFIRM_LABEL,
        },
    )


def _editable_community(request: HttpRequest, pk: int) -> Community:
    found = scope.editable_communities(request.user).select_related("street").filter(pk=pk).first()
    if found is None:
        raise Http404("没有找到该社区，或您无权报送。")
    return found


def submission_url(submission: PeriodSubmission) -> str:
    return reverse("yearcycle:submission", args=[submission.pk])


def _submission_or_404(request: HttpRequest, pk: int) -> PeriodSubmission:
    return scope.get_for_user_or_404(
        PeriodSubmission.objects.select_related("community__street", "submitted_by", "decided_by"),
        request.user,
        pk=pk,
    )


@login_required
def submission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    submission = _submission_or_404(request, pk)
    may_check = scope.can_verify(request.user) and scope.can_edit_community(
        request.user, submission.community_id
    )
    return render(
        request,
        "yearcycle/submission.html",
        {
            "submission": submission,
            "summary": selectors.stored_summary(submission.summary),
            "events": submission.events.select_related("by"),
            "may_check": may_check and submission.status == "submitted",
            "may_unlock": scope.can_administer(request.user)
            and may_check
            and submission.status == "approved",
            "may_resubmit": submission.status in ("returned", "unlocked")
            and scope.can_edit_community(request.user, submission.community_id),
            "board_url": f"{reverse('yearcycle:board')}?street={submission.community.street_id}"
            f"&year={submission.year}",
        },
    )


ACTIONS = {
    "approve": (services.approve, False, "已审核通过，该期间已锁定"),
    "return": (services.return_, True, "已退回社区"),
    "unlock": (services.unlock, True, "已解锁，社区可以修改并重新报送"),
}


@require_POST
@login_required
def submission_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    service, takes_reason, done = ACTIONS[action]
    submission = _submission_or_404(request, pk)
    kwargs = {"reason": request.POST.get("reason", "")} if takes_reason else {}
    try:
        submission = service(user=request.user, submission=submission, **kwargs)
    except (ValidationError, PermissionDenied) as error:
        for message in _errors(error):
            messages.error(request, message)
    else:
        notify.decided(submission, action, request.user)
        messages.success(request, f"{submission.community.name}{submission.period.label}{done}。")
    return HttpResponseRedirect(submission_url(submission))


@login_required
def calendar_edit(request: HttpRequest) -> HttpResponse:
    """The street admin's reporting calendar: cadence, deadline, the rule for finalising."""
    if not scope.can_administer(request.user):
        raise PermissionDenied("只有街道管理员可以设置报送日历。")
    street = _street(request)
    calendar = calendar_for(street.pk)
    form = CalendarForm(request.POST or None, instance=calendar)
    if request.method == "POST" and form.is_valid():
        try:
            services.calendar_update(user=request.user, street=street, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as error:
            for message in _errors(error):
                messages.error(request, message)
        else:
            messages.success(request, "报送日历已保存。")
            return HttpResponseRedirect(f"{reverse('yearcycle:board')}?street={street.pk}")
    return render(
        request,
        "includes/form_page.html",
        {
            "form": form,
            "title": f"报送日历：{street.name}",
            "cancel_url": reverse("yearcycle:board"),
        },
    )
