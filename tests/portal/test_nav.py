"""The main menu (portal/nav.py, entries in config/nav.py): real URL names, grouped by work
area, each role seeing what it may use, the current page marked, breadcrumbs below it."""

from __future__ import annotations

import re

import pytest
from django.test import override_settings
from django.urls import NoReverseMatch, reverse

from portal import nav
from tests.factories import FacilityFactory

EVERYONE = {
    "台账": ["设施", "提升工程", "团队", "人员", "志愿者", "志愿服务", "指导员", "干部"],
    "活动": ["活动", "品牌", "配送", "报送"],
    "考核": ["考核", "整改"],
    "报表": ["看板", "报表"],
}
STREET = {
    **EVERYONE,
    "活动": ["活动", "品牌", "配送", "照片核查", "报送"],
    "考核": ["考核", "考核方案", "整改"],
}
VERIFIER = {**STREET, "活动": ["活动", "待审核", "品牌", "配送", "照片核查", "报送"]}
EXPECTED = {
    "cadre_a1": EVERYONE,
    "leader": STREET,
    "street_staff": VERIFIER,
    "street_admin": {**VERIFIER, "管理": ["账号", "安全日志", "校验规则", "保存期限"]},
}


def _seen(groups: list[nav.Group]) -> dict[str, list[str]]:
    return {g.label: [link.label for link in g.links] for g in groups}


def test_every_entry_names_a_real_url():
    assert len(nav.entries()) >= 15
    for entry in nav.entries():
        assert reverse(entry.url_name).startswith("/"), entry


def test_a_wrong_url_name_fails_instead_of_hiding_the_link(cast):
    nav.entries.cache_clear()
    try:
        with override_settings(PORTAL_NAV="tests.portal.wrong_nav.ENTRIES"):
            with pytest.raises(NoReverseMatch):
                nav.menu_for(cast.cadre_a1, "/")
    finally:
        nav.entries.cache_clear()


def test_an_entry_in_no_work_area_is_refused():
    with pytest.raises(ValueError, match="分组"):
        nav.Entry("杂项", "设施", "facilities:list")


@pytest.mark.parametrize("role", EXPECTED)
def test_each_role_sees_only_what_it_may_use(cast, role):
    assert _seen(nav.menu_for(getattr(cast, role), "/")) == EXPECTED[role]


def test_a_superuser_who_is_staff_also_sees_the_admin(cast):
    user = cast.nobody
    user.is_superuser = user.is_staff = True
    assert _seen(nav.menu_for(user, "/"))["管理"] == [
        "账号",
        "安全日志",
        "校验规则",
        "保存期限",
        "管理后台",
    ]


def test_nobody_signed_in_sees_no_menu(cast):
    from django.contrib.auth.models import AnonymousUser

    assert nav.menu_for(AnonymousUser(), "/") == []


@pytest.mark.parametrize("role", EXPECTED)
def test_every_link_a_role_sees_opens_for_it(client, cast, role):
    """A link shown is a link that works: no 403 or 404 behind a menu entry."""
    client.force_login(getattr(cast, role))
    for group in nav.menu_for(getattr(cast, role), "/"):
        for link in group.links:
            response = client.get(link.url)
            assert response.status_code in (200, 302), f"{role} {link.label} {link.url}"
            if response.status_code == 302:
                assert not response["Location"].startswith(reverse("login"))


def test_the_current_page_is_the_deepest_menu_url_above_it():
    urls = ["/", "/facilities/", "/facilities/projects/", "/teams/"]
    assert nav.current_url(urls, "/facilities/projects/3/") == "/facilities/projects/"
    assert nav.current_url(urls, "/facilities/3/") == "/facilities/"
    assert nav.current_url(urls, "/") == "/"
    assert nav.current_url(urls, "/teams-of-others/") == ""
    assert nav.current_url(urls, "/account/") == ""


def test_the_page_marks_its_menu_entry_and_group(client, cast):
    client.force_login(cast.street_staff)
    page = client.get(reverse("facilities:project_list")).content.decode()
    current = re.findall(r'<a href="([^"]+)" class="current" aria-current="page">', page)
    assert current == [reverse("facilities:project_list")]
    assert re.search(r'<details class="menu-group current">\s*<summary>台账</summary>', page)
    assert page.count('<details class="menu-group current">') == 1
    assert 'class="breadcrumbs"' not in page  # a menu page is marked in the menu


def test_a_detail_page_has_breadcrumbs_to_its_list(client, cast):
    facility = FacilityFactory(community=cast.a1, name="甲一文体中心")
    client.force_login(cast.cadre_a1)
    page = client.get(reverse("facilities:detail", args=[facility.pk])).content.decode()
    trail = re.search(r'<nav class="breadcrumbs" aria-label="位置">(.*?)</nav>', page).group(1)
    assert re.sub(r"<[^>]+>|›", " ", trail).split() == ["首页", "台账", "设施"]
    assert f'<a href="{reverse("facilities:list")}">设施</a>' in trail
    assert 'aria-current="page"' not in trail
