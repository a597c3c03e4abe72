"""Validation rules in the browser: a warning at entry needs the tick; the admin's settings.

Screenshots at desktop and 375 px go to test-artifacts/ for a human to look at.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from activities.models import Activity
from checks.models import ValidationRule
from tests.browser_support import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 375, "height": 812}}
DESKTOP = {"viewport": {"width": 1280, "height": 900}}


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_a_warning_at_entry_then_the_tick_saves(cast, browser, live_server, size):
    cast.cadre_a1.save(update_fields=["password"])  # UserFactory does not save the hash
    context, page = sign_in(
        browser, live_server, cast.cadre_a1, **(PHONE if size == "phone" else DESKTOP)
    )
    page.goto(f"{live_server.url}/activities/new/")
    page.get_by_label("活动名称").fill("广场舞展演")
    page.get_by_label("活动日期").fill("2025-03-09")
    page.get_by_text("文化", exact=True).first.click()
    page.get_by_label("规模").select_option("大型")
    page.get_by_label("参与人数").fill("12")
    page.get_by_role("button", name="保存草稿").click()
    expect(
        page.get_by_text("提示：规模为大型，参与人数 12 人少于大型活动的 200 人。")
    ).to_be_visible()
    assert not Activity.objects.exists()
    screenshot(page, f"validation-entry-warning-{size}")
    page.get_by_label("已核对，仍然保存").check()
    page.get_by_role("button", name="保存草稿").click()
    expect(page.get_by_text("活动“广场舞展演”已保存为草稿")).to_be_visible()
    assert Activity.objects.get().participants == 12
    context.close()


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_the_street_admin_sets_a_rule(cast, browser, live_server, size):
    cast.street_admin.save(update_fields=["password"])
    context, page = sign_in(
        browser, live_server, cast.street_admin, **(PHONE if size == "phone" else DESKTOP)
    )
    page.goto(f"{live_server.url}/checks/")
    expect(page.get_by_role("heading", name="校验规则：甲街道")).to_be_visible()
    screenshot(page, f"validation-settings-{size}")
    rule = page.locator("#rule-facility_area_range")
    rule.get_by_label("错误（阻止保存或报送）").check()
    rule.get_by_label("最大面积(平方米)").fill("3000")
    rule.get_by_role("button", name="保存此规则").click()
    expect(page.get_by_text("规则“设施面积超出范围”已保存。")).to_be_visible()
    saved = ValidationRule.objects.get()
    assert (saved.severity, saved.high, saved.enabled) == ("error", 3000, True)
    context.close()
