"""A cadre on a phone (375 px) keeps a team's 花名册 in Debian's Chromium."""

from __future__ import annotations

import pytest
from django.conf import settings
from playwright.sync_api import expect

from teams.models import TeamMember
from tests import factories as f
from tests.browser_support import new_context
from tests.facilities.conftest import MODEL_BACKEND

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_cadre_adds_and_removes_a_roster_member_on_a_phone(browser, live_server, client, cast):
    team = f.TeamFactory(community=cast.a1, name="甲一太极队")
    f.TeamFactory(community=cast.a2, name="甲二合唱团")
    cast.cadre_a1.save(update_fields=["password"])
    client.force_login(cast.cadre_a1, backend=MODEL_BACKEND)
    context = new_context(browser, viewport={"width": 375, "height": 800})
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    page.goto(live_server.url + "/facilities/")

    # The menu is folded on a phone and opens without JavaScript.
    menu_link = page.get_by_role("link", name="团队", exact=True)
    expect(menu_link).to_be_hidden()
    page.get_by_text("菜单").click()
    page.locator("summary", has_text="台账").click()  # the work area, then its page
    menu_link.click()

    expect(page.get_by_text("甲二合唱团")).to_have_count(0)
    page.get_by_role("link", name="甲一太极队").click()
    page.fill("#id_m-person_code", "T001")
    page.click("form[action='#roster'] button[type=submit]")
    expect(page.locator(".errors")).to_contain_text("尚未登记，请填写姓名以新建人员")
    page.fill("#id_m-person_name", "王大妈")
    page.fill("#id_m-person_phone", "13912345678")
    page.click("form[action='#roster'] button[type=submit]")
    expect(page.locator(".msg-success")).to_contain_text("已将 王大妈（T001）加入花名册。")
    expect(page.locator("#roster + .table-container")).to_contain_text("139****5678")
    assert TeamMember.objects.filter(team=team, person__code="T001").exists()

    # The table scrolls inside its box instead of widening the page.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.get_by_role("button", name="移出").click()
    expect(page.locator(".msg-success")).to_contain_text("已将 王大妈 移出花名册。")
    assert not TeamMember.objects.filter(team=team).exists()
    context.close()
