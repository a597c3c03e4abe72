"""The district's reporting board in a real browser (desktop and phone): the district viewer
opens it from the district dashboard and clicks a street's month through to that street's
board. Screenshots go to test-artifacts/."""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from reporting import rules
from reporting.models import ReportingCalendar
from reporting.rules import Period
from tests import factories as f
from tests.browser_support import screenshot, sign_in
from tests.district.test_reporting import YEAR, _sub

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def test_district_viewer_reads_the_board_and_opens_a_street(browser, live_server, cast):
    cast.district_viewer.save(update_fields=["password"])
    _sub(cast.street_staff, cast.a1, Period(YEAR, 1), dt.date(YEAR, 2, 3), "approved")
    _sub(cast.street_staff, cast.a2, Period(YEAR, 1), dt.date(YEAR, 2, 9))
    bing = f.StreetFactory(name="丙街道", district=cast.district_a)
    ReportingCalendar.objects.create(street=bing, cadence=rules.QUARTERLY, deadline_day=10)
    c = f.CommunityFactory(street=bing, name="丙一社区")
    _sub(cast.street_staff, c, Period(YEAR, 1, rules.QUARTERLY), dt.date(YEAR, 4, 8), day=10)

    for name, options in (("desktop", {}), ("phone", PHONE)):
        context, page = sign_in(browser, live_server, cast.district_viewer, **options)
        page.goto(f"{live_server.url}/district/?year={YEAR}")
        page.get_by_role("link", name="报送情况").first.click()
        table = page.locator("#district-reporting")
        expect(table).to_contain_text("丙街道")
        expect(table.locator("tbody tr", has_text="甲街道")).to_contain_text("8.3%")
        screenshot(page, f"district-reporting-{name}")
        table.get_by_title(f"甲街道{YEAR}年1月").click()
        expect(page.locator("h1")).to_contain_text(f"报送情况：甲街道 {YEAR}年")
        expect(page.locator("main")).to_contain_text("甲二社区")
        context.close()
