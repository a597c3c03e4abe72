"""Accessibility (GB/T 37668-2019, WCAG 2.1 AA-equivalent) in a real browser: axe-core
(bundled by axe-playwright-python, injected by Playwright, no CDN) on every page of the walk,
for each role, at desktop and phone width — no critical or serious violation. A control shows
axe reports what a broken page would have, so zero is not a blind result."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser_support import sign_in

from .test_scope_matrix import ROLES
from .walk import save_passwords, walk

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 800}}
BLOCKING = ("critical", "serious")
# WCAG 2.1 A and AA rules (what GB/T 37668-2019 follows) and axe's best practices.
OPTIONS = {
    "resultTypes": ["violations"],
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    },
}

axe = Axe()


def blocking(page) -> list[str]:
    found = axe.run(page, options=OPTIONS).response["violations"]
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(n["target"][0] if n["target"] else "?" for n in v["nodes"][:3])
        for v in found
        if v["impact"] in BLOCKING
    ]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("role", ROLES)
def test_every_walked_page_has_no_serious_violation(browser, live_server, world, role, width):
    user = getattr(world.cast, role)
    save_passwords(user)
    failures: list[str] = []
    walked = 0
    pages = walk(browser, live_server, world, user, viewport=WIDTHS[width])
    next(pages)
    for name, path, page in pages:
        walked += 1
        failures += [f"{name} {path}: {v}" for v in blocking(page)]
    assert walked > 30, f"only {walked} pages were walked"
    assert not failures, f"{len(failures)} violation(s) as {role} at {width}:\n" + "\n".join(
        failures[:60]
    )


def test_the_sign_in_page_has_no_serious_violation(browser, live_server):
    from tests.browser_support import new_context

    context = new_context(browser)
    page = context.new_page()
    page.goto(live_server.url + "/login/")
    assert blocking(page) == []
    context.close()


def test_axe_reports_what_a_broken_page_would_have(browser, live_server, world):
    """The control: an unlabelled field and an image without text are reported."""
    save_passwords(world.cast.street_admin)
    context, page = sign_in(browser, live_server, world.cast.street_admin)
    page.evaluate(
        """() => {
        const main = document.querySelector('main');
        main.insertAdjacentHTML('beforeend', '<input type="text" name="x"><img src="/favicon.ico">');
    }"""
    )
    found = " ".join(blocking(page))
    assert "label" in found and "image-alt" in found
    context.close()
