"""The security log records each event the issue lists, one test per event, with time, user,
IP, event and result, and no personal data; the log page is scoped and exports."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from assessments import services as assessment_services
from communities.models import Membership, Role
from security_log.models import Event, SecurityEvent
from security_log.services import verify
from tests import factories as f
from tests.assessments.conftest import full_marks
from tests.reports.test_jobs import previewed
from tests.security.conftest import sign_in
from tests.security.routes import project_patterns, urls

from .conftest import events

pytestmark = pytest.mark.django_db

DOWNLOADS = [
    "facilities:file",
    "activities:file",
    "assessments:manual_file",
    "reports:job_download",
    "pdf:annual",
    "pdf:annual_year",
    "pdf:notice",
    "pdf:yearbook",
]


def test_role_granted_changed_and_revoked_in_the_admin(cast, client):
    operator = f.UserFactory(username="district-op", is_superuser=True, is_staff=True)
    sign_in(client, operator)
    newcomer = f.UserFactory(username="newcomer")
    add = client.post(
        reverse("admin:communities_membership_add"),
        {"user": newcomer.pk, "role": Role.STREET_STAFF, "street": cast.street_a.pk},
    )
    assert add.status_code == 302, add.content.decode()[:2000]
    membership = Membership.objects.get(user=newcomer)
    change = client.post(
        reverse("admin:communities_membership_change", args=[membership.pk]),
        {"user": newcomer.pk, "role": Role.STREET_ADMIN, "street": cast.street_a.pk},
    )
    assert change.status_code == 302
    client.post(
        reverse("admin:communities_membership_delete", args=[membership.pk]), {"post": "yes"}
    )
    logged = events("role_changed", details__target_user_id=newcomer.pk)
    assert [e.details["change"] for e in logged] == ["授予", "变更", "撤销"]
    assert [e.details["role"] for e in logged] == ["street_staff", "street_admin", "street_admin"]
    assert {e.user_id for e in logged} == {operator.pk}
    assert {e.street_id for e in logged} == {cast.street_a.pk}
    assert all(e.ip == "127.0.0.1" for e in logged)


def test_making_someone_an_operator_is_a_role_change(cast):
    before = SecurityEvent.objects.order_by("-seq").values_list("seq", flat=True).first()
    user = cast.street_staff
    user.is_superuser = True
    user.save()
    user.save(update_fields=["last_login"])  # not a change of role
    logged = events("role_changed", details__target_user_id=user.pk, seq__gt=before)
    assert [e.details["change"] for e in logged] == ["授予系统管理员"]


def test_a_list_export_logs_list_filters_and_row_count(world, client):
    sign_in(client, world.cast.street_admin)
    community = world.cast.a1.pk
    status = world["a1"].objects["facility"].status
    url = reverse("facilities:list") + f"?community={community}&status={status}&q=甲一&export=xlsx"
    response = client.get(url)
    assert response["Content-Type"].startswith("application/vnd.openxml")
    (entry,) = events("export")
    assert entry.details["list"] == "设施"
    assert entry.details["filters"] == {
        "community": [str(community)],
        "status": [status],
        "q": "（已填写）",
    }
    assert entry.details["rows"] >= 1
    assert "甲一" not in str(entry.details)


def test_the_workbook_export_is_logged(world, client):
    sign_in(client, world.cast.street_admin)
    response = client.get(reverse("reports:export"))
    assert response.status_code == 200
    (entry,) = events("export")
    assert entry.details["list"] == "标准数据工作簿" and entry.details["rows"] > 0


@pytest.mark.parametrize("name", DOWNLOADS)
def test_each_download_of_a_file_or_report_is_logged(world, client, name):
    sign_in(client, world.cast.street_admin)
    url = next(u for n, _fill, u in urls(world, world["a1"]) if n == name)
    response = client.get(url)
    assert response.status_code == 200 and "html" not in response["Content-Type"]
    (entry,) = events("download")
    assert entry.user_id == world.cast.street_admin.pk and entry.result == "ok"
    assert entry.details["file"]


def test_an_import_confirmation_is_logged(cast, client):
    job = previewed(cast.street_admin)
    sign_in(client, cast.street_admin)
    client.post(reverse("reports:job_confirm", args=[job.pk]))
    (entry,) = events("import")
    assert entry.details == {"job": job.pk, "rows": 3}


def test_finalisation_and_a_refused_second_one_are_logged(cast, client):
    full_marks(cast.a1)
    f.PopulationFactory(community=cast.a2)
    run = assessment_services.run_assessment(
        street=cast.street_a, year=2014, user=cast.street_staff
    )
    sign_in(client, cast.street_admin)
    url = reverse("assessments:run_finalise", args=[run.pk])
    client.post(url)
    client.post(url)  # already final: refused
    logged = events("finalise")
    assert [(e.result, e.details["run"]) for e in logged] == [("ok", run.pk), ("refused", run.pk)]


def test_the_portal_has_no_unfinalise_action():
    """A finalised run never changes; a new version is run instead (assessments/models.py).
    Should an unfinalise page ever be added, the log already has its event."""
    assert "unfinalise" in Event.values
    assert not [p.name for p in project_patterns() if "unfinal" in p.name]


def test_the_log_page_is_scoped_filtered_and_exported(world, client):
    cast = world.cast
    for user in (cast.street_staff, cast.staff_b, cast.cadre_a1):
        sign_in(Client(), user)  # one sign-in each, street A, street B, street A
    sign_in(client, cast.street_admin)
    page = client.get(reverse("accounts:security_log") + "?event=login").content.decode()
    assert "jia_staff" in page and "jia1_cadre" in page and "yi_staff" not in page
    filtered = client.get(reverse("accounts:security_log") + "?event=login&username=jia_staff")
    assert "jia1_cadre" not in filtered.content.decode()
    book = client.get(reverse("accounts:security_log") + "?event=login&export=xlsx")
    assert book["Content-Type"].startswith("application/vnd.openxml")
    assert events("export")[-1].details["list"] == "安全日志"

    operator = f.UserFactory(username="district-op", is_superuser=True)
    sign_in(client, operator)
    page = client.get(reverse("accounts:security_log") + "?event=login").content.decode()
    assert "yi_staff" in page and "jia_staff" in page
    for user in (cast.street_staff, cast.leader, cast.cadre_a1):
        sign_in(client, user)
        assert client.get(reverse("accounts:security_log")).status_code == 404


def test_no_personal_data_reaches_the_log(world, client):
    """Person names and phones of the world never appear in any entry after a tour."""
    sign_in(client, world.cast.street_admin)
    for name in ("teams:person_list", "teams:volunteer_list", "teams:cadre_list"):
        client.get(reverse(name) + "?export=xlsx&q=居民")
    persons = world["a1"].record_names
    text = " ".join(str(e.details) for e in SecurityEvent.objects.all())
    assert not [n for n in persons if n in text]
    assert verify() == []


def test_an_import_on_the_command_line_is_logged(tmp_path):
    from tests.reports.test_workbook_command import run, save
    from tests.reports.workbook_util import build, community, facility

    path = save(tmp_path, build({"社区": [community(), community("二社区")], "设施": [facility()]}))
    assert run(path)[0] == 0
    (entry,) = events("import")
    assert entry.details == {"source": "manage.py import_workbook", "rows": 3}
    assert entry.user_id is None
