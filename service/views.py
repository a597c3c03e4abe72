"""Pages where service is written: marking at an activity, a volunteer's hours, make-ups."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from activities.models import Activity
from communities import scope
from portal.export import xlsx_response
from portal.pages import add_errors
from portal.privacy import mask_phone
from teams.models import Volunteer

from . import selectors, services
from .forms import DecideForm, MakeupForm, PeriodForm, parse_marks, year_period
from .models import Approval, EntryKind, ServiceEntry, ServiceRole


def errors_of(error: ValidationError | PermissionDenied) -> list[str]:
    if isinstance(error, ValidationError):
        return error.messages
    return [str(error) or "您无权进行该操作。"]


# ------------------------------------------------------------------ 活动志愿服务登记


@login_required
def activity_service(request: HttpRequest, pk: int) -> HttpResponse:
    activity = scope.get_for_user_or_404(
        Activity.objects.select_related("community"), request.user, pk=pk
    )
    can_edit = scope.can_edit_community(request.user, activity.community_id)
    locked = services.mark_error(activity)
    errors: list[str] = []
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied("您无权登记该社区活动的志愿服务。")
        marks, errors = parse_marks(request.POST)
        if not errors:
            try:
                entries = services.mark_service(activity=activity, user=request.user, marks=marks)
            except (ValidationError, PermissionDenied) as error:
                errors = errors_of(error)
            else:
                messages.success(request, f"已登记 {len(entries)} 人的志愿服务。")
                return HttpResponseRedirect(reverse("service:activity", args=[pk]))
    rows = selectors.roster(activity)
    context = {
        "activity": activity,
        "rows": rows,
        "roles": ServiceRole.choices,
        "can_edit": can_edit and not locked,
        "locked": locked,
        "errors": errors,
        "marked": sum(1 for r in rows if r.entry),
        "marked_hours": sum(r.entry.hours for r in rows if r.entry),
        "posted": request.POST if errors else None,
    }
    return render(request, "service/activity.html", context)


# ------------------------------------------------------------------ a volunteer's hours


def _volunteer(request: HttpRequest, pk: int) -> Volunteer:
    return scope.get_for_user_or_404(
        Volunteer.objects.select_related("person", "community", "community__street"),
        request.user,
        pk=pk,
    )


@login_required
def volunteer(request: HttpRequest, pk: int) -> HttpResponse:
    v = _volunteer(request, pk)
    today = timezone.localdate()
    can_edit = scope.can_edit_community(request.user, v.community_id)
    makeup_form = MakeupForm(prefix="m", initial={"date": today})
    start, end = year_period(today.year, today)
    period_form = PeriodForm(prefix="c", initial={"start": start, "end": end})
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied("您无权为该社区的志愿者补录或开具证明。")
        if "makeup" in request.POST:
            makeup_form = MakeupForm(request.POST, prefix="m")
            if makeup_form.is_valid():
                try:
                    services.makeup_add(
                        user=request.user,
                        person=v.person,
                        community=v.community,
                        **makeup_form.cleaned_data,
                    )
                except ValidationError as error:
                    add_errors(makeup_form, error)
                else:
                    messages.success(request, "补录已提交，等待街道审批后计入服务时长。")
                    return HttpResponseRedirect(reverse("service:volunteer", args=[pk]))
        elif "certificate" in request.POST:
            period_form = PeriodForm(request.POST, prefix="c")
            if period_form.is_valid():
                try:
                    cert = services.issue_certificate(
                        user=request.user, volunteer=v, **period_form.cleaned_data
                    )
                except ValidationError as error:
                    add_errors(period_form, error)
                else:
                    messages.success(request, f"已开具志愿服务记录证明 {cert.number}。")
                    return HttpResponseRedirect(reverse("service:certificate", args=[cert.pk]))
    figures = selectors.with_hours(Volunteer.objects.filter(pk=v.pk), today.year).get()
    total = figures.verified + figures.makeup + figures.opening
    entries = (
        ServiceEntry.objects.filter(person_id=v.person_id)
        .select_related("activity", "decided_by")
        .order_by("-date", "-pk")
    )
    context = {
        "v": v,
        "phone": mask_phone(v.person.phone),
        "figures": figures,
        "total": total,
        "star": selectors.star_of(total),
        "entries": entries,
        "certificates": v.person.service_certificates.order_by("-issued_at"),
        "can_edit": can_edit,
        "makeup_form": makeup_form,
        "period_form": period_form,
        "cap": settings.SERVICE_MAKEUP_CAP_HOURS,
    }
    return render(request, "service/volunteer.html", context)


@login_required
@require_POST
def makeup_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    entry = scope.get_for_user_or_404(
        ServiceEntry.objects.all(), request.user, editable=True, pk=pk
    )
    volunteer_pk = Volunteer.objects.filter(person_id=entry.person_id).values_list("pk", flat=True)
    try:
        services.makeup_withdraw(entry=entry, user=request.user)
    except ValidationError as error:
        for m in errors_of(error):
            messages.error(request, m)
    else:
        messages.success(request, "补录已撤回。")
    return HttpResponseRedirect(reverse("service:volunteer", args=[volunteer_pk.first()]))


# ------------------------------------------------------------------ make-up approvals


def _makeups(request: HttpRequest) -> Any:
    state = request.GET.get("state", Approval.PENDING)
    if state not in Approval.values:
        state = Approval.PENDING
    entries = scope.scope(
        ServiceEntry.objects.filter(kind=EntryKind.MAKEUP, approval=state), request.user
    ).select_related("person", "community", "created_by", "decided_by")
    return state, entries.order_by("date", "pk")


@login_required
def makeups(request: HttpRequest) -> HttpResponse:
    state, entries = _makeups(request)
    if request.GET.get("export") == "xlsx":
        rows: list[list[Any]] = [
            [
                "社区",
                "人员编号",
                "姓名",
                "服务日期",
                "时长(小时)",
                "服务内容",
                "补录原因",
                "状态",
                "不批准原因",
            ]
        ]
        rows += [
            [
                e.community.name,
                e.person.code,
                e.person.name,
                e.date,
                e.hours,
                e.content,
                e.reason,
                e.get_approval_display(),
                e.refusal_reason,
            ]
            for e in entries
        ]
        return xlsx_response(rows, title="志愿服务补录")
    volunteers = dict(
        Volunteer.objects.filter(person_id__in=[e.person_id for e in entries]).values_list(
            "person_id", "pk"
        )
    )
    context = {
        "entries": [(e, volunteers.get(e.person_id)) for e in entries],
        "state": state,
        "states": Approval.choices,
        "can_decide": scope.can_verify(request.user),
        "cap": settings.SERVICE_MAKEUP_CAP_HOURS,
    }
    return render(request, "service/makeups.html", context)


@login_required
@require_POST
def makeup_decide(request: HttpRequest, pk: int) -> HttpResponse:
    entry = scope.get_for_user_or_404(
        ServiceEntry.objects.all(), request.user, editable=True, pk=pk
    )
    form = DecideForm(request.POST)
    if not form.is_valid():
        raise Http404("无效的审批。")
    try:
        services.makeup_decide(
            entry=entry,
            user=request.user,
            approve=form.cleaned_data["decision"] == "approve",
            reason=form.cleaned_data["reason"],
        )
    except ValidationError as error:
        for m in errors_of(error):
            messages.error(request, m)
    else:
        messages.success(request, f"已审批 {entry.person.name} 的补录。")
    return HttpResponseRedirect(reverse("service:makeups"))
