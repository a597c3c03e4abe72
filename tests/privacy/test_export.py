"""The standard workbook goes out with phones masked; full numbers need a role that may
reveal them and a reason, and the export is logged (refusals too)."""

import io

import pytest
from django.urls import reverse

from reports.models import Job
from security_log.models import Event, Result, SecurityEvent
from tests.reports.test_jobs import (
    empty_queue,  # noqa: F401  (autouse: a clean task queue)
    run_jobs,
)
from tests.reports.workbook_util import read_back

from .conftest import MASKED, PHONE

pytestmark = pytest.mark.django_db


def member_phones(data: bytes) -> list:
    rows = read_back(io.BytesIO(data))["团队成员"]
    column = rows[0].index("联系电话")
    return [row[column] for row in rows[1:]]


def exports():
    return SecurityEvent.objects.filter(event=Event.EXPORT)


def test_the_ordinary_export_is_masked(login, cast, member):
    response = login(cast.street_admin).get(reverse("reports:export"))
    assert member_phones(b"".join(response.streaming_content)) == [MASKED]


def test_full_numbers_need_a_reason(login, cast, member):
    client = login(cast.street_admin)
    assert 'name="full-reason"' in client.get(reverse("reports:index")).content.decode()
    response = client.post(reverse("reports:export"), {"full_phones": "1", "full-reason": ""})
    assert response.status_code == 200 and "请说明原因" in response.content.decode()
    assert not Job.objects.exists() and not exports().exists()


def test_full_numbers_with_a_reason_are_exported_and_logged(login, cast, member):
    client = login(cast.street_admin)
    response = client.post(
        reverse("reports:export"), {"full_phones": "1", "full-reason": "移交区文旅局名册"}
    )
    job = Job.objects.get()
    assert response.status_code == 302 and job.params["full_phones"] is True
    entry = exports().get()
    assert entry.result == Result.OK and entry.details == {
        "list": "标准数据工作簿（含完整联系电话）",
        "full_phones": True,
        "reason": "移交区文旅局名册",
    }
    run_jobs()
    download = client.get(reverse("reports:job_download", args=[job.pk]))
    assert member_phones(b"".join(download.streaming_content)) == [PHONE]


@pytest.mark.parametrize("role", ["leader", "street_staff"])
def test_other_roles_are_refused_and_logged(login, cast, member, role):
    client = login(getattr(cast, role))
    assert 'name="full-reason"' not in client.get(reverse("reports:index")).content.decode()
    response = client.post(
        reverse("reports:export"), {"full_phones": "1", "full-reason": "移交区文旅局名册"}
    )
    assert response.status_code == 403
    assert not Job.objects.exists()
    assert exports().get().result == Result.REFUSED
