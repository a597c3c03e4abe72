"""The browser walk: every page of the scope matrix (routes.py) a role can open, in Chromium.

Shared by the CSP check (test_csp.py) and the accessibility check (test_accessibility.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from playwright.sync_api import Browser, BrowserContext, Page

from tests.browser_support import sign_in

from .conftest import World
from .routes import urls

# Parts of pages fetched by a page's script, not pages of their own.
FRAGMENTS = frozenset({"search:suggest"})


def save_passwords(*users: Any) -> None:
    for user in users:
        user.save(update_fields=["password"])  # UserFactory does not save the hash


def is_page(context: BrowserContext, url: str) -> bool:
    response = context.request.get(url)
    return response.status == 200 and "text/html" in response.headers.get("content-type", "")


def walk(
    browser: Browser, live_server: Any, world: World, user: Any, **context_options: Any
) -> Iterator[tuple[str, str, Page]]:
    """(URL name, path, page loaded) for every HTML page `user` may open with the records
    of 甲一; files, POST-only actions and pages out of the role's scope are skipped."""
    context, page = sign_in(browser, live_server, user, **context_options)
    yield "", "", page  # the caller may watch the page before the walk starts
    try:
        for name, _fill, path in urls(world, world["a1"]):
            if name == "logout" or name in FRAGMENTS:
                continue
            url = live_server.url + path
            if not is_page(context, url):
                continue
            page.goto(url)
            page.wait_for_load_state("load")
            yield name, path, page
    finally:
        context.close()
