"""A street whose communities have a bit of everything the dashboard shows.

`populate(community, k)` gives community number k records of every kind the dashboard reads
(population, rooms, teams, volunteers, instructors, cadres, verified and pending activities,
文化走亲, an upgrade project, star targets and ratings), varied with k so that communities
differ. The same builder serves the query-count tests (2 vs 8 communities) and the browser.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from activities.models import ActivityCategory, ActivityScale, ActivityStatus
from facilities.models import FacilityKind, ProjectStatus
from teams.models import CadrePost, InstructorLevel, TeamCategory
from tests import factories as f

Y = 2014
MID = dt.date(2014, 7, 2)  # day 183 of 365


def populate(community, k: int = 0) -> None:
    f.PopulationFactory(community=community, year=Y, residents=1000 + 100 * k)
    f.FacilityFactory(
        community=community, kind=FacilityKind.CULTURE_ROOM, area=Decimal(150 + 30 * k)
    )
    f.FacilityFactory(
        community=community, kind=FacilityKind.FITNESS_PATH, area=None, sets=1 + k % 2
    )
    for category in (TeamCategory.CULTURE, TeamCategory.SPORTS):
        for i in range(3 + k % 3):
            team = f.TeamFactory(community=community, category=category)
            if i == 0:
                f.TeamHonourFactory(team=team, year=Y)
    for _ in range(20 + 5 * k):
        f.VolunteerFactory(community=community)
    for i in range(2 + k):
        f.CertificateFactory(
            community=community,
            level=InstructorLevel.FIRST if i == 0 and k % 2 else InstructorLevel.THIRD,
        )
    f.CadreFactory(community=community, post=CadrePost.COMMITTEE, appointed_on=dt.date(2010, 3, 1))
    f.CadreFactory(community=community, post=CadrePost.MANAGER, appointed_on=dt.date(2013, 8, 1))
    for i in range(3 + k):
        f.ActivityFactory(
            community=community,
            category=ActivityCategory.CULTURE,
            date=dt.date(Y, 1 + i % 6, 10),
            scale=ActivityScale.LARGE if i % 2 else ActivityScale.SMALL,
        )
    f.ActivityFactory(community=community, category=ActivityCategory.SPORTS, date=dt.date(Y, 4, 2))
    old = f.ActivityFactory(
        community=community,
        date=dt.date(Y, 6, 1),
        status=ActivityStatus.PENDING,
        submitted_at=timezone.now() - dt.timedelta(days=10 + k),
    )
    assert old.status == ActivityStatus.PENDING
    f.ActivityFactory(community=community, is_exchange=True, date=dt.date(Y, 5, 5))
    f.UpgradeProjectFactory(
        community=community,
        planned_year=Y,
        status=ProjectStatus.BUILDING if k % 2 else ProjectStatus.PLANNED,
    )
    f.StarTargetFactory(community=community, year=Y, stars=3 + k % 2)
    f.StarRatingFactory(community=community, year=Y, stars=3)
    f.StarRatingFactory(community=community, year=Y - 1, stars=2 + k % 2)


def add_communities(street, start: int, count: int) -> list:
    out = []
    for k in range(start, start + count):
        community = f.CommunityFactory(street=street, name=f"测试{k:02d}社区")
        populate(community, k)
        out.append(community)
    return out


@pytest.fixture
def year() -> int:
    return Y
