"""Issue 18: a street of a district that published the year's scheme is scored by it on its
own pages and runs, cannot edit it, and may still keep its own extra scheme."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments import default_scheme, engine
from assessments import services as assessment_services
from assessments.models import Scheme
from assessments.scheme_edits import DISTRICT_SCHEME_FROZEN
from district import services
from tests import factories as f

pytestmark = pytest.mark.django_db
YEAR = 2014


@pytest.fixture
def published(cast):
    """甲街道 keeps its own scheme with A1 at 30 points; 甲区 publishes the default (15)."""
    f.PopulationFactory(community=cast.a1, year=YEAR, residents=3000)
    f.FacilityFactory(community=cast.a1, kind="文化活动室", area=Decimal("300"))
    own = assessment_services.scheme_ensure(street=cast.street_a, year=YEAR, user=cast.street_admin)
    a1 = own.indicators.get(code="A1")
    assessment_services.indicator_update(
        indicator=a1, user=cast.street_admin, name=a1.name, points=Decimal("30"), params=a1.params
    )
    assert a1_points(cast) == Decimal(30)  # before publishing: the street's own
    services.publish_scheme(
        user=cast.district_admin, district=cast.district_a, year=YEAR, source="default"
    )
    return cast


def a1_points(cast) -> Decimal:
    assessment = engine.compute(cast.street_a, YEAR, evidence=False)
    community = next(c for c in assessment.communities if c.name == "甲一社区")
    return next(i for i in community.indicators if i.code == "A1").points


def test_a_street_of_the_district_is_scored_by_the_published_scheme(published):
    assert a1_points(published) == Decimal(15)
    run = assessment_services.run_assessment(
        street=published.street_a, year=YEAR, user=published.street_admin
    )
    assert run.scheme.district_scheme.district == published.district_a
    assert run.scheme_name == f"甲区{YEAR}年统一方案"
    assert next(i for i in run.scheme_snapshot["indicators"] if i["code"] == "A1")["points"] == "15"
    # A second run reuses the street's copy; 乙区's street keeps its own default.
    again = assessment_services.run_assessment(
        street=published.street_a, year=YEAR, user=published.street_admin
    )
    assert again.scheme == run.scheme
    assert default_scheme.ensure_scheme(published.street_b, YEAR).district_scheme is None


def test_a_street_cannot_edit_the_district_s_scheme(published, client):
    copy = default_scheme.ensure_scheme(published.street_a, YEAR)
    a1 = copy.indicators.get(code="A1")
    with pytest.raises(ValidationError, match="区县统一发布的考核方案"):
        assessment_services.indicator_update(
            indicator=a1, user=published.street_admin, name="改名", points=Decimal("40"), params={}
        )
    with pytest.raises(ValidationError, match="区县统一发布的考核方案"):
        assessment_services.grade_bands_update(
            scheme=copy, user=published.street_admin, bands=[("优秀", Decimal("90"))]
        )
    client.force_login(published.street_admin)
    for url in (
        reverse("assessments:indicator_edit", args=[a1.pk]),
        reverse("assessments:scheme_bands", args=[copy.pk]),
        reverse("assessments:scheme_settings", args=[copy.pk]),
        reverse("assessments:manual_indicator_add", args=[copy.pk]),
    ):
        response = client.post(url, {"name": "改名", "points": "40"}, follow=True)
        assert response.redirect_chain[-1][0] == reverse("assessments:scheme", args=[copy.pk])
        assert DISTRICT_SCHEME_FROZEN in response.content.decode()
    response = client.post(reverse("assessments:indicator_delete", args=[a1.pk]))
    assert copy.indicators.filter(pk=a1.pk).exists()
    a1.refresh_from_db()
    assert a1.points == Decimal("15") and a1.name != "改名"
    page = client.get(reverse("assessments:scheme", args=[copy.pk])).content.decode()
    assert "统一发布" in page and reverse("assessments:indicator_edit", args=[a1.pk]) not in page


def test_the_street_keeps_its_own_extra_scheme(published, client):
    own = Scheme.objects.get(street=published.street_a, year=YEAR, district_scheme=None)
    assert own.indicators.get(code="A1").points == Decimal(30)
    default_scheme.ensure_scheme(published.street_a, YEAR)
    assert Scheme.objects.filter(street=published.street_a, year=YEAR).count() == 2
    # Still editable, still its own, and not what the street is scored by.
    a1 = own.indicators.get(code="A1")
    assessment_services.indicator_update(
        indicator=a1,
        user=published.street_admin,
        name=a1.name,
        points=Decimal("25"),
        params=a1.params,
    )
    assert own.indicators.get(code="A1").points == Decimal(25)
    assert a1_points(published) == Decimal(15)
    again = assessment_services.scheme_ensure(
        street=published.street_a, year=YEAR, user=published.street_admin
    )
    assert again == own
    client.force_login(published.street_admin)
    page = client.get(reverse("assessments:scheme_list")).content.decode()
    assert "（区县统一方案）" in page
