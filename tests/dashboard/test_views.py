"""The dashboard pages: who sees what, parameters, sorting and a bounded number of queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from activities.models import ActivityStatus
from tests import factories as f

from .conftest import Y, add_communities, populate

INDEX = reverse("dashboard:index")


def community_url(community, query: str = "") -> str:
    return reverse("dashboard:community", args=[community.pk]) + query


@pytest.fixture
def scene(cast):
    populate(cast.a1, 0)
    populate(cast.a2, 1)
    populate(cast.b1, 2)
    return cast


@pytest.mark.parametrize("who", ["street_admin", "street_staff", "leader"])
def test_street_users_see_their_street(client, scene, who):
    client.force_login(getattr(scene, who))
    response = client.get(INDEX, {"year": Y, "as_of": "2014-07-02"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "甲街道 · 2014年工作看板" in page
    assert "截至 2014-07-02" in page and "已过 50.14%" in page
    assert "建有200㎡以上文化活动室的社区" in page and "四(一)1" in page
    assert "甲一社区" in page and "甲二社区" in page
    assert "乙一社区" not in page  # another street
    assert 'data-chart="by_month"' in page and "<svg" in page
    assert community_url(scene.a1, "?year=2014&amp;as_of=2014-07-02") in page


def test_cadre_is_sent_to_their_community(client, scene):
    client.force_login(scene.cadre_a1)
    response = client.get(INDEX, {"year": Y, "sort": "-total"})
    assert response.status_code == 302
    assert response["Location"] == community_url(scene.a1, f"?year={Y}")
    page = client.get(response["Location"]).content.decode()
    assert "甲一社区 · 2014年工作看板" in page
    assert "甲二社区" not in page
    assert "返回" not in page  # no way up to the street view


def test_cadre_cannot_open_another_community(client, scene):
    client.force_login(scene.cadre_a1)
    assert client.get(community_url(scene.a2)).status_code == 404
    assert client.get(community_url(scene.b1)).status_code == 404


def test_street_users_cannot_leave_their_street(client, scene):
    client.force_login(scene.street_staff)
    assert client.get(community_url(scene.b1)).status_code == 404
    assert client.get(INDEX, {"street": scene.street_b.pk}).status_code == 404
    assert client.get(INDEX, {"street": "x"}).status_code == 404
    drill = client.get(community_url(scene.a2, f"?year={Y}"))
    assert drill.status_code == 200
    assert f'href="{INDEX}?year={Y}"' in drill.content.decode()


def test_no_role_sees_nothing(client, scene):
    client.force_login(scene.nobody)
    assert client.get(INDEX).status_code == 404
    assert client.get(community_url(scene.a1)).status_code == 404
    client.logout()
    assert client.get(INDEX).status_code == 302  # to the login page


def test_superuser_picks_a_street(client, scene):
    root = f.UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(root)
    picker = client.get(INDEX)
    assert picker.status_code == 200
    assert "请选择街道" in picker.content.decode()
    page = client.get(INDEX, {"street": scene.street_b.pk, "year": Y}).content.decode()
    assert "乙街道 · 2014年工作看板" in page
    assert f'name="street" value="{scene.street_b.pk}"' in page


def test_bad_parameters_fall_back_with_a_message(client, scene):
    client.force_login(scene.street_staff)
    page = client.get(INDEX, {"year": "abc", "as_of": "2014-13-01"}).content.decode()
    assert "年度“abc”无效" in page
    assert "截至日期“2014-13-01”格式应为 YYYY-MM-DD" in page
    # The default year is the latest with activities (the scene's 2014), seen at year end.
    assert "截至 2014-12-31（全年）" in page
    page = client.get(INDEX, {"year": Y, "as_of": "2015-01-01"}).content.decode()
    assert "截至日期 2015-01-01 不在 2014 年内" in page


def test_sortable_table(client, scene):
    add_communities(scene.street_a, 10, 2)
    client.force_login(scene.street_staff)
    page = client.get(INDEX, {"year": Y, "sort": "name"}).content.decode()
    rows = [
        line.split('data-community="')[1].split('"')[0]
        for line in page.splitlines()
        if 'data-community="' in line
    ]
    assert rows == sorted(rows)
    assert 'class="asc" title="社区名称" aria-sort="ascending"' in page
    assert "?year=2014&amp;sort=-name" in page  # clicking again reverses
    assert "?year=2014&amp;sort=-A4" in page


def test_community_view_shows_gaps_pace_and_alerts(client, scene):
    f.ActivityFactory(
        community=scene.a1,
        status=ActivityStatus.PENDING,
        name="久未审核的活动",
        submitted_at=timezone.now() - dt.timedelta(days=12),
    )
    client.force_login(scene.cadre_a1)
    page = client.get(community_url(scene.a1, "?year=2014&as_of=2014-07-02")).content.decode()
    assert "还差" in page and "每月还需" in page
    assert "活动待审核超过7天" in page and "久未审核的活动" in page
    assert "文体干部持证期限" in page
    assert 'data-chart="stars"' in page


def test_menu_links_the_dashboard(client, scene):
    client.force_login(scene.cadre_a1)
    assert f'href="{INDEX}"' in client.get(reverse("home")).content.decode()


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


STREET_QUERIES = 10
COMMUNITY_QUERIES = 8


def test_pages_make_the_same_queries_for_2_and_8_communities(client, cast):
    populate(cast.a1, 0)
    populate(cast.a2, 1)
    client.force_login(cast.street_staff)
    street = f"{INDEX}?year={Y}&as_of=2014-07-02"
    one = community_url(cast.a1, "?year=2014&as_of=2014-07-02")
    client.get(street)  # warm the session and the stored blocks of both pages
    client.get(one)
    two = (_queries(client, street), _queries(client, one))
    add_communities(cast.street_a, 2, 6)
    # The new communities changed the street's data version: the first request after
    # computes (one query more), so both sizes are counted warm (assessments/cache.py).
    client.get(street)
    client.get(one)
    eight = (_queries(client, street), _queries(client, one))
    assert two == eight
    # session, user, membership; the years, calendar and unread count (one row); the
    # assessment (found by its street's data version alone); the alerts' blocks that are not kept with it
    # (waiting activities, instructors); late reports, overdue rectifications, photo flags.
    assert eight == (STREET_QUERIES, COMMUNITY_QUERIES), eight


def test_years_read_along_are_activity_years(cast):
    """The dashboards read the year list inside another row; it is activity_years' list."""
    from activities.selectors import activity_years, activity_years_subquery, years_of
    from communities.models import Street

    for year, community in ((2012, cast.a1), (2014, cast.a1), (2014, cast.a2), (2016, cast.a2)):
        f.ActivityFactory(community=community, date=dt.date(year, 3, 1))
    for user in (cast.street_staff, cast.cadre_a1):
        joined = (
            Street.objects.filter(pk=cast.street_a.pk)
            .annotate(years=activity_years_subquery(user))
            .values_list("years", flat=True)
            .get()
        )
        assert years_of(joined) == activity_years(user)
    assert activity_years(cast.street_staff) == [2016, 2014, 2012]
    assert activity_years(cast.cadre_a1) == [2014, 2012]
