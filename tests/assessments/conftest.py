"""Helpers for the assessment tests: a run context and a community with full marks."""

import datetime as dt
from decimal import Decimal

import pytest

from activities.models import ActivityCategory, ActivityScale, BrandCategory
from assessments import metrics
from facilities.models import FacilityKind, Ownership
from teams.models import CadrePost, InstructorLevel, TeamCategory
from tests import factories as f

Y = 2014
D = dt.date(2014, 12, 31)
FIVE = {
    "has_plan": True,
    "has_arrangement": True,
    "has_material": True,
    "has_image": True,
    "has_summary": True,
}


def context(*communities, as_of=D, year=Y) -> metrics.MetricContext:
    return metrics.MetricContext(tuple(c.pk for c in communities), year, as_of)


def full_marks(community, population=100) -> None:
    """Records that earn 100 + 100 under the default scheme in 2014 (no bonus/deduction).

    With 100 residents: 3 volunteers are 3%, 1 instructor is 10 per 1000.
    """
    f.PopulationFactory(community=community, year=Y, residents=population)
    f.FacilityFactory(community=community, kind=FacilityKind.CULTURE_ROOM, area=Decimal("200"))
    for kind in (
        FacilityKind.MULTI_ROOM,
        FacilityKind.READING_ROOM,
        FacilityKind.TRAINING_ROOM,
        FacilityKind.RECREATION_ROOM,
        FacilityKind.SHARING_POINT,
    ):
        f.FacilityFactory(community=community, kind=kind, area=None)
    f.FacilityFactory(
        community=community,
        kind=FacilityKind.INDOOR_SPORTS,
        area=None,
        ownership=Ownership.SHARED,
        free_open=True,
    )
    f.FacilityFactory(community=community, kind=FacilityKind.FITNESS_PATH, area=None, sets=2)
    for category in (TeamCategory.CULTURE, TeamCategory.SPORTS):
        for i in range(5):
            team = f.TeamFactory(community=community, category=category)
            if i < 2:
                f.TeamHonourFactory(team=team, year=Y)
    for i in range(12):
        f.ActivityFactory(
            community=community,
            category=ActivityCategory.CULTURE,
            date=dt.date(Y, 1 + i, 5),
            scale=ActivityScale.LARGE if i < 6 else ActivityScale.SMALL,
            is_exchange=i < 2,
            **FIVE,
        )
    for i in range(2):
        f.ActivityFactory(
            community=community, category=ActivityCategory.SPORTS, date=dt.date(Y, 3, 1 + i), **FIVE
        )
    f.BrandFactory(community=community, category=BrandCategory.CULTURE)
    f.BrandFactory(community=community, category=BrandCategory.SPORTS)
    for _ in range(3):
        f.VolunteerFactory(community=community)
    f.CertificateFactory(community=community, level=InstructorLevel.FIRST)
    f.CadreFactory(community=community, post=CadrePost.COMMITTEE, appointed_on=dt.date(2014, 6, 1))
    f.CadreFactory(community=community, post=CadrePost.MANAGER, appointed_on=dt.date(2014, 6, 1))
    f.StarRatingFactory(community=community, year=Y, stars=3)


@pytest.fixture
def street(cast):
    return cast.street_a
