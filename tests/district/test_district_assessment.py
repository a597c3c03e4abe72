"""Issue 18 part 3: 区县考评 beside the street's. On a manual item of the district's published
scheme the district admin scores; the street's 考评 and the community's 自评 are kept. The
district's counts when present, else the street's (marked); the street cannot change it."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from assessments import default_scheme, engine
from assessments import services as assessment_services
from assessments.models import ManualScore
from assessments.scoring import counted_manual
from district import services
from tests import factories as f

pytestmark = pytest.mark.django_db
YEAR = 2015


@pytest.fixture
def item(cast):
    """甲街道's scheme gains M1 (10 points), 甲区 publishes it; M1 of 甲街道's copy."""
    f.PopulationFactory(community=cast.a1, year=YEAR, residents=3000)
    own = assessment_services.scheme_ensure(street=cast.street_a, year=YEAR, user=cast.street_admin)
    assessment_services.manual_indicator_add(
        scheme=own,
        user=cast.street_admin,
        card=own.cards.first(),
        code="M1",
        name="特色品牌",
        points=Decimal("10"),
        letter_grades=False,
    )
    services.publish_scheme(
        user=cast.district_admin, district=cast.district_a, year=YEAR, source=str(cast.street_a.pk)
    )
    copy = default_scheme.ensure_scheme(cast.street_a, YEAR)
    assert copy.district_scheme is not None
    return copy.indicators.get(code="M1")


def m1(cast) -> tuple[Decimal | None, dict]:
    assessment = engine.compute(cast.street_a, YEAR, evidence=False)
    community = next(c for c in assessment.communities if c.name == "甲一社区")
    line = next(i for i in community.indicators if i.code == "M1")
    return line.points, line.detail


def test_the_district_s_score_counts_over_the_street_s_both_kept(cast, item):
    assessment_services.manual_self_score(
        indicator=item, community=cast.a1, user=cast.cadre_a1, score=Decimal("9.50")
    )
    assessment_services.manual_assess(
        indicator=item, community=cast.a1, user=cast.street_staff, score=Decimal("8.00")
    )
    points, detail = m1(cast)
    assert points == Decimal("8.00")
    assert detail["counted_by"] == "street"
    assessment_services.manual_district_assess(
        indicator=item,
        community=cast.a1,
        user=cast.district_admin,
        score=Decimal("6.50"),
        note="台账不全",
    )
    points, detail = m1(cast)
    assert points == Decimal("6.50")
    assert (
        detail["counted_by"],
        detail["self_score"],
        detail["street_score"],
        detail["district_score"],
    ) == (
        "district",
        "9.50",
        "8.00",
        "6.50",
    )
    # The street scores again: kept, but the district's still counts.
    assessment_services.manual_assess(
        indicator=item, community=cast.a1, user=cast.street_staff, score=Decimal("10.00")
    )
    score = ManualScore.objects.get(indicator=item, community=cast.a1)
    assert (score.self_score, score.assessor_score, score.district_score) == (
        Decimal("9.50"),
        Decimal("10.00"),
        Decimal("6.50"),
    )
    assert counted_manual(score) == ("district", Decimal("6.50"), "")
    assert m1(cast)[0] == Decimal("6.50")


def test_refusals_change_nothing(cast, item):
    for user in (cast.street_admin, cast.street_staff, cast.district_viewer):
        with pytest.raises(PermissionDenied):
            assessment_services.manual_district_assess(
                indicator=item, community=cast.a1, user=user, score=Decimal("1")
            )
    with pytest.raises(ValidationError, match="区县考评分必须在0到10"):
        assessment_services.manual_district_assess(
            indicator=item, community=cast.a1, user=cast.district_admin, score=Decimal("11")
        )
    # An item of the street's own extra scheme is the street's to score.
    own_item = item.scheme.street.assessment_schemes.get(
        year=YEAR, district_scheme__isnull=True
    ).indicators.get(code="M1")
    with pytest.raises(ValidationError, match="只有区县统一方案的指标由区县考评"):
        assessment_services.manual_district_assess(
            indicator=own_item, community=cast.a1, user=cast.district_admin, score=Decimal("5")
        )
    assert not ManualScore.objects.filter(district_score__isnull=False).exists()


def test_pages_district_admin_scores_street_cannot(client, cast, item):
    url = reverse("assessments:manual_score", args=[item.pk, cast.a1.pk])
    client.force_login(cast.district_admin)
    page = client.get(url)
    assert "区县考评（计入总分）" in page.content.decode()
    response = client.post(
        url,
        {"action": "district", "district-assessor_score": "7.25", "district-assessor_note": "抽查"},
    )
    assert response.status_code == 302
    client.force_login(cast.street_admin)
    page = client.get(url).content.decode()
    assert "区县考评（计入总分）" not in page and "7.25" in page
    client.post(url, {"action": "district", "district-assessor_score": "10"})
    assert ManualScore.objects.get(indicator=item, community=cast.a1).district_score == Decimal(
        "7.25"
    )
    run = assessment_services.run_assessment(
        street=cast.street_a, year=YEAR, user=cast.street_admin
    )
    result = run.results.get(community=cast.a1)
    card = client.get(reverse("assessments:result", args=[result.pk])).content.decode()
    assert "区县考评 7.25（计入区县考评）" in card
