"""The white paper as a background job of the 报表中心 (reports.jobs): started here, run by
the worker with its progress on the Job, downloaded from the job's page."""

from __future__ import annotations

import tempfile
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django_tasks import task

from communities import scope
from communities.models import District
from reports import jobs
from reports.models import Job, JobKind

from .selectors import district_year
from .white_paper import white_paper_pdf

if TYPE_CHECKING:
    from communities.scope import User


def can_print(user: User, district: District) -> bool:
    """District admins and viewers print their own district's white paper."""
    return (
        scope.is_district_user(user)
        and scope.visible_districts(user).filter(pk=district.pk).exists()
    )


def white_paper_start(*, user: User, district: District, year: int) -> Job:
    if not can_print(user, district):
        raise PermissionDenied("只有本区县的用户可以生成区县白皮书。")
    return jobs.new_job(user, JobKind.WHITE_PAPER, None, {"district": district.pk, "year": year})


def _work(job: Job) -> str:
    district = District.objects.get(pk=job.params["district"])
    year = int(job.params["year"])
    jobs.report_progress(job, 5, "正在计算全区考核结果")
    data = district_year(district, year)
    pdf = white_paper_pdf(data, lambda p, m: jobs.report_progress(job, p, m))
    jobs.report_progress(job, 95, "正在保存")
    with tempfile.TemporaryFile() as fh:
        fh.write(pdf)
        jobs.save_output(job, f"{district.name}{year}年社区文体工作白皮书.pdf", fh)
    return "白皮书已生成"


@task()
def white_paper_task(job_id: int) -> str:
    return jobs.run_job(job_id, _work)


jobs.register_task(JobKind.WHITE_PAPER, white_paper_task)
