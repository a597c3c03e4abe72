"""Background jobs of the 报表中心: imports, exports and the printed documents.

A Job is what the browser sees of a task run by the worker (reports/jobs.py): its status,
progress, the uploaded workbook and the file it produced, both kept through Django's
storage API (local disk or S3 by setting), never served from a public URL.
"""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from communities.models import Street


class JobKind(models.TextChoices):
    IMPORT = "import", "导入"
    EXPORT = "export", "导出"
    ANNUAL = "annual", "年度报告"
    NOTICES = "notices", "通知书"
    YEARBOOK = "yearbook", "年鉴"
    WHITE_PAPER = "whitepaper", "区县白皮书"  # run by district/jobs.py (registered there)
    CERTIFICATES = "certs", "志愿服务证明"


class JobStatus(models.TextChoices):
    # A large uploaded workbook being parsed and previewed in the background.
    CHECKING = "checking", "检查中"
    # An uploaded workbook waiting for the user to read its preview and confirm it.
    PREVIEW = "preview", "待确认"
    QUEUED = "queued", "排队中"
    RUNNING = "running", "进行中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


# Only these hold the one-import-at-a-time slot: checking a workbook writes nothing.
ACTIVE = (JobStatus.QUEUED, JobStatus.RUNNING)
IN_PROGRESS = (JobStatus.CHECKING, *ACTIVE)


def _stored_name(folder: str, instance: Job, filename: str) -> str:
    # Never the user's file name (path tricks, markup); the display name is kept apart.
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"jobs/{folder}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}{suffix}"


def job_input_upload_to(instance: Job, filename: str) -> str:
    return _stored_name("input", instance, filename)


def job_output_upload_to(instance: Job, filename: str) -> str:
    return _stored_name("output", instance, filename)


class Job(models.Model):
    kind = models.CharField("类型", max_length=10, choices=JobKind.choices)
    status = models.CharField(
        "状态", max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField("进度(%)", default=0)
    message = models.CharField("进度说明", max_length=200, blank=True)
    # What the job works on: year, street ids, run id, community ids (kind-specific).
    params = models.JSONField("参数", default=dict, blank=True)
    input_file = models.FileField(
        "上传文件", upload_to=job_input_upload_to, max_length=200, blank=True
    )
    input_name = models.CharField("上传文件名", max_length=200, blank=True)
    output_file = models.FileField(
        "结果文件", upload_to=job_output_upload_to, max_length=200, blank=True
    )
    output_name = models.CharField("结果文件名", max_length=200, blank=True)
    # Per sheet {"created": n, "updated": n, "unchanged": n}: the preview, then what was written.
    counts = models.JSONField("行数统计", default=dict, blank=True)
    # Row errors as [sheet, row, column, message]; only the first ones are kept (error_count
    # has the total), the user fixes the workbook and uploads it again.
    errors = models.JSONField("错误明细", default=list, blank=True)
    error_count = models.PositiveIntegerField("错误数", default=0)
    error = models.TextField("错误信息", blank=True)
    task_id = models.CharField("任务编号", max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="提交人",
        on_delete=models.PROTECT,
        related_name="report_jobs",
    )
    # The street the job is about (and whose street users may see it); blank for a
    # superuser's district-wide job.
    street = models.ForeignKey(
        Street,
        verbose_name="街道",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="report_jobs",
    )
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "后台任务"
        verbose_name_plural = "后台任务"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["created_by", "-created_at"])]
        constraints = [
            # One import at a time per database: the second one fails here even if two
            # confirmations race past the friendly check in the view.
            models.UniqueConstraint(
                fields=["kind"],
                condition=Q(kind="import", status__in=["queued", "running"]),
                name="reports_job_one_active_import",
                violation_error_code="reports_job_one_active_import",
                violation_error_message="另一项导入正在排队或进行中，同一时间只能进行一项导入。",
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100),
                name="reports_job_progress_max_100",
                violation_error_code="reports_job_progress_max_100",
                violation_error_message="进度不能超过 100%%。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}（{self.get_status_display()}）"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("reports:job", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.status in IN_PROGRESS

    @property
    def is_import(self) -> bool:
        return self.kind == JobKind.IMPORT
