"""What every browser test shares: Debian's Chromium through Playwright, signing in, screenshots.

Never `playwright install`: the browser is /usr/bin/chromium from Debian (scripts/bootstrap.sh).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from django.conf import settings
from playwright.sync_api import Browser, BrowserContext, Page, expect

CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags Chromium keeps dialling Google on a closed network.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--lang=zh-CN",
]
# Users' browsers: Chinese, in China's time zone, so dates and pickers look as they see them.
# The date picker follows the browser process's language (LANGUAGE, with Debian's
# chromium-l10n installed by scripts/bootstrap.sh): 2026/12/04, not 12/04/2026. LANG stays a
# UTF-8 locale every machine has (C.UTF-8): a missing zh_CN locale would break file names.
CHROMIUM_ENV = {**os.environ, "LANG": "C.UTF-8", "LANGUAGE": "zh_CN"}
LOCALE = "zh-CN"
TIMEZONE = "Asia/Shanghai"
PASSWORD = "pass-1234-word"
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"


def new_context(browser: Browser, **options) -> BrowserContext:
    """A browser context as a user's: zh-CN, Asia/Shanghai (options may add a viewport)."""
    return browser.new_context(locale=LOCALE, timezone_id=TIMEZONE, **options)


def sign_in(
    browser: Browser, live_server, user, *, timeout_ms: int = 10_000, **context_options
) -> tuple[BrowserContext, Page]:
    """A fresh context in which `user` has signed in through the real login page."""
    context = new_context(browser, **context_options)
    context.set_default_timeout(timeout_ms)
    page = context.new_page()
    page.goto(f"{live_server.url}/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="登录").click()
    expect(page).not_to_have_url(re.compile(r"/login/"))
    return context, page


def screenshot(page: Page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
