"""Issue 18 in a real browser: the district admin opens the ranking by one indicator, clicks
through to a community's scorecard, and starts the white paper job. Screenshots (desktop and
phone) go to test-artifacts/."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from communities.models import Community
from reports.models import Job, JobKind
from tests import factories as f
from tests.browser_support import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

YEAR = 2014
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def test_district_admin_ranks_clicks_through_and_starts_the_white_paper(browser, live_server, cast):
    cast.district_admin.save(update_fields=["password"])
    other = f.StreetFactory(name="丙街道", district=cast.district_a)
    c = Community.objects.create(street=other, name="丙一社区", kind="回迁")
    for community, area in ((cast.a1, 300), (cast.a2, 120), (c, 60)):
        f.PopulationFactory(community=community, year=YEAR, residents=4000)
        f.FacilityFactory(community=community, kind="文化活动室", area=Decimal(area))

    context, page = sign_in(browser, live_server, cast.district_admin)
    page.goto(f"{live_server.url}/district/?year={YEAR}")
    expect(page.locator("h1")).to_contain_text("甲区")
    screenshot(page, "district-1-dashboard")
    page.get_by_role("link", name="社区排名").first.click()
    page.select_option("select[name=by]", "ind:A1")
    page.get_by_role("button", name="查看").click()
    table = page.locator("#ranking-table")
    expect(table.locator("tbody tr").first).to_contain_text("甲一社区")
    expect(page.locator("h2#h-rank")).to_contain_text("A1")
    screenshot(page, "district-2-ranking-A1")
    table.locator("tbody tr").nth(1).get_by_role("link", name="甲二社区").click()
    expect(page.locator("h1")).to_contain_text("甲二社区")
    screenshot(page, "district-3-scorecard")

    page.go_back()
    # The district publishes its scheme for the year (frozen from then on).
    page.get_by_role("link", name="考核方案").click()
    page.select_option("select[name=source]", "default")
    page.get_by_role("button", name="发布（发布后不能更改）").click()
    expect(page.locator(".messages")).to_contain_text(f"已发布甲区{YEAR}年统一考核方案")
    expect(page.get_by_role("button", name="发布（发布后不能更改）")).to_have_count(0)
    screenshot(page, "district-6-scheme")
    page.get_by_role("link", name="返回全区排名").click()
    expect(page.locator("main")).to_contain_text(f"按区县统一方案“甲区{YEAR}年统一方案”计分")
    page.get_by_role("button", name=f"生成{YEAR}年白皮书（PDF）").click()
    expect(page.locator(".messages")).to_contain_text("已开始生成甲区")
    job = Job.objects.get(created_by=cast.district_admin)
    assert job.kind == JobKind.WHITE_PAPER and job.params["year"] == YEAR
    expect(page.locator("h1")).to_contain_text(f"区县白皮书任务 #{job.pk}")
    context.close()

    phone_context, phone = sign_in(browser, live_server, cast.district_admin, **PHONE)
    phone.goto(f"{live_server.url}/district/rankings/?year={YEAR}")
    expect(phone.locator("#ranking-table")).to_contain_text("丙一社区")
    screenshot(phone, "district-4-ranking-phone")
    phone.goto(f"{live_server.url}/district/streets/?year={YEAR}")
    screenshot(phone, "district-5-streets-phone")
    phone_context.close()
