"""The dashboard in a real browser (Debian's Chromium through Playwright), at 1280 and 375 px.

Street staff open the street view, sort the table and drill into a community; a cadre lands
on their own community. On a phone the page itself never scrolls sideways: wide tables
scroll inside their container and the SVG charts shrink to the screen. Screenshots go to
test-artifacts/ for a human to look at.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser_support import screenshot, sign_in

from .conftest import add_communities, populate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

QUERY = "?year=2014&as_of=2014-07-02"


@pytest.fixture
def scene(cast):
    for user in (cast.street_staff, cast.cadre_a1):
        user.save(update_fields=["password"])  # UserFactory does not save the hash
    populate(cast.a1, 0)
    populate(cast.a2, 1)
    add_communities(cast.street_a, 2, 6)
    return cast


def open_as(browser: Browser, live_server, user, width: int) -> Page:
    _context, page = sign_in(
        browser, live_server, user, timeout_ms=15_000, viewport={"width": width, "height": 900}
    )
    return page


def shot(page: Page, name: str) -> None:
    screenshot(page, name)


def fits_the_screen(page: Page, width: int) -> None:
    """Nothing makes the page wider than the screen; charts are no wider than their box."""
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    boxes = page.evaluate(
        """[...document.querySelectorAll('.chart')].map(f => {
             const s = f.querySelector('svg').getBoundingClientRect();
             return [s.width, f.getBoundingClientRect().width];
           })"""
    )
    assert boxes and all(svg <= box + 0.5 for svg, box in boxes)


@pytest.mark.parametrize("width", [1280, 375])
def test_street_view(browser, live_server, scene, width):
    page = open_as(browser, live_server, scene.street_staff, width)
    page.goto(f"{live_server.url}/dashboard/{QUERY}")
    expect(page.get_by_role("heading", name="甲街道 · 2014年工作看板")).to_be_visible()
    expect(page.locator(".target").first).to_contain_text("建有200㎡以上文化活动室的社区")
    assert page.locator(".target").count() >= 9
    expect(page.locator("#dash-table tbody tr")).to_have_count(8)
    fits_the_screen(page, width)
    if width == 375:
        # The wide table scrolls inside its own box.
        assert page.evaluate(
            "(() => { const c = document.querySelector('#dash-table').parentElement;"
            " return c.scrollWidth > c.clientWidth; })()"
        )
    shot(page, f"dashboard-street-{width}")

    page.locator("#dash-table thead").get_by_role("link", name="总分").click()
    expect(page).to_have_url(re.compile(r"sort=-total"))
    totals = [
        float(t) for t in page.locator("#dash-table tbody tr td:nth-child(3)").all_inner_texts()
    ]
    assert totals == sorted(totals, reverse=True)

    page.locator("#dash-table tbody").get_by_role("link", name="甲二社区").click()
    expect(page.get_by_role("heading", name="甲二社区 · 2014年工作看板")).to_be_visible()
    expect(page.get_by_role("link", name="返回甲街道看板")).to_be_visible()
    page.context.close()


@pytest.mark.parametrize("width", [1280, 375])
def test_community_view_for_a_cadre(browser, live_server, scene, width):
    page = open_as(browser, live_server, scene.cadre_a1, width)
    page.goto(f"{live_server.url}/dashboard/{QUERY}")
    expect(page).to_have_url(re.compile(rf"/dashboard/communities/{scene.a1.pk}/"))
    expect(page.get_by_role("heading", name="甲一社区 · 2014年工作看板")).to_be_visible()
    expect(page.get_by_text("距满分还差")).to_be_visible()
    expect(page.locator(".pace-table").get_by_text("每月还需").first).to_be_visible()
    expect(page.locator(".alerts summary").first).to_be_visible()
    assert page.locator("#dash-table").count() == 0  # no street table for a cadre
    fits_the_screen(page, width)
    shot(page, f"dashboard-community-{width}")
    # Another community of the same street is not the cadre's: the house's 404 page.
    response = page.goto(f"{live_server.url}/dashboard/communities/{scene.a2.pk}/")
    assert response is not None and response.status == 404
    expect(page).to_have_title("页面不存在 · 社区文体工作平台")
    expect(page.get_by_text("没有找到该页面或记录")).to_be_visible()
    page.context.close()
