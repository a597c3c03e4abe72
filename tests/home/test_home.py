"""The home page: the user's scope in figures, per role, in a fixed number of queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from activities.selectors import default_year
from tests import factories as f

THIS_YEAR = timezone.localdate().year


def fill(community, *, year=THIS_YEAR, facilities=2, teams=3, verified=4, pending=1):
    f.PopulationFactory(community=community, year=year, residents=5000 + community.pk)
    for _ in range(facilities):
        f.FacilityFactory(community=community)
    f.FacilityFactory(community=community, status="在建")
    for _ in range(teams):
        f.TeamFactory(community=community)
    f.TeamFactory(
        community=community, dissolved_on=dt.date(2013, 1, 1), founded_on=dt.date(2010, 1, 1)
    )
    for i in range(verified):
        f.ActivityFactory(community=community, date=dt.date(year, 3, 1 + i), status="verified")
    for i in range(pending):
        f.ActivityFactory(community=community, date=dt.date(year, 4, 1 + i), status="pending")
    f.ActivityFactory(community=community, date=dt.date(year, 5, 1), status="draft")
    f.ActivityFactory(community=community, date=dt.date(year - 1, 5, 1), status="verified")
    f.VolunteerFactory(community=community, registered_on=dt.date(2013, 1, 1))
    f.CertificateFactory(community=community, issued_on=dt.date(2013, 1, 1))


def login(client, user):
    # UserFactory skips the save after set_password: the session hash needs the saved one.
    user.save(update_fields=["password"])
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")


@pytest.mark.django_db
def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.django_db
def test_cadre_sees_only_own_community(client, cast):
    fill(cast.a1, facilities=2, teams=3, verified=4, pending=1)
    fill(cast.a2, facilities=5, teams=6, verified=7, pending=2)
    fill(cast.b1, facilities=9, teams=9, verified=9, pending=9)
    login(client, cast.cadre_a1)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    figures = response.context["figures"]
    assert (figures.facilities, figures.teams, figures.volunteers, figures.instructors) == (
        2,
        3,
        1,
        1,
    )
    counts = {s.status: s.count for s in figures.activities}
    assert counts == {"draft": 1, "pending": 1, "verified": 4, "returned": 0}
    assert [r.community for r in figures.rows] == [cast.a1]
    html = response.content.decode()
    assert "甲一社区" in html and "甲二社区" not in html and "乙一社区" not in html


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["street_admin", "street_staff", "leader"])
def test_street_roles_see_every_community_of_their_street(client, cast, who):
    fill(cast.a1, verified=4, pending=1)
    fill(cast.a2, verified=7, pending=2)
    fill(cast.b1, verified=9, pending=9)
    login(client, getattr(cast, who))
    response = client.get(reverse("home"))
    figures = response.context["figures"]
    assert figures.communities == 2
    assert {s.status: s.count for s in figures.activities}["verified"] == 11
    rows = {
        r.community.name: (r.residents, r.facilities, r.teams, r.verified, r.pending)
        for r in figures.rows
    }
    assert rows == {
        "甲一社区": (5000 + cast.a1.pk, 2, 3, 4, 1),
        "甲二社区": (5000 + cast.a2.pk, 2, 3, 7, 2),
    }
    html = response.content.decode()
    assert "各社区概况" in html and "乙一社区" not in html
    # Each status links to the activity list filtered by year and status.
    assert f"{reverse('activities:list')}?year={THIS_YEAR}&amp;status=pending" in html


@pytest.mark.django_db
def test_user_without_membership_is_told_so(client, cast):
    fill(cast.a1)
    login(client, cast.nobody)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "尚未分配工作范围" in response.content.decode()
    assert not response.context["figures"].has_scope


@pytest.mark.django_db
def test_year_defaults_to_latest_year_with_activities(client, cast):
    fill(cast.a1, year=2014)
    login(client, cast.street_staff)
    figures = client.get(reverse("home")).context["figures"]
    assert figures.year == 2014 and figures.years == [2014, 2013]
    assert {s.status: s.count for s in figures.activities}["verified"] == 4
    figures = client.get(reverse("home"), {"year": "2013"}).context["figures"]
    assert figures.year == 2013
    assert {s.status: s.count for s in figures.activities}["verified"] == 1
    # Nonsense is ignored rather than an error.
    assert client.get(reverse("home"), {"year": "abc"}).status_code == 200


def test_default_year_never_jumps_to_the_future():
    today = dt.date(2014, 6, 1)
    assert default_year([2015, 2013], today) == 2013
    assert default_year([2014, 2013], today) == 2014
    assert default_year([], today) == 2014


@pytest.mark.django_db
def test_query_count_does_not_grow_with_communities(client, cast):
    for c in (cast.a1, cast.a2):
        fill(c)
    login(client, cast.street_admin)
    with CaptureQueriesContext(connection) as two:
        assert client.get(reverse("home")).status_code == 200
    for i in range(8):
        fill(f.CommunityFactory(street=cast.street_a, name=f"新增{i}社区"))
    login(client, cast.street_admin)
    with CaptureQueriesContext(connection) as ten:
        response = client.get(reverse("home"))
    assert len(response.context["figures"].rows) == 10
    assert len(ten) == len(two)


@pytest.mark.django_db
def test_a_cadres_home_takes_the_same_queries_for_more_records_and_years(client, cast):
    fill(cast.a1)
    login(client, cast.cadre_a1)
    client.get(reverse("home"))  # warm the session
    with CaptureQueriesContext(connection) as small:
        response = client.get(reverse("home"))
    assert response.context["figures"].years == [THIS_YEAR, THIS_YEAR - 1]
    for year in (THIS_YEAR - 2, THIS_YEAR - 3):
        fill(cast.a1, year=year, facilities=6, teams=8, verified=10, pending=3)
    # The writes raised the street's version: the first request reads the years again
    # (activities.selectors.cached_years); both sizes are counted on a second request.
    assert client.get(reverse("home")).context["figures"].years == [THIS_YEAR - n for n in range(5)]
    with CaptureQueriesContext(connection) as big:
        response = client.get(reverse("home"))
    figures = response.context["figures"]
    assert figures.years == [THIS_YEAR - n for n in range(5)]
    assert figures.facilities == 2 + 6 + 6 and figures.teams == 3 + 8 + 8
    assert len(big) == len(small)
