"""报表中心 pages: template, export, upload → preview → confirm, job status and downloads."""

from __future__ import annotations

import io
import re
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from assessments import services
from communities.models import Population
from reports import jobs, views
from reports.models import Job, JobKind, JobStatus
from reports.workbook.schema import EXPLANATION_SHEET, SHEETS
from tests import factories as f

from .test_jobs import empty_queue, good_workbook, jia, run_jobs, xlsx  # noqa: F401
from .test_workbook_export import WIPE_ORDER, records
from .workbook_util import community

PASSWORD = "pass-1234-word"


def client_for(client, user):
    client.force_login(user)
    return client


def upload(client, file) -> Any:
    return client.post(reverse("reports:import"), {"file": file})


def page(response) -> str:
    return response.content.decode()


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", page(response)))


def download(response) -> bytes:
    return b"".join(response.streaming_content)


def sheet_rows(data: bytes, sheet: str) -> list[tuple]:
    book = load_workbook(io.BytesIO(data), read_only=True)
    return list(book[sheet].iter_rows(min_row=2, values_only=True))


# ------------------------------------------------------------------ template and export


def test_template_has_every_sheet_and_the_explanations(client, cast):
    response = client_for(client, cast.cadre_a1).get(reverse("reports:template"))
    assert response.status_code == 200
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    assert book.sheetnames == [s.name for s in SHEETS] + [EXPLANATION_SHEET]
    notes = [r[0] for r in book[EXPLANATION_SHEET].iter_rows(values_only=True) if r and r[0]]
    assert "标准数据工作簿填写说明" in notes


def test_export_contains_only_rows_in_scope(client, cast):
    for c in (cast.a1, cast.a2, cast.b1):
        f.PopulationFactory(community=c, year=2024)
        f.FacilityFactory(community=c, name=f"{c.name}活动室")
    cadre = download(client_for(client, cast.cadre_a1).get(reverse("reports:export")))
    assert [r[:2] for r in sheet_rows(cadre, "社区")] == [("甲街道", "甲一社区")]
    assert [r[2] for r in sheet_rows(cadre, "设施")] == ["甲一社区活动室"]
    response = client_for(client, cast.leader).get(reverse("reports:export"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Cache-Control"] == "private, no-store"
    street = download(response)
    assert [r[1] for r in sheet_rows(street, "社区")] == ["甲一社区", "甲二社区"]


def test_a_large_export_becomes_a_background_job(client, cast, monkeypatch):
    f.PopulationFactory(community=cast.a1, year=2024)
    monkeypatch.setattr(views, "EXPORT_DIRECT_MAX_ROWS", 0)
    c = client_for(client, cast.street_staff)
    offer = c.get(reverse("reports:export"))
    assert "在后台导出" in text(offer) and "共有 1 行数据" in text(offer)
    assert not Job.objects.exists()  # a GET never starts a job
    response = c.post(reverse("reports:export"))
    job = Job.objects.get()
    assert response["Location"] == reverse("reports:job", args=[job.pk])
    running = c.get(response["Location"])
    assert '<meta http-equiv="refresh" content="2">' in page(running)
    assert "排队中" in text(running)
    run_jobs()
    done = c.get(response["Location"])
    assert 'http-equiv="refresh"' not in page(done)
    link = reverse("reports:job_download", args=[job.pk])
    assert link in page(done)
    data = download(c.get(link))
    assert [r[1] for r in sheet_rows(data, "社区")] == ["甲一社区"]


def test_nobody_may_not_export(client, cast):
    assert client_for(client, cast.nobody).get(reverse("reports:export")).status_code == 403


# ------------------------------------------------------------------ import


def test_preview_counts_against_existing_data(client, cast):
    f.PopulationFactory(community=cast.a1, year=2024, residents=5000, households=1800)
    f.PopulationFactory(community=cast.a2, year=2024, residents=3000, households=1000)
    workbook = xlsx(
        {
            "社区": [
                jia(community("甲一社区", 2024)),  # as stored
                jia(community("甲二社区", 2024, 常住人口=3500, 户数=1000)),  # changed
                jia(community("甲一社区", 2025)),  # new
            ],
        }
    )
    c = client_for(client, cast.street_admin)
    response = upload(c, workbook)
    job = Job.objects.get()
    assert response["Location"] == reverse("reports:job", args=[job.pk])
    shown = text(c.get(response["Location"]))
    assert "社区 1 1 1" in shown  # created, updated, unchanged
    assert "确认导入" in shown and "待确认" in shown
    assert Population.objects.get(community=cast.a2).residents == 3000  # nothing written yet


def test_every_error_is_listed_with_sheet_row_and_column(client, cast):
    workbook = xlsx(
        {
            "社区": [
                jia(community("甲一社区", 2024)),
                jia(community("甲一社区", "二〇二四")),
                jia(community("甲一社区", 2025, 社区类型="别墅")),
            ]
        }
    )
    c = client_for(client, cast.street_admin)
    shown = text(c.get(upload(c, workbook)["Location"]))
    assert "工作簿有 2 处错误，不能导入" in shown
    assert re.search(r"社区 3 年度 \S+", shown)
    assert re.search(r"社区 4 社区类型 \S+", shown)
    assert "确认导入" not in shown
    job = Job.objects.get()
    assert c.post(reverse("reports:job_confirm", args=[job.pk])).status_code == 302
    assert Job.objects.get().status == JobStatus.PREVIEW


def test_errors_are_paginated_and_queries_do_not_grow(client, cast):
    many = [jia(community(f"新{i}社区", 2024, 社区类型="别墅")) for i in range(450)]
    c = client_for(client, cast.street_admin)
    first = upload(c, xlsx({"社区": many}))["Location"]
    few = upload(c, xlsx({"社区": many[:3]}))["Location"]
    with CaptureQueriesContext(connection) as small:
        assert "共 3 处" in text(c.get(few))
    with CaptureQueriesContext(connection) as large:
        shown = text(c.get(first))
    assert len(large) == len(small)
    assert "共 450 处" in shown and "第 1 / 3 页" in shown
    assert "第 3 / 3 页" in text(c.get(first + "?page=3"))


def test_confirm_imports_everything_and_shows_the_result(client, cast):
    c = client_for(client, cast.street_admin)
    job_url = upload(c, good_workbook())["Location"]
    job = Job.objects.get()
    response = c.post(reverse("reports:job_confirm", args=[job.pk]), follow=True)
    assert "已确认导入" in text(response) and "排队中" in text(response)
    assert '<meta http-equiv="refresh" content="2">' in page(response)
    assert not Population.objects.exists()
    run_jobs()
    shown = text(c.get(job_url))
    assert "已完成" in shown and "导入结果" in shown and "社区 2 0 0" in shown
    assert Population.objects.count() == 2


def test_job_failure_shows_the_error_and_writes_nothing(client, cast, monkeypatch):
    c = client_for(client, cast.street_admin)
    job_url = upload(c, good_workbook())["Location"]
    c.post(reverse("reports:job_confirm", args=[Job.objects.get().pk]))

    def broken(parsed):
        raise jobs.DatabaseError("database is locked")

    monkeypatch.setattr(jobs.importer, "apply", broken)
    run_jobs()
    shown = text(c.get(job_url))
    assert "失败" in shown and "写入数据库失败，未导入任何数据：database is locked" in shown
    assert "本次没有写入任何数据" in shown
    assert not Population.objects.exists()


def test_a_running_job_shows_its_progress(client, cast):
    job = Job.objects.create(
        kind=JobKind.EXPORT,
        status=JobStatus.RUNNING,
        progress=40,
        message="正在导出工作簿",
        created_by=cast.leader,
        street=cast.street_a,
    )
    response = client_for(client, cast.leader).get(reverse("reports:job", args=[job.pk]))
    assert '<progress class="bar" value="40" max="100">' in page(
        response
    ) and "正在导出工作簿" in text(response)
    assert '<meta http-equiv="refresh" content="2">' in page(response)


def test_a_cadre_cannot_import(client, cast):
    c = client_for(client, cast.cadre_a1)
    assert c.get(reverse("reports:import")).status_code == 403
    assert upload(c, good_workbook()).status_code == 403
    assert not Job.objects.exists()
    assert reverse("reports:import") not in page(c.get(reverse("reports:index")))
    # Nor confirm someone else's upload: it is not even visible.
    job = jobs.import_upload(user=cast.street_admin, file=good_workbook())
    assert c.post(reverse("reports:job_confirm", args=[job.pk])).status_code == 404
    assert c.get(reverse("reports:job", args=[job.pk])).status_code == 404


def test_a_leader_cannot_import(client, cast):
    assert upload(client_for(client, cast.leader), good_workbook()).status_code == 403


def test_a_row_of_another_street_is_refused(client, cast):
    workbook = xlsx({"社区": [jia(community("乙一社区", 2024), "乙街道")]})
    c = client_for(client, cast.street_staff)
    shown = text(c.get(upload(c, workbook)["Location"]))
    assert "社区 2 街道 只能导入本街道（甲街道）的数据" in shown
    assert "确认导入" not in shown


def test_a_second_import_is_refused_while_one_runs(client, cast):
    admin = client_for(Client(), cast.street_admin)
    upload(admin, good_workbook())
    first = Job.objects.get()
    admin.post(reverse("reports:job_confirm", args=[first.pk]))
    assert Job.objects.get().status == JobStatus.QUEUED
    staff = client_for(client, cast.street_staff)
    second_url = upload(staff, good_workbook())["Location"]
    second = Job.objects.exclude(pk=first.pk).get()
    shown = text(staff.get(second_url))
    assert "正在排队或进行中，同一时间只能进行一项导入" in shown
    assert reverse("reports:job_confirm", args=[second.pk]) not in page(staff.get(second_url))
    refused = staff.post(reverse("reports:job_confirm", args=[second.pk]), follow=True)
    assert "另一项导入" in text(refused)
    assert Job.objects.get(pk=second.pk).status == JobStatus.PREVIEW


def test_a_refused_file_is_told_on_the_upload_form(client, cast):
    c = client_for(client, cast.street_admin)
    response = upload(c, SimpleUploadedFile("台账.xls", b"\xd0\xcf\x11\xe0 old excel"))
    assert response.status_code == 200
    assert "不是有效的 .xlsx 文件" in text(response)
    assert not Job.objects.exists()


def test_give_up_a_preview(client, cast):
    c = client_for(client, cast.street_admin)
    job_url = upload(c, good_workbook())["Location"]
    job = Job.objects.get()
    shown = text(c.post(reverse("reports:job_cancel", args=[job.pk]), follow=True))
    assert "任务已取消" in shown and "已放弃导入" in shown
    assert "确认导入" not in text(c.get(job_url))


# ------------------------------------------------------------------ jobs and downloads


def test_downloads_are_scoped_to_the_creator_and_street(client, cast):
    f.PopulationFactory(community=cast.a1, year=2024)
    job = jobs.export_start(user=cast.cadre_a1)
    run_jobs()
    link = reverse("reports:job_download", args=[job.pk])
    for user in (cast.cadre_a1, cast.leader, cast.street_admin):
        assert client_for(client, user).get(link).status_code == 200
    for user in (cast.cadre_a2, cast.staff_b, cast.cadre_b1, cast.nobody):
        c = client_for(client, user)
        assert c.get(link).status_code == 404
        assert c.get(reverse("reports:job", args=[job.pk])).status_code == 404
    client.logout()
    assert client.get(link).status_code == 302  # to the sign-in page


def test_index_lists_what_each_role_may_do(client, cast):
    jobs.export_start(user=cast.street_admin)
    c = client_for(client, cast.street_admin)
    c.get(reverse("reports:index"))  # warm the session
    with CaptureQueriesContext(connection) as one_job:
        assert text(c.get(reverse("reports:index"))).count("排队中") == 1
    for _ in range(4):
        jobs.export_start(user=cast.street_admin)
    # Jobs are one query for all: five take as many queries as one.
    with CaptureQueriesContext(connection) as five_jobs:
        shown = text(c.get(reverse("reports:index")))
    assert len(five_jobs) == len(one_job)
    assert all(
        w in shown
        for w in (
            "下载空白模板",
            "导出工作簿",
            "上传并预览",
            "年度考核报告",
            "考核结果通知书",
            "文化活动年鉴",
        )
    )
    assert shown.count("排队中") == 5
    cadre = client_for(client, cast.cadre_a1).get(reverse("reports:index"))
    assert "导出范围： 甲一社区" in text(cadre)
    assert reverse("reports:yearbook") in page(cadre)
    assert reverse("reports:import") not in page(cadre)
    assert reverse("reports:annual") not in page(cadre)
    leader = client_for(client, cast.leader).get(reverse("reports:index"))
    assert reverse("reports:annual") in page(leader)
    assert reverse("reports:import") not in page(leader)
    leader = text(leader)
    assert "排队中" in leader  # the street's jobs


def test_document_jobs_are_started_by_post(client, cast):
    c = client_for(client, cast.leader)
    response = c.post(
        reverse("reports:annual"), {"annual-street": cast.street_a.pk, "annual-year": 2024}
    )
    job = Job.objects.get()
    assert job.kind == JobKind.ANNUAL and job.params == {
        "streets": [cast.street_a.pk],
        "year": 2024,
    }
    assert response["Location"] == reverse("reports:job", args=[job.pk])
    # Another street is not a choice; a cadre may not print the annual report.
    c.post(reverse("reports:annual"), {"annual-street": cast.street_b.pk, "annual-year": 2024})
    assert Job.objects.count() == 1
    cadre = client_for(client, cast.cadre_a1)
    assert (
        cadre.post(
            reverse("reports:annual"), {"annual-street": cast.street_a.pk, "annual-year": 2024}
        ).status_code
        == 403
    )
    cadre.post(
        reverse("reports:yearbook"), {"yearbook-street": cast.street_a.pk, "yearbook-year": 2024}
    )
    assert Job.objects.filter(kind=JobKind.YEARBOOK, params__communities=[cast.a1.pk]).exists()


# ------------------------------------------------------------------ round trip


def test_round_trip_through_the_browser_gives_the_same_assessment(client, db):
    root = f.UserFactory(username="root", is_superuser=True, is_staff=True)
    street = records()
    before = services.assessment_json(services.compute(street, 2014))
    c = client_for(client, root)
    data = download(c.get(reverse("reports:export")))
    for model in WIPE_ORDER:
        model.objects.all().delete()
    job_url = upload(c, xlsx_bytes(data))["Location"]
    job = Job.objects.get()
    assert job.status == JobStatus.PREVIEW and not job.errors, job.errors
    c.post(reverse("reports:job_confirm", args=[job.pk]))
    run_jobs()
    assert "已完成" in text(c.get(job_url))
    street = type(street).objects.get(name="甲街道")
    assert services.assessment_json(services.compute(street, 2014)) == before
    assert before["communities"]  # the comparison is not between two empty results


def xlsx_bytes(data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("export.xlsx", data)


def test_an_export_job_past_excels_row_limit_fails_with_a_message(client, cast, monkeypatch):
    from portal import xlsx as writer

    f.PopulationFactory(community=cast.a1, year=2024)
    monkeypatch.setattr(views, "EXPORT_DIRECT_MAX_ROWS", 0)
    monkeypatch.setattr(writer, "MAX_ROWS", 1)  # the header row only
    c = client_for(client, cast.street_staff)
    response = c.post(reverse("reports:export"))
    run_jobs()
    job = Job.objects.get()
    assert job.status == JobStatus.FAILED
    shown = text(c.get(response["Location"]))
    assert "工作表“社区”超过 Excel 每表 1 行的上限，请缩小范围（如按街道）分别导出。" in shown
