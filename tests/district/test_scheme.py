"""Issue 18: one scheme for the district. The district admin publishes it; it is frozen;
the district's rankings score every street by it; a street cannot change it."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from assessments import services as assessment_services
from assessments.published import PublishedScheme, PublishedSchemeError
from district import services
from district.selectors import district_year
from tests import factories as f

pytestmark = pytest.mark.django_db
YEAR = 2014


@pytest.fixture
def district(cast):
    """甲街道 runs its own scheme with A1 worth 30 points (the default: 15)."""
    f.PopulationFactory(community=cast.a1, year=YEAR, residents=3000)
    f.PopulationFactory(community=cast.a2, year=YEAR, residents=3000)
    f.FacilityFactory(community=cast.a1, kind="文化活动室", area=Decimal("300"))
    own = assessment_services.scheme_ensure(street=cast.street_a, year=YEAR, user=cast.street_admin)
    a1 = own.indicators.get(code="A1")
    assessment_services.indicator_update(
        indicator=a1, user=cast.street_admin, name=a1.name, points=Decimal("30"), params=a1.params
    )
    return cast


def a1_points(cast) -> Decimal:
    data = district_year(cast.district_a, YEAR)
    return next(e for e in data.entries if e.name == "甲一社区").indicators["A1"]


def test_the_published_scheme_scores_every_street_and_is_frozen(district, client):
    assert a1_points(district) == Decimal(30)  # no district scheme yet: the street's own
    client.force_login(district.district_admin)
    response = client.post(reverse("district:scheme") + f"?year={YEAR}", {"source": "default"})
    assert response.status_code == 302
    published = PublishedScheme.objects.get(district=district.district_a, year=YEAR)
    assert published.name == f"甲区{YEAR}年统一方案"
    assert a1_points(district) == Decimal(15)  # the district's (default) scheme
    page = client.get(reverse("district:rankings"), {"year": YEAR}).content.decode()
    assert f"按区县统一方案“甲区{YEAR}年统一方案”计分" in page

    # Published means frozen: no second one, no change, no deletion.
    with pytest.raises(ValidationError, match="发布后不能更改"):
        services.publish_scheme(
            user=district.district_admin, district=district.district_a, year=YEAR, source="default"
        )
    published.name = "改过的方案"
    with pytest.raises(PublishedSchemeError):
        published.save()
    with pytest.raises(PublishedSchemeError):
        published.delete()
    with pytest.raises(PublishedSchemeError):
        PublishedScheme.objects.filter(pk=published.pk).update(name="改过的方案")
    with pytest.raises(PublishedSchemeError):
        PublishedScheme.objects.all().delete()
    assert PublishedScheme.objects.get(pk=published.pk).name == f"甲区{YEAR}年统一方案"


def test_a_street_cannot_change_the_published_scheme(district, client):
    services.publish_scheme(
        user=district.district_admin, district=district.district_a, year=YEAR, source="default"
    )
    before = PublishedScheme.objects.get().data
    # The street edits its own scheme: the district's snapshot and its ranking stay.
    a1 = district.street_a.assessment_schemes.get(year=YEAR).indicators.get(code="A1")
    assessment_services.indicator_update(
        indicator=a1,
        user=district.street_admin,
        name="改名",
        points=Decimal("40"),
        params=a1.params,
    )
    assert PublishedScheme.objects.get().data == before
    assert a1_points(district) == Decimal(15)
    # The street's users have no door to the district's scheme.
    for user in (district.street_admin, district.street_staff, district.leader):
        client.force_login(user)
        response = client.post(reverse("district:scheme") + f"?year={YEAR}", {"source": "default"})
        assert response["Location"] == reverse("dashboard:index")
        with pytest.raises(PermissionDenied):
            services.publish_scheme(
                user=user, district=district.district_a, year=YEAR + 1, source="default"
            )
    assert PublishedScheme.objects.count() == 1


def test_only_the_district_s_admin_publishes(district):
    for user, where in (
        (district.district_viewer, district.district_a),
        (district.district_admin, district.district_b),
    ):
        with pytest.raises(PermissionDenied):
            services.publish_scheme(user=user, district=where, year=YEAR, source="default")
    with pytest.raises(ValidationError, match="请选择默认方案"):
        services.publish_scheme(
            user=district.district_admin,
            district=district.district_a,
            year=YEAR,
            source=str(district.street_b.pk),  # 乙区's street
        )
    # From a street's scheme of the district: A1 at its 30 points for every street.
    services.publish_scheme(
        user=district.district_admin,
        district=district.district_a,
        year=YEAR,
        source=str(district.street_a.pk),
    )
    assert a1_points(district) == Decimal(30)
    assert not PublishedScheme.objects.filter(district=district.district_b).exists()


def test_the_scheme_page_shows_the_published_scheme_and_its_excel_ranking_follows(district, client):
    client.force_login(district.district_viewer)
    page = client.get(reverse("district:scheme"), {"year": YEAR}).content.decode()
    assert "尚未发布统一方案" in page and "发布（发布后不能更改）" not in page  # a viewer
    services.publish_scheme(
        user=district.district_admin, district=district.district_a, year=YEAR, source="default"
    )
    page = client.get(reverse("district:scheme"), {"year": YEAR}).content.decode()
    assert f"甲区{YEAR}年统一方案" in page and "A1" in page
    book = load_workbook(
        io.BytesIO(
            client.get(
                reverse("district:rankings"), {"year": YEAR, "by": "ind:A1", "export": "xlsx"}
            ).content
        ),
        read_only=True,
    )
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert rows[1][3] == "甲一社区" and rows[1][5] == 15
