"""A cadre submits a month, the street approves it, the cadre meets the lock message.

Screenshots at desktop and phone width go to test-artifacts/ for a human to look at.
"""

from __future__ import annotations

import datetime as dt

import pytest
from playwright.sync_api import expect

from activities.models import Activity
from tests.browser_support import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 390, "height": 844}}


def test_submit_approve_and_the_lock(cast, browser, live_server):
    for user in (cast.cadre_a1, cast.street_staff):
        user.save(update_fields=["password"])  # UserFactory does not save the hash
    activity = Activity.objects.create(
        community=cast.a1,
        name="三月社区合唱",
        date=dt.date(2025, 3, 9),
        category="文化",
        status="draft",
        created_by=cast.cadre_a1,
    )
    # The cadre opens the board on a phone and submits March 2025.
    context, page = sign_in(browser, live_server, cast.cadre_a1, **PHONE)
    page.goto(f"{live_server.url}/yearcycle/?year=2025")
    expect(page.get_by_role("heading", name="报送情况：甲街道 2025年")).to_be_visible()
    screenshot(page, "yearcycle-board-cadre-phone")
    page.locator("tr", has_text="甲一社区").get_by_role("link", name="未报送").nth(2).click()
    expect(page.get_by_text("有1项活动仍为草稿或已退回")).to_be_visible()
    page.get_by_role("button", name="确认报送2025年3月").click()
    expect(page.get_by_text("甲一社区2025年3月已报送，等待街道审核。")).to_be_visible()
    context.close()

    # Street staff: the inbox shows the submission; approve it.
    context, page = sign_in(browser, live_server, cast.street_staff)
    page.goto(f"{live_server.url}/inbox/")
    page.get_by_role("button", name="甲一社区2025年3月已报送，待审核").click()
    page.get_by_role("button", name="审核通过并锁定").click()
    expect(page.get_by_text("已审核通过，该期间已锁定")).to_be_visible()
    page.goto(f"{live_server.url}/yearcycle/?year=2025")
    expect(
        page.locator("tr", has_text="甲一社区").get_by_role("link", name="已审核")
    ).to_be_visible()
    screenshot(page, "yearcycle-board-street-desktop")
    context.close()

    # The cadre can no longer edit the March activity and is told who approved it.
    context, page = sign_in(browser, live_server, cast.cadre_a1, **PHONE)
    page.goto(f"{live_server.url}/activities/{activity.pk}/edit/")
    expect(page.get_by_text("2025年3月已由jia_staff于")).to_be_visible()
    expect(page.get_by_text("请联系街道管理员解锁")).to_be_visible()
    screenshot(page, "yearcycle-lock-message-phone")
    context.close()
