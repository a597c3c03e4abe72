"""Background jobs (reports/jobs.py): queueing, progress, failure, one import at a time,
the scope of an import, and the PDF bundles.

Test settings use django-tasks' DummyBackend: an enqueued task waits in memory until
run_jobs() runs it, so every state in between (排队中, 进行中) can be looked at.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django_tasks import task_backends

from communities.models import Population
from facilities.models import Facility
from reports import jobs
from reports.models import Job, JobKind, JobStatus
from reports.workbook import importer
from tests import factories as f

from .workbook_util import at, build, community, facility, instructor

D = dt.date


@pytest.fixture(autouse=True)
def empty_queue() -> Any:
    task_backends["default"].clear()
    yield
    task_backends["default"].clear()


def run_jobs() -> int:
    """Run every queued task, in order, the way the worker would; how many ran."""
    backend = task_backends["default"]
    ran = 0
    while backend.results:
        result = backend.results.pop(0)
        result.task.call(*result.args, **result.kwargs)
        ran += 1
    return ran


def xlsx(sheets: dict[str, list[dict[str, Any]]], name: str = "台账.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, build(sheets).getvalue())


def jia(row: dict[str, Any], street: str = "甲街道") -> dict[str, Any]:
    return row | {"街道": street}


def good_workbook() -> SimpleUploadedFile:
    return xlsx(
        {
            "社区": [jia(community("甲一社区", 2024)), jia(community("甲二社区", 2024))],
            "设施": [jia(facility(社区="甲一社区", 设施名称="文化家园"))],
        }
    )


def refresh(job: Job) -> Job:
    job.refresh_from_db()
    return job


def previewed(user: Any, upload: SimpleUploadedFile | None = None) -> Job:
    job = jobs.import_upload(user=user, file=upload or good_workbook())
    assert job.status == JobStatus.PREVIEW, job.errors
    return job


# ------------------------------------------------------------------ import


def test_upload_previews_and_writes_nothing(cast):
    job = previewed(cast.street_admin)
    assert job.counts == [["社区", 2, 0, 0], ["设施", 1, 0, 0]]
    assert job.street == cast.street_a and job.input_file and job.input_name == "台账.xlsx"
    assert not Population.objects.exists() and not Facility.objects.exists()
    assert run_jobs() == 0  # a small workbook is previewed at once, nothing is queued


def test_confirm_queues_then_the_worker_imports_everything(cast):
    job = previewed(cast.street_admin)
    jobs.import_confirm(job=job, user=cast.street_admin)
    assert refresh(job).status == JobStatus.QUEUED and job.progress == 0
    assert not Population.objects.exists()
    assert run_jobs() == 1
    job = refresh(job)
    assert job.status == JobStatus.DONE and job.progress == 100 and job.finished_at
    assert job.counts == [["社区", 2, 0, 0], ["设施", 1, 0, 0]]
    assert Population.objects.filter(community__street=cast.street_a).count() == 2
    assert Facility.objects.get().name == "文化家园"


def test_progress_is_committed_before_the_write_starts(cast, monkeypatch):
    job = previewed(cast.street_admin)
    jobs.import_confirm(job=job, user=cast.street_admin)
    seen = {}
    real_apply = importer.apply

    def spy(parsed):
        seen.update(Job.objects.filter(pk=job.pk).values("status", "progress", "message")[0])
        return real_apply(parsed)

    monkeypatch.setattr(importer, "apply", spy)
    run_jobs()
    assert seen == {
        "status": "running",
        "progress": 60,
        "message": "正在写入数据库（全部成功才会保存）",
    }
    assert refresh(job).status == JobStatus.DONE


def test_a_failure_while_writing_rolls_everything_back(cast, monkeypatch):
    job = previewed(cast.street_admin)
    jobs.import_confirm(job=job, user=cast.street_admin)
    real_write = importer.write_plan

    def write_then_break(plan, snapshot):
        real_write(plan, snapshot)  # rows are written inside the transaction …
        assert Population.objects.exists()
        raise RuntimeError("磁盘已满")  # … and then the write fails

    monkeypatch.setattr(importer, "write_plan", write_then_break)
    run_jobs()
    job = refresh(job)
    assert job.status == JobStatus.FAILED
    assert "磁盘已满" in job.error and "联系系统管理员" in job.error
    assert not Population.objects.exists() and not Facility.objects.exists()


def test_data_changed_after_the_preview_fails_with_row_errors(cast):
    team = f.TeamFactory(community=cast.a1, name="舞蹈队")
    upload = xlsx(
        {
            "社区": [jia(community("甲一社区", 2024))],
            "团队荣誉": [jia(at("甲一社区", 团队名称="舞蹈队", 年度=2024, 荣誉称号="优秀团队"))],
        }
    )
    job = previewed(cast.street_admin, upload)
    jobs.import_confirm(job=job, user=cast.street_admin)
    team.delete()  # someone deletes the team between preview and confirmation
    run_jobs()
    job = refresh(job)
    assert job.status == JobStatus.FAILED and "未导入任何数据" in job.error
    assert job.error_count == 1
    assert job.errors[0][:3] == ["团队荣誉", 2, "团队名称"]
    assert not Population.objects.exists()


def test_a_cadre_or_leader_may_not_import(cast):
    for user in (cast.cadre_a1, cast.leader, cast.nobody):
        with pytest.raises(PermissionDenied):
            jobs.import_upload(user=user, file=good_workbook())
    job = previewed(cast.street_admin)
    with pytest.raises(PermissionDenied):  # only the uploader confirms
        jobs.import_confirm(job=job, user=cast.street_staff)


def test_rows_of_another_street_are_errors_for_a_street_user(cast):
    upload = xlsx(
        {"社区": [jia(community("甲一社区", 2024)), jia(community("乙一社区", 2024), "乙街道")]}
    )
    job = jobs.import_upload(user=cast.street_admin, file=upload)
    assert job.status == JobStatus.PREVIEW and job.counts == []
    assert job.errors == [["社区", 3, "街道", "只能导入本街道（甲街道）的数据，不能导入「乙街道」"]]
    with pytest.raises(ValidationError):
        jobs.import_confirm(job=job, user=cast.street_admin)


def test_a_superuser_imports_any_street(cast):
    root = f.UserFactory(username="root", is_superuser=True, is_staff=True)
    upload = xlsx(
        {"社区": [jia(community("甲一社区", 2024)), jia(community("乙一社区", 2024), "乙街道")]}
    )
    job = previewed(root, upload)
    assert job.street is None and job.counts == [["社区", 2, 0, 0]]


def test_a_certificate_number_of_another_street_is_refused(cast):
    person = f.PersonFactory(street=cast.street_b, code="B1", name="王五")
    f.CertificateFactory(community=cast.b1, person=person, number="Z-9")
    upload = xlsx(
        {
            "社区": [jia(community("甲一社区", 2024))],
            "社会体育指导员": [jia(instructor(社区="甲一社区", 证书编号="Z-9"))],
        }
    )
    job = jobs.import_upload(user=cast.street_admin, file=upload)
    assert job.errors == [
        ["社会体育指导员", 2, "证书编号", "证书编号「Z-9」已登记在其他街道，不能在此导入"]
    ]


def test_a_file_that_is_not_a_workbook_is_refused_and_not_kept(cast):
    with pytest.raises(ValidationError) as refused:
        jobs.import_upload(
            user=cast.street_admin, file=SimpleUploadedFile("x.xlsx", b"not a zip at all")
        )
    assert "不是有效的 .xlsx 文件" in refused.value.messages[0]
    assert not Job.objects.exists()


def test_a_large_workbook_is_checked_in_the_background(cast, monkeypatch):
    monkeypatch.setattr(jobs, "INLINE_CHECK_MAX_SIZE", 0)
    job = jobs.import_upload(user=cast.street_admin, file=good_workbook())
    assert job.status == JobStatus.CHECKING and job.is_active
    assert not job.counts
    run_jobs()
    job = refresh(job)
    assert job.status == JobStatus.PREVIEW and job.counts == [["社区", 2, 0, 0], ["设施", 1, 0, 0]]
    # The background check left its times behind; confirming starts the import afresh.
    jobs.import_confirm(job=job, user=cast.street_admin)
    assert refresh(job).started_at is None
    run_jobs()
    assert refresh(job).status == JobStatus.DONE


def test_only_one_import_at_a_time(cast):
    first = previewed(cast.street_admin)
    second = previewed(cast.street_staff)
    jobs.import_confirm(job=first, user=cast.street_admin)
    with pytest.raises(ValidationError) as busy:
        jobs.import_confirm(job=second, user=cast.street_staff)
    assert f"另一项导入（#{first.pk}，jia_admin 提交）正在排队或进行中" in busy.value.messages[0]
    assert refresh(second).status == JobStatus.PREVIEW
    run_jobs()
    jobs.import_confirm(job=second, user=cast.street_staff)  # free again once done
    assert refresh(second).status == JobStatus.QUEUED


def test_the_database_refuses_a_second_running_import(cast):
    Job.objects.create(kind=JobKind.IMPORT, status=JobStatus.RUNNING, created_by=cast.street_admin)
    with pytest.raises(IntegrityError), transaction.atomic():
        Job.objects.create(
            kind=JobKind.IMPORT, status=JobStatus.QUEUED, created_by=cast.street_staff
        )
    # Exports and finished imports are not limited.
    Job.objects.create(kind=JobKind.IMPORT, status=JobStatus.DONE, created_by=cast.street_staff)
    Job.objects.create(kind=JobKind.EXPORT, status=JobStatus.RUNNING, created_by=cast.leader)


def test_confirm_losing_the_race_is_told_in_chinese(cast, monkeypatch):
    job = previewed(cast.street_admin)
    Job.objects.create(kind=JobKind.IMPORT, status=JobStatus.RUNNING, created_by=cast.street_staff)
    # The friendly check saw nothing; the constraint still refuses.
    monkeypatch.setattr(jobs, "active_import", lambda: None)
    with pytest.raises(ValidationError) as busy:
        jobs.import_confirm(job=job, user=cast.street_admin)
    assert "同一时间只能进行一项导入" in busy.value.messages[0]
    assert refresh(job).status == JobStatus.PREVIEW


def test_cancel_a_queued_job_and_the_worker_skips_it(cast):
    job = previewed(cast.street_admin)
    jobs.import_confirm(job=job, user=cast.street_admin)
    jobs.job_cancel(job=job, user=cast.street_admin)
    run_jobs()
    job = refresh(job)
    assert job.status == JobStatus.FAILED and "取消" in job.error
    assert not Population.objects.exists()


def test_a_running_job_may_be_cancelled_only_when_its_worker_is_gone(cast):
    job = Job.objects.create(
        kind=JobKind.IMPORT,
        status=JobStatus.RUNNING,
        created_by=cast.street_admin,
        street=cast.street_a,
        started_at=dt.datetime.now(dt.UTC),
    )
    assert not jobs.can_cancel(job, cast.street_admin)
    job.started_at -= jobs.STALE_AFTER + dt.timedelta(minutes=1)
    assert jobs.can_cancel(job, cast.street_admin)
    assert not jobs.can_cancel(job, cast.leader)  # neither its creator nor the admin
    jobs.job_cancel(job=job, user=cast.street_admin)
    assert refresh(job).status == JobStatus.FAILED


def test_giving_up_a_preview_deletes_the_uploaded_file(cast):
    job = previewed(cast.street_admin)
    storage, name = job.input_file.storage, job.input_file.name
    assert storage.exists(name)
    jobs.job_cancel(job=job, user=cast.street_admin)
    assert not storage.exists(name) and refresh(job).error == "已放弃导入。"


# ------------------------------------------------------------------ who sees which job


def test_jobs_are_seen_by_their_creator_and_their_street(cast):
    mine = jobs.export_start(user=cast.cadre_a1)
    other = jobs.export_start(user=cast.staff_b)
    assert set(jobs.jobs_for(cast.cadre_a1)) == {mine}
    assert set(jobs.jobs_for(cast.cadre_a2)) == set()
    assert set(jobs.jobs_for(cast.leader)) == {mine}
    assert set(jobs.jobs_for(cast.staff_b)) == {other}
    assert set(jobs.jobs_for(cast.nobody)) == set()


# ------------------------------------------------------------------ export and documents


def test_export_job_writes_only_the_users_communities(cast):
    for c in (cast.a1, cast.a2, cast.b1):
        f.PopulationFactory(community=c, year=2024)
    job = jobs.export_start(user=cast.cadre_a1)
    assert job.status == JobStatus.QUEUED and job.street == cast.street_a
    run_jobs()
    job = refresh(job)
    assert job.status == JobStatus.DONE and job.output_name.startswith("标准数据工作簿_甲一社区_")
    from openpyxl import load_workbook

    with job.output_file.open("rb") as fh:
        book = load_workbook(io.BytesIO(fh.read()), read_only=True)
        rows = list(book["社区"].iter_rows(min_row=2, values_only=True))
    assert [r[:2] for r in rows] == [("甲街道", "甲一社区")]


def test_nobody_exports_nothing(cast):
    with pytest.raises(PermissionDenied):
        jobs.export_start(user=cast.nobody)


@pytest.fixture
def fake_pdfs(monkeypatch):
    """The PDFs themselves are tested with reports/annual.py; here only what goes in the zip."""
    monkeypatch.setattr(jobs.annual, "annual_report_pdf", lambda *, run: b"%PDF annual-run")
    monkeypatch.setattr(
        jobs.annual, "annual_report_for", lambda *, street, year, as_of=None: b"%PDF annual-now"
    )
    monkeypatch.setattr(jobs.notices, "notice_pdf", lambda *, run, community: b"%PDF notice")
    monkeypatch.setattr(
        jobs.yearbook, "yearbook_pdf", lambda *, street, year, communities=None: b"%PDF yearbook"
    )


def zip_names(job: Job) -> list[str]:
    with job.output_file.open("rb") as fh, zipfile.ZipFile(io.BytesIO(fh.read())) as zf:
        return sorted(zf.namelist())


def a_run(cast, year: int = 2024):
    from assessments import services

    for c in (cast.a1, cast.a2):
        f.PopulationFactory(community=c, year=year)
    return services.run_assessment(
        street=cast.street_a, year=year, user=cast.street_admin, as_of=D(year, 12, 31)
    )


def test_annual_job_zips_the_report_and_every_notice(cast, fake_pdfs):
    run = a_run(cast)
    job = jobs.annual_start(user=cast.leader, street=cast.street_a, year=2024)
    run_jobs()
    job = refresh(job)
    assert job.status == JobStatus.DONE, job.error
    assert job.output_name == "甲街道2024年度考核报告与通知书.zip"
    assert zip_names(job) == [
        "甲街道/甲街道2024年度考核报告.pdf",
        "甲街道/通知书/甲一社区2024年度考核结果通知书.pdf",
        "甲街道/通知书/甲二社区2024年度考核结果通知书.pdf",
    ]
    assert run.results.count() == 2


def test_annual_job_for_every_street_is_for_superusers(cast, fake_pdfs):
    with pytest.raises(PermissionDenied):
        jobs.annual_start(user=cast.street_admin, street=None, year=2024)
    with pytest.raises(PermissionDenied):
        jobs.annual_start(user=cast.street_admin, street=cast.street_b, year=2024)
    with pytest.raises(PermissionDenied):
        jobs.annual_start(user=cast.cadre_a1, street=cast.street_a, year=2024)
    root = f.UserFactory(username="root", is_superuser=True)
    job = jobs.annual_start(user=root, street=None, year=2024)
    run_jobs()
    names = zip_names(refresh(job))
    # No run yet: a provisional report and a note instead of notices.
    assert names == [
        "乙街道/乙街道2024年度考核报告.pdf",
        "乙街道/说明.txt",
        "甲街道/甲街道2024年度考核报告.pdf",
        "甲街道/说明.txt",
    ]
    assert job.street is None and job.output_name == "全部街道2024年度考核报告与通知书.zip"


def test_notices_job(cast, fake_pdfs):
    run = a_run(cast)
    job = jobs.notices_start(user=cast.street_staff, run=run)
    run_jobs()
    assert zip_names(refresh(job)) == [
        "甲一社区2024年度考核结果通知书.pdf",
        "甲二社区2024年度考核结果通知书.pdf",
    ]


def test_a_cadres_yearbook_covers_only_their_community(cast, fake_pdfs, monkeypatch):
    asked = {}

    def fake(*, street, year, communities=None):
        asked.update(street=street, year=year, communities=communities)
        return b"%PDF yearbook"

    monkeypatch.setattr(jobs.yearbook, "yearbook_pdf", fake)
    job = jobs.yearbook_start(user=cast.cadre_a1, street=cast.street_a, year=2024)
    run_jobs()
    assert asked == {"street": cast.street_a, "year": 2024, "communities": [cast.a1]}
    assert refresh(job).output_name == "甲街道2024年文化活动年鉴.pdf"
    jobs.yearbook_start(user=cast.leader, street=cast.street_a, year=2024)
    run_jobs()
    assert asked["communities"] is None  # the whole street
    with pytest.raises(PermissionDenied):
        jobs.yearbook_start(user=cast.cadre_a1, street=cast.street_b, year=2024)


def test_an_unexpected_error_fails_the_job_with_a_chinese_message(cast, monkeypatch):
    def broken(*, street, year, communities=None):
        raise OSError("字体文件缺失")

    monkeypatch.setattr(jobs.yearbook, "yearbook_pdf", broken)
    job = jobs.yearbook_start(user=cast.leader, street=cast.street_a, year=2024)
    run_jobs()
    job = refresh(job)
    assert job.status == JobStatus.FAILED and "字体文件缺失" in job.error
    assert not job.output_file


def test_real_pdfs_in_the_annual_zip(cast):
    a_run(cast)
    job = jobs.annual_start(user=cast.street_admin, street=cast.street_a, year=2024)
    run_jobs()
    job = refresh(job)
    assert job.status == JobStatus.DONE, job.error
    with job.output_file.open("rb") as fh, zipfile.ZipFile(io.BytesIO(fh.read())) as zf:
        assert all(zf.read(n).startswith(b"%PDF") for n in zf.namelist())
        assert len(zf.namelist()) == 3
