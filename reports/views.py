"""报表中心 pages: workbook template, export, import with preview, and background jobs.

Who may do what (reports/jobs.py says it once):
    street admin, street staff      import (their own street's rows only), export, print
    leader                          export, print
    community cadre                 export their own community, its yearbook section
    superuser                       everything, every street
A job is visible to its creator and to the users of its street (jobs.jobs_for); any other
job is 404. Refused actions are 403.

Pages that only read (job status, export, the upload's parse and preview) do not run in the
request transaction: on SQLite an import's long write would otherwise hold them up.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import PurePath
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from communities import scope
from privacy import selectors as privacy
from privacy import services as privacy_services
from privacy.forms import ReasonForm
from security_log.models import Event
from security_log.services import record as log_event
from service.forms import PeriodForm
from teams.models import Volunteer

from . import jobs
from .forms import AnnualForm, NoticesForm, UploadForm, YearbookForm
from .models import Job, JobStatus
from .pdf import attachment
from .workbook import exporter

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CONTENT_TYPES = {".xlsx": XLSX, ".zip": "application/zip", ".pdf": "application/pdf"}
ERRORS_PER_PAGE = 200
RECENT_JOBS = 20
# Up to this many rows the export is written while the user waits (a street's 台账 takes
# well under a second); beyond it, it runs as a background job with progress.
EXPORT_DIRECT_MAX_ROWS = 20_000


def _private(response: HttpResponse) -> HttpResponse:
    # Names and phone numbers of residents: never kept by shared caches.
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _download(content: Any, filename: str, fallback: str) -> FileResponse:
    response = FileResponse(
        content,
        content_type=CONTENT_TYPES.get(PurePath(filename).suffix, "application/octet-stream"),
    )
    response["Content-Disposition"] = attachment(filename, fallback)
    _private(response)
    return response


def _flash(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    can_import, can_export, can_print = (
        jobs.can_import(user),
        jobs.can_export(user),
        jobs.can_print(user),
    )
    return render(
        request,
        "reports/index.html",
        {
            "can_import": can_import,
            "can_export": can_export,
            "can_print": can_print,
            "scope_name": jobs.scope_name(user),
            "upload_form": UploadForm() if can_import else None,
            "annual_form": AnnualForm(user=user) if can_print else None,
            "notices_form": NoticesForm(user=user) if can_print else None,
            "yearbook_form": YearbookForm(user=user) if can_export else None,
            "full_phones_form": _full_phones_form(user) if can_export else None,
            "jobs": list(jobs.jobs_for(user)[:RECENT_JOBS]),
        },
    )


@login_required
@require_GET
def template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(exporter.blank_template(), content_type=XLSX)
    response["Content-Disposition"] = attachment(
        "标准数据工作簿模板.xlsx", "workbook-template.xlsx"
    )
    return response


@transaction.non_atomic_requests
@login_required
def export(request: HttpRequest) -> HttpResponse:
    """GET: the workbook at once when small, else a page offering the background job.
    POST: always the background job."""
    user = request.user
    if not jobs.can_export(user):
        raise PermissionDenied("您没有可导出的社区。")
    if request.method == "POST" and request.POST.get("full_phones") == "1":
        return _export_full_phones(request)
    if request.method == "POST":
        return redirect(jobs.export_start(user=user))
    communities = None if user.is_superuser else scope.visible_communities(user)
    rows = jobs.export_row_count(communities)
    if rows > EXPORT_DIRECT_MAX_ROWS:
        return render(
            request,
            "reports/export.html",
            {
                "rows": rows,
                "limit": EXPORT_DIRECT_MAX_ROWS,
                "scope_name": jobs.scope_name(user),
            },
        )
    log_event(
        Event.EXPORT,
        user=user,
        request=request,
        list="标准数据工作簿",
        filters={"scope": "全部街道" if communities is None else "本人范围"},
        rows=rows,
    )
    fh = tempfile.TemporaryFile()
    exporter.export_workbook(fh, communities)
    fh.seek(0)
    name = f"标准数据工作簿_{jobs.scope_name(user)}_{timezone.localdate():%Y-%m-%d}.xlsx"
    return _download(fh, name, f"workbook-{timezone.localdate():%Y-%m-%d}.xlsx")


def _full_phones_form(user: Any) -> ReasonForm | None:
    """PIPL: the workbook goes out with phones masked; full numbers only for the roles that
    may reveal them, with a reason (privacy.services.full_phone_export logs it)."""
    return (
        ReasonForm(prefix="full", example="向区文旅局移交名册")
        if privacy.may_reveal(user)
        else None
    )


def _export_full_phones(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = ReasonForm(request.POST, prefix="full", example="向区文旅局移交名册")
    valid = form.is_valid()
    if privacy.may_reveal(user) and not valid:
        return render(
            request,
            "reports/export.html",
            {"full_phones_form": form, "scope_name": jobs.scope_name(user)},
        )
    # A role that may not is logged and refused (403) here; this view is not atomic, so the
    # entry stays.
    privacy_services.full_phone_export(
        user=user, request=request, reason=form.cleaned_data.get("reason", "") if valid else ""
    )
    return redirect(jobs.export_start(user=user, full_phones=True))


@transaction.non_atomic_requests
@login_required
def import_upload(request: HttpRequest) -> HttpResponse:
    if not jobs.can_import(request.user):
        raise PermissionDenied("只有街道管理员和街道工作人员可以导入数据。")
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            job = jobs.import_upload(user=request.user, file=form.cleaned_data["file"])
        except ValidationError as error:
            form.add_error("file", error)
        else:
            return redirect(job)
    return render(
        request,
        "reports/import.html",
        {
            "form": form,
            "busy": jobs.active_import(),
        },
    )


def _job_or_404(request: HttpRequest, pk: int) -> Job:
    return get_object_or_404(jobs.jobs_for(request.user), pk=pk)


def _count_rows(job: Job) -> tuple[list[list[Any]], list[int]]:
    rows = [list(r) for r in job.counts]
    totals = [sum(r[i] for r in rows) for i in (1, 2, 3)]
    return rows, totals


@transaction.non_atomic_requests
@login_required
@require_GET
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_or_404(request, pk)
    rows, totals = _count_rows(job)
    may_confirm = (
        job.status == JobStatus.PREVIEW
        and not job.error_count
        and bool(rows)
        and job.created_by_id == request.user.pk
        and jobs.can_import(request.user)
    )
    return render(
        request,
        "reports/job.html",
        {
            "job": job,
            "count_rows": rows,
            "totals": totals,
            "errors_page": Paginator(job.errors, ERRORS_PER_PAGE).get_page(request.GET.get("page")),
            "may_confirm": may_confirm,
            "busy": jobs.active_import() if may_confirm else None,
            "may_cancel": jobs.can_cancel(job, request.user),
            "stale": jobs.is_stale(job),
        },
    )


def _job_action(
    action: Callable[..., Job], done: str, logged: str | None = None
) -> Callable[[HttpRequest, int], Any]:
    """A POST on a job; with `logged`, the attempt goes to the security log too."""

    @login_required
    @require_POST
    def view(request: HttpRequest, pk: int) -> HttpResponse:
        job = _job_or_404(request, pk)
        try:
            action(job=job, user=request.user)
        except ValidationError as error:
            if logged:
                log_event(logged, user=request.user, request=request, result="refused", job=pk)
            _flash(request, error)
        else:
            if logged:
                rows = sum(sum(r[1:4]) for r in job.counts)
                log_event(logged, user=request.user, request=request, job=pk, rows=rows)
            messages.success(request, done)
        return redirect(job)

    return view


job_confirm = _job_action(jobs.import_confirm, "已确认导入，正在排队执行。", Event.IMPORT)
job_cancel = _job_action(jobs.job_cancel, "任务已取消。")


@login_required
@require_GET
def job_download(request: HttpRequest, pk: int) -> HttpResponse:
    job = _job_or_404(request, pk)
    if job.status != JobStatus.DONE or not job.output_file:
        raise Http404("该任务没有可下载的文件。")
    suffix = PurePath(job.output_name).suffix
    log_event(Event.DOWNLOAD, user=request.user, request=request, file=f"job.{job.kind}", pk=job.pk)
    return _download(job.output_file.open("rb"), job.output_name, f"job-{job.pk}{suffix}")


def _start(
    form_class: type,
    start: Callable[..., Job],
    allowed: Callable[[Any], bool],
    args: Callable[[dict[str, Any]], dict[str, Any]],
) -> Callable[[HttpRequest], Any]:
    """A POST that validates its form and starts a background job, then shows the job."""

    @login_required
    @require_POST
    def view(request: HttpRequest) -> HttpResponse:
        if not allowed(request.user):
            raise PermissionDenied("您没有权限生成该文件。")
        form = form_class(request.POST, user=request.user)
        if not form.is_valid():
            for errors in form.errors.values():
                for message in errors:
                    messages.error(request, message)
            return redirect("reports:index")
        return redirect(start(user=request.user, **args(form.cleaned_data)))

    return view


annual = _start(
    AnnualForm,
    jobs.annual_start,
    jobs.can_print,
    lambda d: {"street": d["street"], "year": d["year"]},
)
notices = _start(NoticesForm, jobs.notices_start, jobs.can_print, lambda d: {"run": d["run"]})
yearbook = _start(
    YearbookForm,
    jobs.yearbook_start,
    jobs.can_export,
    lambda d: {"street": d["street"], "year": d["year"]},
)


@login_required
@require_POST
def service_certificates(request: HttpRequest) -> HttpResponse:
    """志愿服务记录证明 in bulk: every volunteer of the list (a community, or all the user may
    edit) registered by the end of the period, issued and printed as one PDF in the background."""
    form = PeriodForm(request.POST, prefix="c")
    back = redirect("service:levels")
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return back
    start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    if end > timezone.localdate():
        messages.error(request, "截止日期不能晚于今天。")
        return back
    volunteers = scope.scope(Volunteer.objects.all(), request.user, editable=True).filter(
        registered_on__lte=end
    )
    community = request.POST.get("community", "")
    if community.isdigit():
        volunteers = volunteers.filter(community_id=int(community))
    ids = list(volunteers.values_list("pk", flat=True))
    if not ids:
        raise PermissionDenied("没有您可以开具证明的志愿者。")
    return redirect(
        jobs.certificates_start(user=request.user, volunteer_ids=ids, start=start, end=end)
    )
