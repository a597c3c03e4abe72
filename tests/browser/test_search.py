"""Search as you type in a real browser: suggestions under the top bar's box, keyboard to
a result, Enter for the full page (no inline script: the page's CSP stays strict)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests import factories as f
from tests.browser_support import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def cadre(cast):
    cast.cadre_a1.save(update_fields=["password"])  # UserFactory does not save the hash
    team = f.TeamFactory(community=cast.a1, name="夕阳红舞蹈队")
    f.TeamMemberFactory(team=team, person=f.PersonFactory(street=cast.street_a, name="王夕阳"))
    f.FacilityFactory(community=cast.a1, name="夕阳红活动室")
    f.TeamFactory(community=cast.a2, name="夕阳红合唱团")  # another community's
    return cast.cadre_a1


@pytest.mark.parametrize(
    "viewport", [{"width": 1280, "height": 800}, {"width": 375, "height": 800}]
)
def test_suggestions_as_you_type_and_keyboard_to_a_result(browser, live_server, cadre, viewport):
    context, page = sign_in(browser, live_server, cadre, viewport=viewport)
    box = page.get_by_role("combobox", name="搜索社区、团队、人员、设施、活动")
    box.press_sequentially("夕阳", delay=50)
    suggest = page.locator("#search-suggest")
    expect(suggest).to_be_visible()
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(suggest.locator("h2")).to_have_text(["团队", "人员", "设施"])
    expect(suggest).not_to_contain_text("夕阳红合唱团")
    screenshot(page, f"search-suggest-{viewport['width']}")
    box.press("ArrowDown")
    expect(suggest.get_by_role("link", name="夕阳红舞蹈队 甲一社区")).to_be_focused()
    page.keyboard.press("Escape")
    expect(suggest).to_be_hidden()
    expect(box).to_be_focused()
    box.press("Enter")
    expect(page).to_have_url(live_server.url + reverse("search:index") + "?q=%E5%A4%95%E9%98%B3")
    expect(page.get_by_role("heading", level=2)).to_have_text(["团队", "人员", "设施"])
    page.get_by_role("link", name="王夕阳").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("王夕阳")
    context.close()
