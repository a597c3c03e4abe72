"""The top bar's search: grouped by kind, by name or 人员编号, as-you-type fragment and a
full page, and a fixed number of queries whatever the street's size."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories as f

INDEX = reverse("search:index")
SUGGEST = reverse("search:suggest")


@pytest.fixture
def street(cast):
    team = f.TeamFactory(community=cast.a1, name="夕阳红舞蹈队")
    f.TeamMemberFactory(
        team=team, person=f.PersonFactory(street=cast.street_a, code="P2026", name="王夕阳")
    )
    f.FacilityFactory(community=cast.a1, name="夕阳红活动室")
    f.ActivityFactory(community=cast.a1, name="夕阳红广场舞展演")
    return cast


def kinds_of(html: str) -> list[str]:
    return re.findall(r'<h2 id="sk-[ps]-\w+">(.+?)</h2>', html)


def test_one_box_finds_every_kind_grouped(client, street):
    client.force_login(street.street_staff)
    page = client.get(INDEX, {"q": "夕阳"}).content.decode()
    assert kinds_of(page) == ["团队", "人员", "设施", "活动"]
    assert "夕阳红舞蹈队" in page and "王夕阳" in page and "夕阳红活动室" in page
    assert "夕阳红广场舞展演" in page
    assert 'role="search"' in page  # the box in the top bar


def test_a_person_is_found_by_code_and_a_community_by_name(client, street):
    client.force_login(street.street_staff)
    page = client.get(INDEX, {"q": "p2026"}).content.decode()
    assert kinds_of(page) == ["人员"] and "王夕阳" in page and "人员编号 P2026" in page
    page = client.get(INDEX, {"q": "甲一"}).content.decode()
    assert kinds_of(page) == ["社区"]
    assert f'href="{reverse("dashboard:community", args=[street.a1.pk])}"' in page


def test_suggestions_are_a_fragment_with_a_link_to_all_results(client, street):
    client.force_login(street.cadre_a1)
    response = client.get(SUGGEST, {"q": "夕阳"})
    html = response.content.decode()
    assert "<html" not in html and "<body" not in html
    assert kinds_of(html) == ["团队", "人员", "设施", "活动"]
    assert f'href="{INDEX}?q=%E5%A4%95%E9%98%B3"' in html
    assert response["Cache-Control"] == "private, no-store"
    assert client.get(SUGGEST, {"q": "   "}).content.decode().strip() == ""
    assert "没有找到" in client.get(SUGGEST, {"q": "不存在的名字"}).content.decode()


def test_more_matches_than_shown_link_to_the_filtered_list(client, cast):
    for n in range(7):
        f.TeamFactory(community=cast.a1, name=f"合唱团{n}")
    client.force_login(cast.street_staff)
    html = client.get(SUGGEST, {"q": "合唱团"}).content.decode()
    assert html.count('class="hit-label"') == 5
    assert f'href="{reverse("teams:list")}?q=%E5%90%88%E5%94%B1%E5%9B%A2"' in html
    page = client.get(INDEX, {"q": "合唱团"}).content.decode()
    assert page.count('class="hit-label"') == 7 and "在团队列表中查看全部" not in page


def test_markup_typed_as_a_query_is_shown_as_text(client, cast):
    client.force_login(cast.street_staff)
    page = client.get(INDEX, {"q": "<script>x()</script>"}).content.decode()
    assert "<script>x()" not in page and "&lt;script&gt;x()" in page


def test_search_needs_a_signed_in_user_and_only_reads(client, street):
    assert client.get(INDEX, {"q": "夕阳"})["Location"].startswith(reverse("login"))
    client.force_login(street.street_staff)
    assert client.post(INDEX, {"q": "夕阳"}).status_code == 405


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, {"q": "队"}).status_code == 200
    return len(ctx.captured_queries)


def test_the_same_queries_for_a_small_and_a_large_street(client, cast):
    def grow(start, n):
        for i in range(start, start + n):
            team = f.TeamFactory(community=cast.a1 if i % 2 else cast.a2, name=f"舞蹈队{i}")
            f.TeamMemberFactory(
                team=team, person=f.PersonFactory(street=cast.street_a, name=f"队员{i}")
            )
            f.FacilityFactory(community=team.community, name=f"队部{i}")
            f.ActivityFactory(community=team.community, name=f"队列展演{i}")

    client.force_login(cast.street_staff)
    grow(0, 2)
    small = (_queries(client, INDEX), _queries(client, SUGGEST))
    grow(2, 40)
    large = (_queries(client, INDEX), _queries(client, SUGGEST))
    assert small == large
    client.force_login(cast.cadre_a1)
    assert _queries(client, SUGGEST) == _queries(client, SUGGEST)
