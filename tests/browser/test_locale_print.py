"""The browser as users have it (Chinese, Asia/Shanghai), the grouped menu at desktop and
phone width, and lists printed on A4 without the navigation."""

from __future__ import annotations

import re
import subprocess

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests import factories as f
from tests.browser_support import ARTIFACTS, screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 375, "height": 800}}


@pytest.fixture
def staff(cast):
    cast.street_staff.save(update_fields=["password"])  # UserFactory does not save the hash
    for n in range(60):
        f.FacilityFactory(community=cast.a1 if n % 2 else cast.a2, name=f"文体活动室{n:02d}")
    return cast.street_staff


def test_the_browser_speaks_chinese_in_beijing_time(browser, live_server, staff):
    context, page = sign_in(browser, live_server, staff)
    assert page.evaluate("navigator.language") == "zh-CN"
    assert page.evaluate("Intl.DateTimeFormat().resolvedOptions().timeZone") == "Asia/Shanghai"
    # 2026-01-05 00:30 in Beijing is still the 4th in UTC: the page's clock is Beijing's.
    assert page.evaluate("new Date(Date.UTC(2026, 0, 4, 16, 30)).toLocaleDateString()") == (
        "2026/1/5"
    )
    page.goto(live_server.url + reverse("facilities:list"))
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    # The date picker as a user sees it: year, month, day in Chinese (2026/12/04), read from
    # Chromium's accessibility tree of a date field of the portal.
    page.goto(live_server.url + reverse("activities:create"))
    tree = context.new_cdp_session(page).send("Accessibility.getFullAXTree")["nodes"]
    named = [(n["role"]["value"], n.get("name", {}).get("value")) for n in tree if "role" in n]
    parts = [str(name).split()[0] for role, name in named if role == "spinbutton" and name]
    assert [p for p in parts if p in ("年", "月", "日")] == ["年", "月", "日"], parts
    context.close()


def test_the_menu_opens_by_work_area_at_desktop_and_phone(browser, live_server, staff):
    context, page = sign_in(browser, live_server, staff)
    page.goto(live_server.url + reverse("facilities:project_list"))
    menu = page.get_by_role("navigation", name="主菜单")
    expect(menu.locator("summary")).to_have_text(["台账", "活动", "考核", "报表"])
    expect(menu.get_by_role("link", name="提升工程")).to_be_hidden()
    menu.locator("summary", has_text="台账").click()
    expect(menu.get_by_role("link", name="提升工程")).to_have_attribute("aria-current", "page")
    menu.locator("summary", has_text="活动").click()  # one group open at a time
    expect(menu.get_by_role("link", name="提升工程")).to_be_hidden()
    expect(menu.get_by_role("link", name="待审核")).to_be_visible()
    screenshot(page, "menu-desktop")
    page.keyboard.press("Escape")
    expect(menu.get_by_role("link", name="待审核")).to_be_hidden()
    context.close()

    context, page = sign_in(browser, live_server, staff, **PHONE)
    page.goto(live_server.url + reverse("facilities:list"))
    expect(page.get_by_role("navigation", name="主菜单")).to_be_hidden()
    page.get_by_text("菜单", exact=True).click()
    page.locator("summary", has_text="报表").click()
    page.get_by_role("link", name="看板").click()
    expect(page).to_have_url(live_server.url + reverse("dashboard:index"))
    page.get_by_text("菜单", exact=True).click()
    screenshot(page, "menu-phone")
    context.close()


def test_a_long_list_prints_on_a4_without_the_navigation(browser, live_server, staff, tmp_path):
    context, page = sign_in(browser, live_server, staff)
    page.goto(live_server.url + reverse("facilities:list") + "?per_page=100")
    page.emulate_media(media="print")
    expect(page.locator(".topbar")).to_be_hidden()
    expect(page.locator(".filters")).to_be_hidden()
    pdf = tmp_path / "list.pdf"
    page.pdf(path=str(pdf), prefer_css_page_size=True)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert re.search(r"Page size:\s+59\d\.\d+ x 841\.\d+ pts \(A4\)", info), info
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages")))
    assert pages >= 2
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "文体活动室00" in text and "文体活动室59" in text
    assert "退出" not in text and "主菜单" not in text
    # The header row repeats on every printed page.
    assert text.count("设施名称") >= pages, text[:400]
    ARTIFACTS.mkdir(exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "2", str(pdf), ARTIFACTS / "print-list"],
        check=True,
    )
    context.close()
