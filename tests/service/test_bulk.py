"""Bulk issue of 志愿服务记录证明: a background job that issues each certificate and prints
them as one PDF, with progress; volunteers without verified service are skipped."""

import datetime as dt
from decimal import Decimal

from django.urls import reverse
from django_tasks import task_backends

from activities import services as activity_services
from reports import jobs
from reports.models import Job, JobKind, JobStatus
from service import services
from service.models import ServiceCertificate
from service.services import Mark
from tests import factories as f
from tests.reports.pdf_util import pdf_pages, pdf_text, squash


def test_bulk_issue_runs_as_a_job_and_prints_one_pdf(client, cast, volunteers):
    today = dt.date.today()
    activity = f.ActivityFactory(community=cast.a1, date=today, status="pending")
    services.mark_service(
        activity=activity,
        user=cast.cadre_a1,
        marks=[Mark(v.person_id, "志愿者", Decimal("2")) for v in volunteers[:4]],
    )
    activity_services.activity_verify(activity=activity, user=cast.street_staff)
    client.force_login(cast.cadre_a1)
    data = {"c-start": f"{today.year}-01-01", "c-end": today.isoformat(), "community": cast.a1.pk}
    response = client.post(reverse("reports:service_certificates"), data)
    job = Job.objects.get(kind=JobKind.CERTIFICATES)
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert sorted(job.params["volunteers"]) == sorted(v.pk for v in volunteers)
    task_backends["default"].results.clear()
    assert jobs.certificates_task.call(job.pk) == JobStatus.DONE
    job.refresh_from_db()
    assert job.progress == 100
    assert job.message == "已开具 4 份证明；1 人该期间没有已认证的服务，未开具"
    with job.output_file.open("rb") as fh:
        pdf = fh.read()
    assert pdf_pages(pdf) == 4
    text = squash(pdf_text(pdf))
    for cert in ServiceCertificate.objects.all():
        assert cert.number in text and cert.total_hours == 2


def test_bulk_issue_is_scoped_and_refuses_readers(client, cast, volunteers):
    today = dt.date.today()
    data = {"c-start": f"{today.year}-01-01", "c-end": today.isoformat()}
    client.force_login(cast.leader)
    assert client.post(reverse("reports:service_certificates"), data).status_code == 403
    client.force_login(cast.cadre_a2)  # a2 has no volunteers; a1's are not theirs
    assert client.post(reverse("reports:service_certificates"), data).status_code == 403
    assert not Job.objects.exists()
