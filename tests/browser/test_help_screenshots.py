"""Screenshots for the 使用说明 pages: each role's five tasks, taken in Chromium (zh-CN) at
desktop width on a small street and stored under static/help/ where the help page shows them.

Run this test again after a page changes its look; commit the new images.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from playwright.sync_api import expect

from activities.models import ActivityStatus as S
from communities.models import Role
from home import guide
from tests import factories as f
from tests.browser_support import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HELP_DIR = Path(settings.BASE_DIR) / "static"
ROLE_USERS = {
    Role.COMMUNITY_ADMIN: "cadre_a1",
    Role.STREET_STAFF: "street_staff",
    Role.STREET_ADMIN: "street_admin",
    Role.LEADER: "leader",
    Role.DISTRICT_ADMIN: "district_admin",
    Role.DISTRICT_VIEWER: "district_viewer",
}


@pytest.fixture
def street(cast):
    today = dt.date.today()
    for user in (*cast.users().values(), cast.district_admin, cast.district_viewer):
        user.save(update_fields=["password"])  # UserFactory does not save the hash
    for community, prefix in ((cast.a1, "甲一"), (cast.a2, "甲二")):
        f.PopulationFactory(community=community, year=today.year - 1, residents=6200)
        hall = f.FacilityFactory(community=community, name=f"{prefix}邻里文化家园")
        f.FacilityFactory(community=community, name=f"{prefix}健身广场")
        team = f.TeamFactory(community=community, name=f"{prefix}夕阳红舞蹈队")
        for n in range(4):
            f.TeamMemberFactory(
                team=team, person=f.PersonFactory(street=cast.street_a, name=f"{prefix}队员{n}")
            )
        f.VolunteerFactory(
            community=community,
            person=f.PersonFactory(street=cast.street_a, name=f"{prefix}志愿者"),
        )
        for n, status in enumerate((S.VERIFIED, S.VERIFIED, S.PENDING, S.RETURNED, S.DRAFT)):
            f.ActivityFactory(
                community=community,
                name=f"{prefix}{['广场舞展演', '乒乓球赛', '邻里节', '书法展', '健步走'][n]}",
                date=today - dt.timedelta(days=7 * n + 3),
                status=status,
                location=hall,
            )
    return cast


def test_every_tasks_page_is_photographed(browser, live_server, street):
    (HELP_DIR / "help").mkdir(exist_ok=True)
    taken = 0
    for role, who in ROLE_USERS.items():
        context, page = sign_in(
            browser, live_server, getattr(street, who), viewport={"width": 1280, "height": 800}
        )
        for n, task in enumerate(guide.guide_for(role), start=1):
            url = reverse(task.url_name) + (f"?{task.query}" if task.query else "")
            if task.url_name == "search:index":
                url += "?q=夕阳红"
            response = page.goto(live_server.url + url)
            assert response is not None and response.ok, f"{role} {task.title}: {url}"
            page.wait_for_load_state("networkidle")
            path = HELP_DIR / task.screenshot(role, n)
            page.screenshot(path=str(path), type="jpeg", quality=70)
            assert path.stat().st_size > 10_000
            taken += 1
        # The help page now shows the five screenshots of this role.
        page.goto(live_server.url + reverse("help"))
        expect(page.locator(".help-shot img")).to_have_count(5)
        page.wait_for_function(
            "[...document.querySelectorAll('.help-shot img')]"
            ".every(i => i.complete && i.naturalWidth === 1280)"
        )
        screenshot(page, f"help-{role}")
        context.close()
    assert taken == 30
