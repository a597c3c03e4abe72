"""The main flows with the keyboard alone (GB/T 37668: everything operable without a mouse):
sign in, log an activity, verify one. Only Tab, Shift+Tab, typing, arrows, Space and Enter
are used; nothing is clicked."""

from __future__ import annotations

import pytest
from playwright.sync_api import Locator, Page, expect

from activities.models import Activity
from activities.models import ActivityStatus as S
from tests import factories as f
from tests.browser_support import PASSWORD, new_context

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def tab_to(page: Page, target: Locator, *, limit: int = 80) -> None:
    """Press Tab until `target` has the focus (fails after `limit` presses)."""
    for _ in range(limit):
        if target.evaluate("e => e === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {target}")


def keyboard_sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/login/")
    tab_to(page, page.locator("input[name=username]"))
    page.keyboard.type(username)
    page.keyboard.press("Tab")
    expect(page.locator("input[name=password]")).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("navigation", name="主菜单")).to_be_attached()


def open_menu_link(page: Page, group: str, label: str) -> None:
    menu = page.get_by_role("navigation", name="主菜单")
    tab_to(page, menu.locator("summary", has_text=group))
    page.keyboard.press("Enter")
    link = menu.get_by_role("link", name=label, exact=True)
    expect(link).to_be_visible()
    tab_to(page, link)
    page.keyboard.press("Enter")


@pytest.fixture
def scene(cast):
    for user in (cast.cadre_a1, cast.street_staff):
        user.save(update_fields=["password"])  # UserFactory does not save the hash
    f.FacilityFactory(community=cast.a1, name="邻里文化家园")
    waiting = f.ActivityFactory(community=cast.a1, name="待审核的广场舞展演", status=S.PENDING)
    return {"waiting": waiting}


def test_a_skip_link_leads_past_the_menu(browser, live_server, scene, cast):
    context = new_context(browser)
    page = context.new_page()
    keyboard_sign_in(page, live_server.url, cast.cadre_a1.username)
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="跳到正文")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    context.close()


def test_a_cadre_logs_an_activity_with_the_keyboard(browser, live_server, scene, cast):
    context = new_context(browser, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    keyboard_sign_in(page, live_server.url, cast.cadre_a1.username)
    open_menu_link(page, "活动", "活动")
    tab_to(page, page.get_by_role("link", name="新增"))
    page.keyboard.press("Enter")
    tab_to(page, page.locator("input[name=name]"))
    page.keyboard.type("键盘录入的邻里节")
    tab_to(page, page.locator("input[name=category]").first)
    page.keyboard.press("Space")
    expect(page.locator("input[name=category]").first).to_be_checked()
    tab_to(page, page.locator("input[name=form]"))
    page.keyboard.type("文艺演出")
    tab_to(page, page.locator("input[name=participants]"))
    page.keyboard.type("120")
    tab_to(page, page.locator("select[name=location]"))
    page.keyboard.press("ArrowDown")  # the first facility after （不选）
    expect(page.locator("select[name=location] option:checked")).to_have_text("邻里文化家园")
    tab_to(page, page.get_by_role("button", name="保存草稿"))
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text("已保存为草稿")
    activity = Activity.objects.get(name="键盘录入的邻里节")
    assert activity.status == S.DRAFT and activity.participants == 120
    assert activity.location.name == "邻里文化家园"
    context.close()


def test_staff_verify_an_activity_with_the_keyboard(browser, live_server, scene, cast):
    context = new_context(browser, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    keyboard_sign_in(page, live_server.url, cast.street_staff.username)
    open_menu_link(page, "活动", "待审核")
    tab_to(page, page.get_by_role("link", name="待审核的广场舞展演"))
    page.keyboard.press("Enter")
    tab_to(page, page.get_by_role("button", name="审核通过"))
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text("审核通过")
    scene["waiting"].refresh_from_db()
    assert scene["waiting"].status == S.VERIFIED
    context.close()
