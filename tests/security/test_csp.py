"""The Content-Security-Policy in a real browser (Debian's Chromium through Playwright).

Every page of the scope matrix (tests/security/routes.py, filled from Django's resolver) is
opened by each role with the policy enforced; any violation, seen as a
`securitypolicyviolation` event or as Chromium's console report, fails the walk. A control
shows the listener sees what an inline script, handler or style would cause, so zero
violations is not a blind check.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser_support import sign_in

from .test_scope_matrix import ROLES
from .walk import save_passwords, walk

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Runs in each document before any of the page's own scripts (Playwright's init scripts are
# not subject to the page's policy).
LISTENER = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.effectiveDirective + " blocked " + (e.blockedURI || "inline")
                    + " at " + e.sourceFile + ":" + e.lineNumber + " " + e.sample);
});
"""
CSP_CONSOLE = re.compile(r"Content Security Policy|Content-Security-Policy", re.I)


def _watched(context: BrowserContext) -> tuple[Page, list[str]]:
    context.add_init_script(LISTENER)
    page = context.pages[0]
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if CSP_CONSOLE.search(m.text) else None)
    return page, console


def _violations(page: Page, console: list[str]) -> list[str]:
    found = page.evaluate("window.__csp || []") + list(console)
    console.clear()
    return found


def test_the_policy_is_strict(world, client):
    from .conftest import sign_in as client_sign_in

    client_sign_in(client, world.cast.street_admin)
    policy = client.get("/")["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";") if d.strip())
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    # The anonymous sign-in page carries it too.
    client.logout()
    assert client.get("/login/")["Content-Security-Policy"] == policy


def test_every_page_as_every_role_has_no_violation(browser, live_server, world):
    users = {role: getattr(world.cast, role) for role in ROLES}
    save_passwords(*users.values())
    failures: list[str] = []
    walked = 0
    for role, user in users.items():
        pages = walk(browser, live_server, world, user)
        _, _, first = next(pages)
        page, console = _watched(first.context)
        for name, path, _page in pages:
            walked += 1
            failures += [f"{role} {name} {path}: {v}" for v in _violations(page, console)]
    assert walked > 150, f"only {walked} pages were walked"
    assert not failures, f"{len(failures)} CSP violation(s):\n" + "\n".join(failures[:40])


def test_the_listener_sees_inline_script_handler_and_style(browser, live_server, world):
    """The control: markup a template might still carry is refused and reported."""
    save_passwords(world.cast.street_admin)
    context, page = sign_in(browser, live_server, world.cast.street_admin)
    page, console = _watched(context)
    page.goto(live_server.url + "/")
    assert _violations(page, console) == []
    page.evaluate(
        """() => {
        const box = document.createElement("div");
        box.innerHTML = '<p style="color:red">x</p><img src="/static/css/portal.css" onerror="window.hit=1">';
        document.body.append(box);
        const s = document.createElement("script");
        s.textContent = "window.hit = 2";
        document.body.append(s);
    }"""
    )
    page.wait_for_timeout(300)
    seen = _violations(page, console)
    directives = {v.split(" ", 1)[0] for v in seen}
    assert {"style-src-attr", "script-src-attr", "script-src-elem"} <= directives, seen
    assert page.evaluate("window.hit") is None
    context.close()


def test_confirmations_work_without_inline_handlers(browser, live_server, world):
    """portal.js asks before a delete: dismissing sends nothing, accepting sends the form."""
    admin = world.cast.street_admin
    save_passwords(admin)
    indicator = world["a1"].objects["indicator"]
    context, page = sign_in(browser, live_server, admin)
    page, console = _watched(context)
    page.goto(live_server.url + reverse("assessments:scheme", args=[indicator.scheme_id]))
    posts: list[str] = []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)
    asked: list[str] = []

    def dismiss(dialog: Any) -> None:
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    page.get_by_role("button", name="删除").click()
    page.wait_for_timeout(300)
    assert asked == ["删除该指标？"]
    assert posts == []
    expect(page.locator(".messages")).to_have_count(0)

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="删除").click()
    expect(page.locator(".messages")).to_be_visible()
    assert posts == [live_server.url + reverse("assessments:indicator_delete", args=[indicator.pk])]
    assert _violations(page, console) == []
    context.close()
