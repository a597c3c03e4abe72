"""The street admin's settings page and the validation report of a community's period."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from activities.models import Activity
from checks.models import ValidationRule
from tests import factories as f

SETTINGS = reverse("checks:settings")


def test_only_the_street_admin_opens_and_changes_the_rules(cast, client):
    for user in (cast.street_staff, cast.leader, cast.cadre_a1, cast.district_admin):
        client.force_login(user)
        assert client.get(SETTINGS).status_code == 403, user
        data = {"code": "team_no_members", "team_no_members-severity": "error"}
        assert client.post(SETTINGS, data).status_code == 403, user
    assert not ValidationRule.objects.exists()
    client.force_login(cast.street_admin)
    page = client.get(SETTINGS).content.decode()
    assert "校验规则：甲街道" in page and "设施面积超出范围" in page
    # 乙街道's rules are not on offer to 甲街道's admin: the page stays on their own street.
    response = client.post(
        f"{SETTINGS}?street={cast.street_b.pk}",
        {
            "code": "facility_area_range",
            "facility_area_range-enabled": "on",
            "facility_area_range-severity": "error",
            "facility_area_range-low": "5",
            "facility_area_range-high": "900",
        },
    )
    assert response.status_code == 302
    rule = ValidationRule.objects.get()
    assert (rule.street, rule.enabled, rule.severity) == (cast.street_a, True, "error")
    assert (rule.low, rule.high) == (Decimal(5), Decimal(900))
    # Every change is kept with who made it.
    assert rule.history.first().history_user == cast.street_admin


def test_bad_settings_get_a_chinese_message_and_change_nothing(cast, client):
    client.force_login(cast.street_admin)
    response = client.post(
        SETTINGS,
        {
            "code": "facility_area_range",
            "facility_area_range-severity": "warning",
            "facility_area_range-low": "900",
            "facility_area_range-high": "5",
        },
    )
    assert response.status_code == 200
    assert "最大面积(平方米)不能小于最小面积(平方米)。" in response.content.decode()
    response = client.post(
        SETTINGS, {"code": "team_no_members", "team_no_members-severity": "fatal"}
    )
    assert response.status_code == 200
    assert not ValidationRule.objects.exists()
    assert client.post(SETTINGS, {"code": "no_such_rule"}).status_code == 404


def test_switching_off_on_the_page_stops_the_rule(cast, client):
    client.force_login(cast.street_admin)
    client.post(
        SETTINGS, {"code": "activity_future_date", "activity_future_date-severity": "error"}
    )
    assert ValidationRule.objects.get(code="activity_future_date").enabled is False
    client.force_login(cast.cadre_a1)
    later = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    response = client.post(
        reverse("activities:create"),
        {"community": cast.a1.pk, "name": "预告活动", "date": later, "category": "文化"},
    )
    assert response.status_code == 302 and Activity.objects.filter(name="预告活动").exists()


def _report(cast) -> str:
    return reverse("yearcycle:validation", args=[cast.a1.pk, 2025, 3])


def _records(cast, n: int) -> None:
    for i in range(n):
        Activity.objects.create(
            community=cast.a1,
            name=f"活动{i}",
            date=dt.date(2025, 3, 1 + i),
            category="文化",
            scale="大型",
            participants=3,
        )
        f.TeamFactory(community=cast.a1)
        f.FacilityFactory(community=cast.a1, area=Decimal(90000))


def test_the_report_lists_every_finding_and_exports_them(cast, client):
    _records(cast, 2)
    client.force_login(cast.leader)  # a leader reads the report, submits nothing
    page = client.get(_report(cast)).content.decode()
    assert page.count("规模为大型") == 2 and page.count("没有登记任何成员") == 2
    assert page.count("大于 50000 平方米") == 2 and "去报送" not in page
    response = client.get(_report(cast) + "?export=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("级别", "规则", "记录", "问题") and len(rows) == 7
    assert {r[1] for r in rows[1:]} == {"参与人数与规模不符", "团队没有成员", "设施面积超出范围"}


def test_the_report_is_scoped(cast, client):
    client.force_login(cast.cadre_a2)
    assert client.get(_report(cast)).status_code == 404
    client.force_login(cast.staff_b)
    assert client.get(_report(cast)).status_code == 404


def test_the_reports_query_count_does_not_grow_with_the_records(cast, client):
    client.force_login(cast.street_staff)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(_report(cast)).status_code == 200
        return len(queries)

    _records(cast, 2)
    small = count()
    _records_more = 12
    for i in range(_records_more):
        Activity.objects.create(
            community=cast.a1, name=f"更多{i}", date=dt.date(2025, 3, 10 + i), category="体育"
        )
        f.TeamFactory(community=cast.a1)
        f.FacilityFactory(community=cast.a1, area=Decimal(1))
    assert count() == small
