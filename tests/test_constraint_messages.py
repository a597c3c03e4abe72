"""Every constraint speaks Chinese (issue 21), in forms, imports and past them.

A form shows a constraint's `violation_error_message` when it validates; a violation that
slips past validation (two people saving at once) reaches the database as an IntegrityError,
which becomes the same message and a rolled-back write — on a form page, on the 409 page of
any other write view, and in an import — never a 500.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from unittest import mock

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import IntegrityError, OperationalError
from django.db.models import CheckConstraint, UniqueConstraint
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from activities.models import Brand
from communities.models import Population, Street
from config.write_transactions import WriteRequestsAtomicMiddleware
from facilities.models import Facility
from portal.integrity import FALLBACK, FOREIGN_KEY, explain
from reports.workbook import importer
from reports.workbook.importer import WorkbookRejected, apply, parse_workbook
from tests import factories as f
from tests.reports.workbook_util import STREET, build, community, facility

CJK = re.compile(r"[\u4e00-\u9fff]")
DUPLICATE = "本社区已有同名的设施（设施名称不能重复）。"


def _project_constraints():
    root = Path(settings.BASE_DIR)
    for config in apps.get_app_configs():
        if root in Path(config.path).parents and ".venv" not in config.path:
            for model in config.get_models():
                for constraint in model._meta.constraints:
                    yield model, constraint


def test_every_constraint_has_a_chinese_message_and_a_code():
    constraints = list(_project_constraints())
    assert len(constraints) >= 51  # the walk found the models
    missing = []
    for model, c in constraints:
        assert isinstance(c, CheckConstraint | UniqueConstraint), c
        message = c.get_violation_error_message()
        if (
            c.violation_error_message == c.default_violation_error_message
            or not CJK.search(message)
            or c.name in message
            or not c.violation_error_code
        ):
            missing.append(f"{model._meta.label}.{c.name}")
    assert missing == []


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (
            "CHECK constraint failed: facility_area_not_negative",
            "文体设施：面积（平方米）不能为负数。",
        ),
        (
            "UNIQUE constraint failed: facilities_facility.community_id, facilities_facility.name",
            f"文体设施：{DUPLICATE}",
        ),
        (
            'duplicate key value violates unique constraint "team_unique_name"\n'
            "DETAIL:  Key (community_id, name)=(1, 舞蹈队) already exists.",
            "文体团队：本社区已有同名的团队（团队名称不能重复）。",
        ),
        ("UNIQUE constraint failed: teams_certificate.number", "证书编号已被使用，不能重复。"),
        ("FOREIGN KEY constraint failed", FOREIGN_KEY),
        ("something else entirely", FALLBACK),
    ],
)
def test_database_errors_become_the_constraints_message(error, expected):
    assert explain(IntegrityError(error)).endswith(expected)


def _facility_form(community, name="新建活动室"):
    return {
        "community": community.pk,
        "name": name,
        "kind": "文化活动室",
        "area": "120",
        "sets": "0",
        "status": "在用",
        "opened_on": "2024-03-01",
        "ownership": "自有",
        "partner_unit": "",
        "note": "",
    }


@pytest.mark.django_db
def test_a_form_shows_the_constraints_message_and_writes_nothing(client, cast):
    f.FacilityFactory(community=cast.a1, name="新建活动室")
    client.force_login(cast.street_staff, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(reverse("facilities:create"), _facility_form(cast.a1))
    assert response.status_code == 200
    assert DUPLICATE in response.content.decode()
    assert "facility_unique_name" not in response.content.decode()
    assert Facility.objects.filter(name="新建活动室").count() == 1


@pytest.mark.django_db
def test_the_brand_form_names_the_years_not_the_constraint(client, cast):
    """The issue's example: 约束 "brand_revoked_not_before_recognised" 是无效的."""
    client.force_login(cast.street_staff, backend="django.contrib.auth.backends.ModelBackend")
    data = {
        "community": cast.a1.pk,
        "name": "新品牌",
        "category": "特色体育项目",
        "recognised_year": 2024,
        "revoked_year": 2020,
    }
    response = client.post(reverse("activities:brand_create"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "撤销年度不能早于认定年度。" in page
    assert "brand_revoked_not_before_recognised" not in page
    assert not Brand.objects.exists()


@pytest.mark.django_db
def test_a_violation_past_the_forms_checks_is_the_same_message_not_a_500(client, cast):
    f.FacilityFactory(community=cast.a1, name="新建活动室")
    client.force_login(cast.street_staff, backend="django.contrib.auth.backends.ModelBackend")
    # As if another user saved the same name between this form's check and its save.
    skip = mock.patch.multiple(
        Facility, validate_constraints=lambda *a, **k: None, validate_unique=lambda *a, **k: None
    )
    with skip:
        response = client.post(reverse("facilities:create"), _facility_form(cast.a1))
    assert response.status_code == 200
    assert DUPLICATE in response.content.decode()
    assert Facility.objects.filter(name="新建活动室").count() == 1
    # The request's transaction is still usable: the next write on the page works.
    response = client.post(reverse("facilities:create"), _facility_form(cast.a1, "另一间"))
    assert response.status_code == 302


@pytest.mark.django_db
def test_any_other_write_view_answers_409_with_the_message_and_rolls_back():
    def view(request):
        Street.objects.create(name="写了一半的街道")
        raise IntegrityError("CHECK constraint failed: facility_area_not_negative")

    middleware = WriteRequestsAtomicMiddleware(lambda request: HttpResponse())
    request = RequestFactory().post("/")
    request.user = mock.Mock(is_authenticated=False)
    response = middleware.process_view(request, view, (), {})
    assert response.status_code == 409
    page = response.content.decode()
    assert "面积（平方米）不能为负数。" in page and "CHECK" not in page
    assert not Street.objects.filter(name="写了一半的街道").exists()


@pytest.mark.django_db
def test_a_write_that_outwaits_the_busy_timeout_is_told_to_try_again():
    def view(request):
        Street.objects.create(name="等锁的街道")
        raise OperationalError("database is locked")

    middleware = WriteRequestsAtomicMiddleware(lambda request: HttpResponse())
    request = RequestFactory().post("/")
    request.user = mock.Mock(is_authenticated=False)
    response = middleware.process_view(request, view, (), {})
    assert response.status_code == 503
    assert "本次没有保存任何内容" in response.content.decode()
    assert not Street.objects.filter(name="等锁的街道").exists()


def _workbook_meeting_a_concurrent_write():
    """An import whose facility another user creates after the import's checks."""
    real = importer.write_plan
    one = f.CommunityFactory(street=f.StreetFactory(name=STREET), name="一社区")

    def write_plan(plan, snapshot):
        Facility.objects.create(community=one, name="文化活动室", kind="文化活动室")
        real(plan, snapshot)

    book = build({"社区": [community()], "设施": [facility()]})
    return book, mock.patch.object(importer, "write_plan", write_plan)


@pytest.mark.django_db
def test_an_import_meeting_a_constraint_gives_its_message_and_writes_nothing():
    book, concurrent = _workbook_meeting_a_concurrent_write()
    parsed = parse_workbook(book)
    with concurrent, pytest.raises(WorkbookRejected) as rejected:
        apply(parsed)
    [error] = rejected.value.errors
    assert error.message == "文体设施：本社区已有同名的设施（设施名称不能重复）。（未导入任何数据）"
    assert not Facility.objects.exists() and not Population.objects.exists()


@pytest.mark.django_db
def test_the_import_command_says_so_and_exits_1(tmp_path):
    book, concurrent = _workbook_meeting_a_concurrent_write()
    path = tmp_path / "数据.xlsx"
    path.write_bytes(book.getvalue())
    err = io.StringIO()
    with concurrent, pytest.raises(SystemExit) as exit_:
        call_command("import_workbook", str(path), stdout=io.StringIO(), stderr=err)
    assert exit_.value.code == 1
    assert DUPLICATE in err.getvalue() and "UNIQUE" not in err.getvalue()
    assert not Facility.objects.exists() and not Population.objects.exists()
