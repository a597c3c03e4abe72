"""Background jobs of the 报表中心: the services that start them and the tasks that run them.

    job = import_upload(user=u, file=f)      # parse + preview now, nothing written
    import_confirm(job=job, user=u)          # queued; the worker re-parses and writes it
    export_start / annual_start / notices_start / yearbook_start(user=u, …)

Tasks are django-tasks tasks (`@task`, `.enqueue(job_id)`), run by `manage.py db_worker`.
Each records its progress on the Job in short transactions of its own, so the status page
sees it while the long work runs; an import writes everything in one transaction
(importer.apply), so a failed import writes nothing.
Over 500 lines: every job kind (import, export, four PDFs) has a start service and a task
that share the progress machinery above them; splitting per kind would repeat it.
"""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
import zipfile
from collections.abc import Callable, Iterable
from pathlib import PurePath
from typing import IO, TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django_tasks import task

from assessments.models import Run
from communities import scope
from communities.models import Community, Street
from portal.xlsx import TooManyRows
from service import services as service_hours
from service.models import ServiceCertificate
from teams.models import Certificate, Volunteer

from . import annual, notices, service_certificates, yearbook
from .models import ACTIVE, Job, JobKind, JobStatus
from .workbook import exporter, importer
from .workbook.data import Counts, Parsed, RowError, WorkbookRejected
from .workbook.schema import SHEET_BY_NAME, SHEETS

if TYPE_CHECKING:
    from communities.scope import User

logger = logging.getLogger(__name__)

# Parsing takes about ten seconds a megabyte: up to this size the preview is made while the
# user waits, a larger workbook is checked in the background.
INLINE_CHECK_MAX_SIZE = 512 * 1024
MAX_STORED_ERRORS = 2000  # the page lists these; the user fixes the file and uploads again
STALE_AFTER = dt.timedelta(hours=1)  # far longer than any real job: its worker has died


class JobFailed(Exception):
    """An expected failure, told to the user in Chinese (with row errors for an import)."""

    def __init__(self, message: str, errors: list[RowError] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.errors = errors or []


# ------------------------------------------------------------------ who may do what


def can_import(user: User) -> bool:
    # Street admin and street staff (and superusers): the roles that edit the whole street.
    return scope.can_verify(user)


def can_export(user: User) -> bool:
    return scope.visible_communities(user).exists()


def can_print(user: User) -> bool:
    """The annual report and the notices cover a whole street: street users only."""
    return scope.is_street_user(user)


def jobs_for(user: User) -> QuerySet[Job]:
    """A user's own jobs, plus every job of the street for the street's users."""
    jobs = Job.objects.select_related("created_by", "street")
    if not user.is_authenticated:
        return jobs.none()
    if user.is_superuser:
        return jobs
    mine = Q(created_by=user)
    if scope.is_street_user(user):
        mine |= Q(street__in=scope.visible_streets(user))
    return jobs.filter(mine)


def scope_name(user: User) -> str:
    """What an export of this user covers, for file names: 社区, 街道 or 全部街道."""
    if user.is_superuser:
        return "全部街道"
    membership = scope.membership_of(user)
    if membership is None:
        return "无"
    return str(membership.community or membership.street or membership.district)


def export_row_count(communities: QuerySet[Community] | None) -> int:
    """Rows an export of these communities (None: all) would write: a COUNT per sheet."""
    total = 0
    for model, path, *_ in exporter.SOURCES.values():
        rows = model._default_manager.all()
        if communities is not None:
            rows = rows.filter(**{f"{path}__in": communities})
        total += rows.count()
    return total


def _street_of(user: User) -> Street | None:
    """The street a job of this user is about: theirs, or none (any) for a superuser."""
    if user.is_superuser:
        return None
    membership = scope.membership_of(user)
    return membership.street if membership else None


# ------------------------------------------------------------------ import


def scope_errors(parsed: Parsed, street: Street | None) -> list[RowError]:
    """Rows a street user may not import: another street's, or another street's certificate."""
    if street is None:
        return []
    errors = []
    numbers: dict[str, int] = {}
    for name, rows in parsed.rows.items():
        header = SHEET_BY_NAME[name].column_by_key["street"].header
        for row in rows:
            value = row.values.get("street")
            if value and value != street.name:
                errors.append(
                    RowError(
                        name,
                        row.number,
                        header,
                        f"只能导入本街道（{street.name}）的数据，不能导入「{value}」",
                    )
                )
            elif value and name == "社会体育指导员" and row.values.get("number"):
                numbers.setdefault(row.values["number"], row.number)
    if numbers:
        # 证书编号 is unique across streets: a match elsewhere would move that certificate.
        header = SHEET_BY_NAME["社会体育指导员"].column_by_key["number"].header
        elsewhere = Certificate.objects.filter(number__in=list(numbers)).exclude(
            community__street=street
        )
        for number in sorted(elsewhere.values_list("number", flat=True), key=numbers.get):
            errors.append(
                RowError(
                    "社会体育指导员",
                    numbers[number],
                    header,
                    f"证书编号「{number}」已登记在其他街道，不能在此导入",
                )
            )
    return errors


_SHEET_ORDER = {s.name: i for i, s in enumerate(SHEETS)}


def _sorted(errors: Iterable[RowError]) -> list[RowError]:
    return sorted(errors, key=lambda e: (_SHEET_ORDER.get(e.sheet, -1), e.row or 0))


def _store_errors(job: Job, errors: list[RowError]) -> None:
    job.error_count = len(errors)
    job.errors = [[e.sheet, e.row, e.column, e.message] for e in errors[:MAX_STORED_ERRORS]]


def _counts_json(counts: dict[str, Counts]) -> list[list[Any]]:
    # A list, not a dict: PostgreSQL's jsonb does not keep the sheets' order.
    return [[sheet, *c] for sheet, c in counts.items()]


def check_workbook(parsed: Parsed, street: Street | None) -> tuple[list[RowError], dict]:
    """Every error of the workbook for this street's user, or the preview counts."""
    errors = (
        _sorted(parsed.errors + scope_errors(parsed, street))
        if not parsed.refused
        else parsed.errors
    )
    if errors:
        return errors, {}
    try:
        return [], importer.preview(parsed)
    except WorkbookRejected as exc:
        return _sorted(exc.errors), {}


def _preview(job: Job, parsed: Parsed) -> None:
    errors, counts = check_workbook(parsed, job.street)
    job.counts = _counts_json(counts)
    _store_errors(job, errors)
    job.status = JobStatus.PREVIEW
    job.message = "工作簿有错误，请修改后重新上传" if errors else "请核对预览后确认导入"


def import_upload(*, user: User, file: UploadedFile) -> Job:
    """Keep an uploaded workbook under a Job and preview it: at once when it is small, else
    in the background (the job is 检查中 until the preview is ready). Nothing is written.

    A small file that is refused whole (not .xlsx, too many rows) is not kept: the
    ValidationError carries the reason.
    """
    if not can_import(user):
        raise PermissionDenied("只有街道管理员和街道工作人员可以导入数据。")
    job = Job(
        kind=JobKind.IMPORT,
        status=JobStatus.CHECKING,
        created_by=user,
        street=_street_of(user),
        input_name=PurePath(file.name or "workbook.xlsx").name[:200],
        message="正在检查工作簿",
    )
    if file.size <= INLINE_CHECK_MAX_SIZE:
        parsed = importer.parse_workbook(file)
        if parsed.refused:
            raise ValidationError([e.message for e in parsed.errors])
        _preview(job, parsed)
    with transaction.atomic():
        file.seek(0)
        job.input_file.save(job.input_name, file, save=False)
        job.save()
        if job.status == JobStatus.CHECKING:
            _enqueue(job)
    return job


def active_import() -> Job | None:
    return (
        Job.objects.select_related("created_by")
        .filter(kind=JobKind.IMPORT, status__in=ACTIVE)
        .first()
    )


def _busy_message(other: Job | None) -> str:
    who = f"（#{other.pk}，{other.created_by.username} 提交）" if other else ""
    return f"另一项导入{who}正在排队或进行中，同一时间只能进行一项导入。请等它完成后再确认。"


def import_confirm(*, job: Job, user: User) -> Job:
    """Queue a previewed import: refused while another import is queued or running."""
    if not can_import(user) or job.created_by_id != user.pk:
        raise PermissionDenied("只有上传该工作簿的人可以确认导入。")
    if job.kind != JobKind.IMPORT or job.status != JobStatus.PREVIEW:
        raise ValidationError("该任务不是待确认的导入。")
    if job.error_count or not job.counts:
        raise ValidationError("工作簿有错误，不能导入；请修改后重新上传。")
    other = active_import()
    if other is not None:
        raise ValidationError(_busy_message(other))
    try:
        with transaction.atomic():
            job.status, job.progress, job.message = JobStatus.QUEUED, 0, "排队等待执行"
            job.started_at = job.finished_at = None  # those of the background check, if any
            job.save(update_fields=["status", "progress", "message", "started_at", "finished_at"])
            _enqueue(job)
    except IntegrityError:
        # Another confirmation won the race; the unique constraint is the real guard.
        job.status = JobStatus.PREVIEW
        raise ValidationError(_busy_message(active_import())) from None
    return job


# ------------------------------------------------------------------ other jobs


def _new_job(user: User, kind: str, street: Street | None, params: dict[str, Any]) -> Job:
    with transaction.atomic():
        job = Job.objects.create(
            kind=kind, created_by=user, street=street, params=params, message="排队等待执行"
        )
        _enqueue(job)
    return job


def export_start(*, user: User, full_phones: bool = False) -> Job:
    """The standard workbook of every community in the user's scope, made in the background;
    phones masked unless `full_phones` (the caller has checked the role and logged a reason)."""
    if not can_export(user):
        raise PermissionDenied("您没有可导出的社区。")
    ids = (
        None
        if user.is_superuser
        else list(scope.visible_communities(user).values_list("pk", flat=True))
    )
    return _new_job(
        user,
        JobKind.EXPORT,
        _street_of(user),
        {"communities": ids, "label": scope_name(user), "full_phones": full_phones},
    )


def annual_start(*, user: User, street: Street | None, year: int) -> Job:
    """Annual report + every community's notice, for one street or (superuser) all of them."""
    if not can_print(user):
        raise PermissionDenied("只有街道用户可以生成年度报告。")
    if street is None and not user.is_superuser:
        raise PermissionDenied("只有系统管理员可以生成全部街道的年度报告。")
    if street is not None and not scope.visible_streets(user).filter(pk=street.pk).exists():
        raise PermissionDenied("您无权生成该街道的年度报告。")
    ids = (
        [street.pk]
        if street
        else list(Street.objects.order_by("name").values_list("pk", flat=True))
    )
    return _new_job(user, JobKind.ANNUAL, street, {"streets": ids, "year": year})


def notices_start(*, user: User, run: Run) -> Job:
    """Every community's 考核结果通知书 of one run (the caller found the run in scope)."""
    if not can_print(user):
        raise PermissionDenied("只有街道用户可以批量生成通知书。")
    return _new_job(user, JobKind.NOTICES, run.street, {"run": run.pk})


def yearbook_start(*, user: User, street: Street, year: int) -> Job:
    """The yearbook of the street, or of the user's own communities in it (a cadre's)."""
    communities = scope.visible_communities(user).filter(street=street)
    ids = list(communities.values_list("pk", flat=True))
    if not ids:
        raise PermissionDenied("您无权生成该街道的年鉴。")
    whole = len(ids) == Community.objects.filter(street=street).count()
    return _new_job(
        user,
        JobKind.YEARBOOK,
        street,
        {"street": street.pk, "year": year, "communities": None if whole else ids},
    )


def certificates_start(
    *, user: User, volunteer_ids: list[int], start: dt.date, end: dt.date
) -> Job:
    """志愿服务记录证明 for a list of volunteers, issued and printed as one PDF."""
    volunteers = scope.scope(Volunteer.objects.all(), user, editable=True).filter(
        pk__in=volunteer_ids
    )
    ids = list(volunteers.values_list("pk", flat=True))
    if not ids:
        raise PermissionDenied("没有您可以开具证明的志愿者。")
    street = Street.objects.filter(communities__volunteers__pk=ids[0]).first()
    params = {"volunteers": ids, "start": start.isoformat(), "end": end.isoformat()}
    return _new_job(user, JobKind.CERTIFICATES, street, params)


def can_cancel(job: Job, user: User) -> bool:
    if job.created_by_id != user.pk and not scope.can_administer(user):
        return False
    waiting = job.status in (JobStatus.CHECKING, JobStatus.QUEUED) and job.started_at is None
    return job.status == JobStatus.PREVIEW or waiting or is_stale(job)


def is_stale(job: Job) -> bool:
    return (
        job.status in (JobStatus.CHECKING, JobStatus.RUNNING)
        and job.started_at is not None
        and timezone.now() - job.started_at > STALE_AFTER
    )


def job_cancel(*, job: Job, user: User) -> Job:
    """Give up a preview, take a queued job off the queue, or release a dead worker's job."""
    if not can_cancel(job, user):
        raise PermissionDenied("该任务不能取消。")
    was_preview = job.status in (JobStatus.CHECKING, JobStatus.PREVIEW)
    with transaction.atomic():
        job.status = JobStatus.FAILED
        job.error = "已放弃导入。" if was_preview else f"已由 {user.username} 取消。"
        job.message = "已取消"
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "error", "message", "finished_at"])
        if was_preview and job.input_file:
            # Nothing was imported from it; an imported workbook is kept as the record.
            job.input_file.delete(save=True)
    return job


# ------------------------------------------------------------------ running


def _progress(job: Job, percent: int, message: str) -> None:
    job.progress, job.message = percent, message
    with transaction.atomic():
        Job.objects.filter(pk=job.pk).update(progress=percent, message=message)


def _claim(job_id: int, status: str) -> Job | None:
    """Start the job; None when it is gone or no longer waiting (cancelled)."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.status != status:
            return None
        if status == JobStatus.QUEUED:
            job.status = JobStatus.RUNNING
        job.started_at = timezone.now()
        job.progress, job.message = 1, "开始执行"
        job.save(update_fields=["status", "started_at", "progress", "message"])
    return job


_FINISH_FIELDS = (
    "status",
    "progress",
    "message",
    "error",
    "errors",
    "error_count",
    "counts",
    "output_file",
    "output_name",
    "finished_at",
)


def _finish(job: Job, running: str, status: str, message: str, error: str = "") -> None:
    job.status, job.message, job.error = status, message, error
    job.finished_at = timezone.now()
    if status != JobStatus.FAILED:
        job.progress = 100
    with transaction.atomic():
        # Only while still ours: a job cancelled meanwhile (a dead worker's) stays cancelled.
        if not Job.objects.filter(pk=job.pk, status=running).update(
            **{f: getattr(job, f) for f in _FINISH_FIELDS}
        ):
            logger.warning("job %s was cancelled while it ran", job.pk)


def _run(
    job_id: int,
    work: Callable[[Job], str],
    *,
    waiting: str = JobStatus.QUEUED,
    done: str = JobStatus.DONE,
) -> str:
    job = _claim(job_id, waiting)
    if job is None:
        return "skipped"
    running = job.status
    try:
        message = work(job)
    except JobFailed as exc:
        _store_errors(job, exc.errors)
        _finish(job, running, JobStatus.FAILED, "失败", exc.message)
    except Exception as exc:
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        _finish(
            job,
            running,
            JobStatus.FAILED,
            "失败",
            f"执行出错：{exc.__class__.__name__}：{exc}。请稍后重试，或联系系统管理员。",
        )
    else:
        _finish(job, running, done, message)
    return job.status


def _save_output(job: Job, display_name: str, content: IO[bytes]) -> None:
    content.seek(0)
    job.output_name = display_name
    job.output_file.save(f"output{PurePath(display_name).suffix}", File(content), save=False)


def _enqueue(job: Job) -> None:
    checking = job.status == JobStatus.CHECKING
    result = (check_workbook_task if checking else TASKS[job.kind]).enqueue(job.pk)
    job.task_id = str(result.id)[:64]
    job.save(update_fields=["task_id"])


def _check_work(job: Job) -> str:
    _progress(job, 5, "正在读取工作簿")
    with job.input_file.open("rb") as fh:
        parsed = importer.parse_workbook(fh)
    if parsed.refused:
        raise JobFailed("；".join(e.message for e in parsed.errors))
    _progress(job, 60, "正在与系统中的数据比对")
    _preview(job, parsed)
    return job.message


def _import_work(job: Job) -> str:
    _progress(job, 5, "正在读取工作簿")
    with job.input_file.open("rb") as fh:
        parsed = importer.parse_workbook(fh)
    _progress(job, 40, "正在校验")
    errors, _ = check_workbook(parsed, job.street)
    if errors:
        raise JobFailed("工作簿有错误，未导入任何数据。", errors)
    _progress(job, 60, "正在写入数据库（全部成功才会保存）")
    try:
        counts = importer.apply(parsed)
    except WorkbookRejected as exc:
        raise JobFailed(
            "预览之后系统中的数据已有变化，工作簿不再有效；未导入任何数据。", _sorted(exc.errors)
        ) from None
    except DatabaseError as exc:
        raise JobFailed(f"写入数据库失败，未导入任何数据：{exc}") from None
    job.counts = _counts_json(counts)
    changed = sum(c.created + c.updated for c in counts.values())
    return f"导入完成：新增或更新 {changed} 条记录"


def _export_work(job: Job) -> str:
    _progress(job, 10, "正在导出工作簿")
    ids = job.params.get("communities")
    label = job.params.get("label", "")
    with tempfile.TemporaryFile() as fh:
        try:
            exporter.export_workbook(fh, ids, full_phones=bool(job.params.get("full_phones")))
        except TooManyRows as exc:
            raise JobFailed(str(exc)) from None
        _progress(job, 90, "正在保存文件")
        _save_output(job, f"标准数据工作簿_{label}_{timezone.localdate():%Y-%m-%d}.xlsx", fh)
    return "导出完成"


def _report_run(street: Street, year: int) -> Run | None:
    """The run whose notices go out: the latest finalised one, else the latest draft."""
    return (
        annual.latest_final_run(street, year)
        or Run.objects.select_related("street")
        .filter(street=street, year=year)
        .order_by("-version")
        .first()
    )


def _notice_files(run: Run) -> list[tuple[int, str]]:
    return list(
        run.results.order_by("community_name").values_list("community_id", "community_name")
    )


def _annual_work(job: Job) -> str:
    year = job.params["year"]
    streets = list(Street.objects.filter(pk__in=job.params["streets"]).order_by("name"))
    plans = [
        (s, run, _notice_files(run) if run else [])
        for s in streets
        for run in [_report_run(s, year)]
    ]
    total = sum(1 + len(n) for _, _, n in plans) or 1
    done = 0
    with tempfile.TemporaryFile() as fh:
        with zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED) as zf:
            for street, run, notice_list in plans:
                _progress(job, 2 + 96 * done // total, f"正在生成{street.name}年度报告")
                if run is None:
                    pdf = annual.annual_report_for(street=street, year=year)
                    zf.writestr(
                        f"{street.name}/说明.txt",
                        f"{street.name}{year}年度尚未运行考核：年度报告按当前台账临时计算，"
                        "没有通知书。运行考核后重新生成即可得到各社区通知书。\n",
                    )
                else:
                    pdf = annual.annual_report_pdf(run=run)
                zf.writestr(f"{street.name}/{street.name}{year}年度考核报告.pdf", pdf)
                done += 1
                for community_id, name in notice_list:
                    _progress(job, 2 + 96 * done // total, f"正在生成{name}的通知书")
                    zf.writestr(
                        f"{street.name}/通知书/{name}{year}年度考核结果通知书.pdf",
                        notices.notice_pdf(run=run, community=community_id),
                    )
                    done += 1
        label = streets[0].name if len(streets) == 1 else "全部街道"
        _save_output(job, f"{label}{year}年度考核报告与通知书.zip", fh)
    return f"已生成 {len(streets)} 份年度报告、{total - len(streets)} 份通知书"


def _notices_work(job: Job) -> str:
    run = Run.objects.select_related("street").get(pk=job.params["run"])
    notice_list = _notice_files(run)
    if not notice_list:
        raise JobFailed("该次考核没有社区结果，没有可生成的通知书。")
    with tempfile.TemporaryFile() as fh:
        with zipfile.ZipFile(fh, "w", zipfile.ZIP_DEFLATED) as zf:
            for i, (community_id, name) in enumerate(notice_list):
                _progress(job, 2 + 96 * i // len(notice_list), f"正在生成{name}的通知书")
                zf.writestr(
                    f"{name}{run.year}年度考核结果通知书.pdf",
                    notices.notice_pdf(run=run, community=community_id),
                )
        _save_output(job, f"{run.street.name}{run.year}年度第{run.version}版考核结果通知书.zip", fh)
    return f"已生成 {len(notice_list)} 份通知书"


def _yearbook_work(job: Job) -> str:
    street = Street.objects.get(pk=job.params["street"])
    year = job.params["year"]
    ids = job.params.get("communities")
    communities = None if ids is None else list(Community.objects.filter(pk__in=ids))
    _progress(job, 10, "正在生成文化活动年鉴")
    pdf = yearbook.yearbook_pdf(street=street, year=year, communities=communities)
    with tempfile.TemporaryFile() as fh:
        fh.write(pdf)
        _save_output(job, f"{street.name}{year}年文化活动年鉴.pdf", fh)
    return "年鉴已生成"


def _certificates_work(job: Job) -> str:
    volunteers = list(
        Volunteer.objects.filter(pk__in=job.params["volunteers"])
        .select_related("person", "community")
        .order_by("community__name", "person__code")
    )
    _progress(job, 5, f"正在为 {len(volunteers)} 名志愿者开具证明")
    try:
        issued, skipped = service_hours.issue_certificates(
            user=job.created_by,
            volunteers=volunteers,
            start=dt.date.fromisoformat(job.params["start"]),
            end=dt.date.fromisoformat(job.params["end"]),
        )
    except (ValidationError, PermissionDenied) as exc:
        raise JobFailed("；".join(getattr(exc, "messages", [str(exc)]))) from None

    def progress(done: int, total: int) -> None:
        _progress(job, 10 + 85 * done // total, f"正在排版第 {done}/{total} 份证明")

    certs = list(
        ServiceCertificate.objects.filter(pk__in=[c.pk for c in issued])
        .select_related("person", "community", "street")
        .order_by("number")
    )
    pdf = service_certificates.batch_pdf(certs, progress)
    with tempfile.TemporaryFile() as fh:
        fh.write(pdf)
        _save_output(job, f"志愿服务记录证明_{certs[0].number}等{len(certs)}份.pdf", fh)
    note = f"；{len(skipped)} 人该期间没有已认证的服务，未开具" if skipped else ""
    return f"已开具 {len(certs)} 份证明{note}"


@task()
def certificates_task(job_id: int) -> str:
    return _run(job_id, _certificates_work)


@task()
def check_workbook_task(job_id: int) -> str:
    return _run(job_id, _check_work, waiting=JobStatus.CHECKING, done=JobStatus.PREVIEW)


@task()
def import_workbook_task(job_id: int) -> str:
    return _run(job_id, _import_work)


@task()
def export_workbook_task(job_id: int) -> str:
    return _run(job_id, _export_work)


@task()
def annual_reports_task(job_id: int) -> str:
    return _run(job_id, _annual_work)


@task()
def notices_task(job_id: int) -> str:
    return _run(job_id, _notices_work)


@task()
def yearbook_task(job_id: int) -> str:
    return _run(job_id, _yearbook_work)


TASKS = {
    JobKind.IMPORT: import_workbook_task,
    JobKind.EXPORT: export_workbook_task,
    JobKind.ANNUAL: annual_reports_task,
    JobKind.NOTICES: notices_task,
    JobKind.YEARBOOK: yearbook_task,
    JobKind.CERTIFICATES: certificates_task,
}


# ------------------------------------------------------------------ other apps' job kinds


def register_task(kind: str, runner: Any) -> None:
    """A job kind run by another app's task (the district's white paper): queued, claimed,
    reported and finished by the machinery above like the kinds of this module."""
    TASKS[kind] = runner


# The machinery, for those tasks: start a job, run it, report progress, store its file.
new_job = _new_job
run_job = _run
report_progress = _progress
save_output = _save_output
