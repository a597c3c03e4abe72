"""The service pages: marking at an activity, make-up approval, levels, inactive list,
instructors, the register and the number check, the home page, and their Excel files."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from activities import services as activity_services
from service import services
from service.models import Approval, EntryKind, ServiceEntry
from tests import factories as f

from .conftest import assert_totals_are_sums


def _rows(response):
    sheet = load_workbook(io.BytesIO(response.content)).active
    return list(sheet.iter_rows(values_only=True))


def test_the_cadre_marks_volunteers_with_a_default_and_one_adjusted(
    client, cast, volunteers, activity
):
    client.force_login(cast.cadre_a1)
    url = reverse("service:activity", args=[activity.pk])
    page = client.get(url)
    assert page.status_code == 200
    for v in volunteers:
        assert v.person.name in page.content.decode()
    data = {"default_hours": "2", "person": [v.person_id for v in volunteers[:4]]}
    data[f"hours-{volunteers[3].person_id}"] = "3.5"
    data[f"role-{volunteers[0].person_id}"] = "社会体育指导员"
    assert client.post(url, data).status_code == 302
    hours = dict(activity.service_entries.values_list("person_id", "hours"))
    assert sorted(hours.values()) == [2, 2, 2, Decimal("3.5")]
    assert activity.service_entries.get(person_id=volunteers[0].person_id).role == "社会体育指导员"
    bad = client.post(url, {"default_hours": "", "person": [volunteers[4].person_id]})
    assert "请为每位勾选的人员填写服务时长" in bad.content.decode()
    assert activity.service_entries.count() == 4  # nothing half-written


def test_out_of_scope_users_cannot_mark(client, cast, volunteers, activity):
    client.force_login(cast.cadre_a2)
    url = reverse("service:activity", args=[activity.pk])
    assert client.get(url).status_code == 404
    client.force_login(cast.leader)
    assert client.get(url).status_code == 200
    assert (
        client.post(url, {"person": [volunteers[0].person_id], "default_hours": "2"}).status_code
        == 403
    )
    assert not ServiceEntry.objects.exists()


def test_makeup_from_the_volunteer_page_and_street_approval(client, cast, volunteers):
    v = volunteers[0]
    client.force_login(cast.cadre_a1)
    url = reverse("service:volunteer", args=[v.pk])
    data = {
        "makeup": "1",
        "m-date": "2026-03-01",
        "m-hours": "4",
        "m-content": "图书整理",
        "m-reason": "",
    }
    page = client.post(url, data)
    assert "补录须填写原因" in page.content.decode()
    data["m-reason"] = "活动时漏登记"
    assert client.post(url, data).status_code == 302
    entry = ServiceEntry.objects.get(kind=EntryKind.MAKEUP)
    decide = reverse("service:makeup_decide", args=[entry.pk])
    assert client.post(decide, {"decision": "approve"}).status_code == 403  # a cadre
    client.force_login(cast.street_staff)
    listing = client.get(reverse("service:makeups"))
    assert "图书整理" in listing.content.decode()
    assert client.post(decide, {"decision": "approve"}).status_code == 302
    entry.refresh_from_db()
    assert entry.approval == Approval.APPROVED
    assert_totals_are_sums(volunteers)
    export = client.get(reverse("service:makeups") + "?state=approved&export=xlsx")
    assert _rows(export)[1][2] == v.person.name


@pytest.fixture
def spread(cast, volunteers):
    """Totals 99.9, 100, 300 and nothing (plus one with no service for years)."""
    for v, hours in zip(volunteers, ["99.9", "100", "300"], strict=False):
        services.sync_declared_totals({v.pk: Decimal(hours)}, today=dt.date(2026, 1, 1))
    ServiceEntry.objects.filter(kind=EntryKind.OPENING).update(date=dt.date(2020, 1, 1))
    activity = f.ActivityFactory(community=cast.a1, date=dt.date(2026, 5, 9), status="pending")
    services.mark_service(
        activity=activity,
        user=cast.cadre_a1,
        marks=[services.Mark(volunteers[0].person_id, "志愿者", Decimal("0.1"))],
    )
    activity_services.activity_verify(activity=activity, user=cast.street_staff)
    return volunteers


def test_levels_distribution_new_levels_and_excel(client, cast, spread):
    client.force_login(cast.street_staff)
    page = client.get(reverse("service:levels") + "?year=2026")
    assert page.status_code == 200
    rows = _rows(client.get(reverse("service:levels") + "?year=2026&export=xlsx"))
    by_name = {r[2]: r for r in rows[1:]}
    first = by_name[spread[0].person.name]
    assert (float(first[6]), first[8], first[10]) == (100.0, "一星", "是")  # 99.9 + 0.1
    second = by_name[spread[1].person.name]
    assert (float(second[6]), second[8], second[10]) == (100.0, "一星", None)  # reached before
    assert by_name[spread[2].person.name][8] == "二星"
    assert by_name[spread[3].person.name][8] == "未评星"
    new = _rows(client.get(reverse("service:levels") + "?year=2026&show=new&export=xlsx"))
    assert [r[2] for r in new[1:]] == [spread[0].person.name]


def test_inactive_lists_who_has_not_served_in_twelve_months(client, cast, spread):
    client.force_login(cast.cadre_a1)
    rows = _rows(client.get(reverse("service:inactive") + "?export=xlsx"))
    names = {r[2] for r in rows[1:]}
    assert spread[0].person.name not in names  # served in May
    assert {v.person.name for v in spread[1:]} <= names


def test_instructors_due_for_promotion_and_expiring(client, cast, settings):
    settings.SERVICE_PROMOTION_MIN_SERVICES = 1
    today = dt.date.today()
    due = f.CertificateFactory(community=cast.a1, issued_on=today - dt.timedelta(days=800))
    f.CertificateFactory(
        community=cast.a1, issued_on=dt.date(2010, 1, 1), expires_on=today + dt.timedelta(days=30)
    )
    activity = f.ActivityFactory(community=cast.a1, date=today, status="pending")
    services.mark_service(
        activity=activity,
        user=cast.cadre_a1,
        marks=[services.Mark(due.person_id, "社会体育指导员", Decimal("2"))],
    )
    activity_services.activity_verify(activity=activity, user=cast.street_staff)
    client.force_login(cast.cadre_a1)
    rows = _rows(client.get(reverse("service:instructors") + "?export=xlsx"))
    by_number = {r[4]: r for r in rows[1:]}
    assert by_number[due.number][-1] == "是" and by_number[due.number][7] == 1
    assert [r[9] for r in rows[1:]].count("即将失效") == 1


def test_the_number_check_shows_what_was_certified(client, cast, spread):
    cert = services.issue_certificate(
        user=cast.cadre_a1, volunteer=spread[0], start=dt.date(2026, 1, 1), end=dt.date.today()
    )
    client.force_login(cast.cadre_a1)
    assert client.get(reverse("service:check")).status_code == 403
    client.force_login(cast.street_staff)
    found = client.get(reverse("service:check"), {"number": cert.number.lower()}).content.decode()
    assert "有效" in found and spread[0].person.name in found and "0.1" in found
    missing = client.get(reverse("service:check"), {"number": "ZY2026-999-00001"}).content.decode()
    assert "不存在" in missing
    # The placeholder is this street's number pattern of this year, not a fixed example.
    this_year = dt.date.today().year
    assert f'placeholder="ZY{this_year}-{cast.street_a.pk:03d}-00001"' in missing
    client.force_login(cast.staff_b)
    other = client.get(reverse("service:check"), {"number": cert.number}).content.decode()
    assert "不存在" in other  # another street's number is not shown
    client.force_login(cast.cadre_a1)
    rows = _rows(client.get(reverse("service:certificates") + "?export=xlsx"))
    assert rows[1][0] == cert.number


def test_the_home_page_of_a_community(client, cast, spread):
    client.force_login(cast.cadre_a1)
    page = client.get(reverse("service:home"))
    assert page.status_code == 200
    assert page.context["volunteer_count"] == 5
    client.force_login(cast.nobody)
    assert client.get(reverse("service:home")).status_code == 403


def test_the_activity_page_links_to_the_mark_page(client, cast, activity):
    client.force_login(cast.cadre_a1)
    page = client.get(reverse("activities:detail", args=[activity.pk])).content.decode()
    assert reverse("service:activity", args=[activity.pk]) in page


def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("name", ["service:levels", "service:inactive", "service:home"])
def test_list_pages_read_a_fixed_number_of_queries(client, cast, volunteers, name):
    client.force_login(cast.street_staff)
    few = _queries(client, reverse(name))
    for _ in range(6):
        v = f.VolunteerFactory(community=cast.a2, registered_on=dt.date(2020, 1, 1))
        services.sync_declared_totals({v.pk: Decimal("120")})
    assert _queries(client, reverse(name)) == few


def test_the_mark_page_reads_a_fixed_number_of_queries(client, cast, volunteers, activity):
    client.force_login(cast.cadre_a1)
    url = reverse("service:activity", args=[activity.pk])
    few = _queries(client, url)
    for _ in range(6):
        f.VolunteerFactory(community=cast.a1, registered_on=dt.date(2020, 1, 1))
        f.CertificateFactory(community=cast.a1)
    assert _queries(client, url) == few
