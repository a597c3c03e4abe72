"""A street admin sets up two-factor sign-in in Debian's Chromium (desktop and phone), then
reads the security log."""

from __future__ import annotations

import re

import pytest
from django.test import override_settings
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from tests.browser_support import screenshot, sign_in

from .conftest import REQUIRED, code_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1280, 375])
@override_settings(OTP_REQUIRED_ROLES=REQUIRED)
def test_street_admin_enrols_and_reads_the_log(browser, live_server, cast, width):
    context, page = sign_in(
        browser, live_server, cast.street_admin, viewport={"width": width, "height": 900}
    )
    expect(page).to_have_url(re.compile(r"/account/2fa/setup/"))
    expect(page.locator(".qr svg")).to_be_visible()
    screenshot(page, f"otp-setup-{width}")
    device = TOTPDevice.objects.get(user=cast.street_admin, confirmed=False)
    page.fill("input[name=token]", code_of(device))
    page.get_by_role("button", name="启用").click()
    expect(page.get_by_text("备用验证码（只显示这一次）")).to_be_visible()
    expect(page.locator("ol.codes li")).to_have_count(10)
    screenshot(page, f"otp-backup-codes-{width}")
    page.get_by_role("link", name="我已保存，继续").click()
    page.goto(live_server.url + "/account/security-log/")
    expect(page.get_by_role("heading", name="安全日志")).to_be_visible()
    expect(page.locator("table").get_by_text("启用双因素").first).to_be_visible()
    screenshot(page, f"security-log-{width}")
    page.goto(live_server.url + "/account/users/")
    expect(page.get_by_text("jia_staff")).to_be_visible()
    screenshot(page, f"accounts-{width}")
    context.close()
