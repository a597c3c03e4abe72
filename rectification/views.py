"""整改 pages: the list (filters, Excel), issuing from a scorecard line, the task and its forms.
Everything is fetched through communities.scope (out of scope: 404)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.dateparse import parse_date
from django.views.decorators.http import require_POST

from assessments.models import IndicatorResult
from communities import scope
from portal.dates import today
from portal.export import xlsx_response
from portal.uploads import check_upload

from . import rules, selectors, services
from .models import Rectification, Status


def _errors(request: HttpRequest, error: ValidationError | PermissionDenied) -> None:
    texts = error.messages if isinstance(error, ValidationError) else [str(error)]
    for text in texts:
        messages.error(request, text or "您没有权限执行此操作。")


@login_required
def task_list(request: HttpRequest) -> HttpResponse:
    g = request.GET
    now = today()
    qs = selectors.tasks(
        request.user,
        status=g.get("status", ""),
        community=g.get("community", ""),
        overdue=g.get("overdue") == "1",
        today=now,
    )
    if g.get("export") == "xlsx":
        head = ["社区", "年度", "指标", "整改要求", "期限", "责任人", "状态", "逾期"]
        rows = [head] + [
            [
                t.community.name,
                t.year,
                t.indicator,
                t.requirement,
                t.deadline,
                t.responsible,
                t.get_status_display(),
                "是" if rules.is_overdue(t.status, t.deadline, now) else "",
            ]
            for t in qs
        ]
        return xlsx_response(rows, title="整改任务")
    tasks = list(qs)
    for t in tasks:
        t.overdue = rules.is_overdue(t.status, t.deadline, now)
    return render(
        request,
        "rectification/list.html",
        {
            "tasks": tasks,
            "statuses": Status.choices,
            "communities": scope.visible_communities(request.user).order_by("name"),
            "filters": g,
            "query": g.urlencode(),
        },
    )


@login_required
def issue(request: HttpRequest, indicator: int) -> HttpResponse:
    source = scope.get_for_user_or_404(
        IndicatorResult.objects.select_related("result__run", "result__community"),
        request.user,
        via="result__community",
        pk=indicator,
    )
    if not scope.can_verify(request.user):
        raise PermissionDenied("只有街道工作人员可以下达整改任务。")
    data = request.POST if request.method == "POST" else {}
    if request.method == "POST":
        try:
            task = services.issue(
                user=request.user,
                source=source,
                requirement=data.get("requirement", ""),
                deadline=parse_date(data.get("deadline", "") or "") or None,
                responsible=data.get("responsible", ""),
                today=today(),
            )
        except ValueError:
            messages.error(request, "整改期限格式不正确。")
        except (ValidationError, PermissionDenied) as error:
            _errors(request, error)
        else:
            messages.success(request, "整改任务已下达，社区干部会在收件箱收到通知。")
            return HttpResponseRedirect(reverse("rectification:detail", args=[task.pk]))
    return render(
        request,
        "rectification/issue.html",
        {
            "source": source,
            "requirement": data.get("requirement", source.gap or f"{source.name}未达标，请整改。"),
            "deadline": data.get("deadline", ""),
            "responsible": data.get("responsible", ""),
        },
    )


def _task(request: HttpRequest, pk: int) -> Rectification:
    return scope.get_for_user_or_404(
        Rectification.objects.select_related("community", "issued_by"), request.user, pk=pk
    )


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = _task(request, pk)
    user = request.user
    checker = scope.can_verify(user) and scope.can_edit_community(user, task.community_id)
    cadre = not scope.is_street_user(user) and scope.can_edit_community(user, task.community_id)
    return render(
        request,
        "rectification/detail.html",
        {
            "task": task,
            "overdue": rules.is_overdue(task.status, task.deadline, today()),
            "steps": task.steps.select_related("by"),
            "linked": task.activities.all(),
            "files": task.files.all(),
            "may_answer": cadre and task.status in ("issued", "returned"),
            "may_decide": checker and task.status == "answered",
            "own_activities": task.community.activities.order_by("-date")[:50] if cadre else [],
        },
    )


@require_POST
@login_required
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    task = _task(request, pk)
    p = request.POST
    try:
        if action == "answer":
            files = [check_upload(f) for f in request.FILES.getlist("files")]
            ids = [int(v) for v in p.getlist("activities") if v.isdigit()]
            services.answer(
                user=request.user, task=task, note=p.get("note", ""), activity_ids=ids, files=files
            )
        elif action == "return":
            services.return_(user=request.user, task=task, reason=p.get("reason", ""))
        else:
            services.accept(user=request.user, task=task, note=p.get("note", ""))
    except (ValidationError, PermissionDenied) as error:
        _errors(request, error)
    else:
        messages.success(
            request,
            {
                "answer": "已答复，等待街道验收。",
                "return": "已退回社区。",
                "accept": "已验收销号。",
            }[action],
        )
    return HttpResponseRedirect(reverse("rectification:detail", args=[pk]))
