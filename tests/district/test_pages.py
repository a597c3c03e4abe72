"""Issue 18: the district pages — who reaches them, the filters, the Excel, and a number
of queries that does not grow with the district's streets and communities."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from communities.models import Community, CommunityKind, Street
from tests import factories as f

YEAR = 2014


def sign_in(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def book(response):
    return load_workbook(io.BytesIO(response.content), read_only=True)


def cells(response):
    return [list(r) for r in book(response).worksheets[0].iter_rows(values_only=True)]


@pytest.fixture
def district(cast):
    """甲区 gets a second street with one 回迁 community; 乙区 (street B) stays foreign."""
    other = f.StreetFactory(name="丙街道", district=cast.district_a)
    c = f.CommunityFactory(street=other, name="丙一社区", kind=CommunityKind.RESETTLED)
    for community in (cast.a1, cast.a2, c, cast.b1):
        f.PopulationFactory(community=community, year=YEAR, residents=3000)
    f.FacilityFactory(community=cast.a1, kind="文化活动室", area=Decimal("300"))
    return cast


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["district_admin", "district_viewer"])
def test_district_users_see_every_community_of_their_district_only(client, district, role):
    sign_in(client, getattr(district, role))
    page = client.get(reverse("district:rankings"), {"year": YEAR})
    assert page.status_code == 200
    text = page.content.decode()
    for name in ("甲一社区", "甲二社区", "丙一社区", "甲街道", "丙街道"):
        assert name in text
    assert "乙一社区" not in text and "乙街道" not in text
    assert reverse("dashboard:community", args=[district.a1.pk]) in text
    for name in ("district:index", "district:streets"):
        assert client.get(reverse(name), {"year": YEAR}).status_code == 200


@pytest.mark.django_db
def test_street_users_are_sent_to_their_street_dashboard(client, district):
    for user in (district.street_admin, district.leader, district.cadre_a1):
        sign_in(client, user)
        for name in (
            "district:index",
            "district:rankings",
            "district:streets",
            "district:workbook",
        ):
            response = client.get(reverse(name))
            assert response.status_code == 302
            assert response["Location"] == reverse("dashboard:index")


@pytest.mark.django_db
def test_filters_by_street_and_kind_and_the_excel_follows_them(client, district):
    sign_in(client, district.district_admin)
    url = reverse("district:rankings")
    street = Street.objects.get(name="丙街道")
    page = client.get(url, {"year": YEAR, "street": street.pk})
    text = page.content.decode()
    assert "丙一社区" in text and "甲一社区" not in text
    rows = cells(client.get(url, {"year": YEAR, "kind": "回迁", "export": "xlsx"}))
    assert rows[0][:4] == ["名次", "全区名次", "街道", "社区"]
    assert [r[3] for r in rows[1:]] == ["丙一社区"]
    # A bad filter says so and shows everything.
    page = client.get(url, {"year": YEAR, "street": district.b1.street_id, "kind": "别墅"})
    text = page.content.decode()
    assert "所选街道不在本区县" in text and "社区类型“别墅”无效" in text
    assert "甲一社区" in text and "乙一社区" not in text


@pytest.mark.django_db
def test_ranking_by_one_indicator_has_ties(client, district):
    """A1 (文化活动室面积, 15 points proportional to 200 ㎡): 甲一 has 300 ㎡ (15 points),
    甲二 and 丙一 none (0 points each): ranks 1, 2, 2."""
    sign_in(client, district.district_admin)
    rows = cells(
        client.get(reverse("district:rankings"), {"year": YEAR, "by": "ind:A1", "export": "xlsx"})
    )
    assert [(r[0], r[3], r[5]) for r in rows[1:]] == [
        (1, "甲一社区", 15),
        (2, "丙一社区", 0),
        (2, "甲二社区", 0),
    ]


@pytest.mark.django_db
def test_the_workbook_holds_every_ranking(client, district):
    sign_in(client, district.district_viewer)
    response = client.get(reverse("district:workbook"), {"year": YEAR})
    names = book(response).sheetnames
    assert names[0] == "总分排名" and names[-1] == "街道排名"
    assert {"A排名", "B排名", "A1排名"} <= set(names)
    streets = [list(r) for r in book(response)["街道排名"].iter_rows(values_only=True)]
    assert sorted(r[1] for r in streets[1:]) == ["丙街道", "甲街道"]


def _grow(cast, streets: int, per_street: int, tag: str) -> None:
    for s in range(streets):
        street = f.StreetFactory(name=f"扩{tag}{s}街道", district=cast.district_a)
        for c in range(per_street):
            community = Community.objects.create(street=street, name=f"扩{s}-{c}社区")
            f.PopulationFactory(community=community, year=YEAR)
            f.FacilityFactory(community=community)


def _queries(client, name: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse(name), {"year": YEAR}).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["district:index", "district:rankings", "district:streets"])
def test_query_count_does_not_grow_with_streets_or_communities(client, district, name):
    sign_in(client, district.district_admin)
    _grow(district, 1, 2, "小")
    client.get(reverse(name), {"year": YEAR})  # warm the statement cache like a live server
    small = _queries(client, name)
    _grow(district, 4, 5, "大")
    client.get(reverse(name), {"year": YEAR})
    large = _queries(client, name)
    assert large == small


@pytest.mark.django_db
def test_the_year_choice_is_never_stale(client, district):
    """The district's years are cached under its streets' data versions: a new activity's
    year, and a street moved into the district, show on the very next request."""
    from district.selectors import district_years

    sign_in(client, district.district_viewer)
    f.ActivityFactory(community=district.a1, date=f"{YEAR}-05-01")
    url = reverse("district:index")
    assert '<option value="2009"' not in client.get(url, {"year": YEAR}).content.decode()
    first = district_years(district.district_a)
    assert YEAR in first and 2009 not in first
    f.ActivityFactory(community=district.a2, date="2009-03-01")
    assert district_years(district.district_a) == sorted({*first, 2009}, reverse=True)
    assert '<option value="2009"' in client.get(url, {"year": YEAR}).content.decode()
    moved = f.StreetFactory(name="迁入街道")
    f.ActivityFactory(community=f.CommunityFactory(street=moved), date="2005-06-01")
    assert 2005 not in district_years(district.district_a)
    moved.district = district.district_a
    moved.save()
    assert 2005 in district_years(district.district_a)
    # the foreign district's activities never count
    f.ActivityFactory(community=district.b1, date="2001-01-01")
    assert 2001 not in district_years(district.district_a)
