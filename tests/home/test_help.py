"""使用说明: five tasks per role, linked from the top bar, with the screenshots the browser
test took; and the help texts that explain 五有 and 文化走亲 on the activity form."""

from __future__ import annotations

import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from communities.models import Role
from home import guide

ROLE_USERS = {
    Role.COMMUNITY_ADMIN: "cadre_a1",
    Role.STREET_STAFF: "street_staff",
    Role.STREET_ADMIN: "street_admin",
    Role.LEADER: "leader",
    Role.DISTRICT_ADMIN: "district_admin",
    Role.DISTRICT_VIEWER: "district_viewer",
}


def test_every_role_has_five_tasks_on_real_pages_with_a_screenshot():
    assert set(guide.GUIDES) == set(Role.values)
    for role, tasks in guide.GUIDES.items():
        assert len(tasks) == 5, role
        for n, task in enumerate(tasks, start=1):
            assert reverse(task.url_name)
            assert 1 <= len(task.steps) <= 5
            assert finders.find(task.screenshot(role, n)), (
                f"no screenshot {task.screenshot(role, n)}"
            )


def test_a_superuser_and_an_unknown_role_read_a_guide():
    assert guide.role_for_user(Role.LEADER, False) == Role.LEADER
    assert guide.role_for_user(None, True) == Role.STREET_ADMIN
    assert guide.role_for_user(None, False) == Role.COMMUNITY_ADMIN


@pytest.mark.parametrize("role", ROLE_USERS)
def test_the_top_bar_leads_each_role_to_its_own_guide(client, cast, role):
    client.force_login(getattr(cast, ROLE_USERS[role]))
    home = client.get(reverse("home")).content.decode()
    assert f'<a class="help-link" href="{reverse("help")}">使用说明</a>' in home
    page = client.get(reverse("help")).content.decode()
    assert f"使用说明 · {guide.ROLE_LABELS[role]}" in page
    titles = re.findall(r'<h2 id="task-\d-h">\d\. (.+?)</h2>', page)
    assert titles == [t.title for t in guide.guide_for(role)]
    assert page.count('<figure class="help-shot">') == 5
    assert page.count("去办理：") == 5
    for t in guide.guide_for(role):
        assert f'href="{reverse(t.url_name)}' in page


def test_another_roles_guide_and_an_unknown_one(client, cast):
    client.force_login(cast.cadre_a1)
    page = client.get(reverse("help_role", args=[Role.STREET_STAFF])).content.decode()
    assert "使用说明 · 街道工作人员" in page and "审核社区提交的活动" in page
    assert client.get(reverse("help_role", args=["mayor"])).status_code == 404


def test_the_activity_form_explains_five_items_and_cultural_visits(client, cast):
    client.force_login(cast.cadre_a1)
    page = client.get(reverse("activities:create")).content.decode()
    assert "“五有”指一项活动的五类档案：计划" in page
    assert "文化走亲：与同一街道的其他社区互访" in page
    checkbox = re.search(r'<input type="checkbox" name="is_exchange"[^>]*>', page).group(0)
    assert 'aria-describedby="id_is_exchange_helptext"' in checkbox
    assert 'id="id_is_exchange_helptext"' in page
