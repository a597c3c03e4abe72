import datetime as dt

import pytest

from tests import factories as f
from tests.facilities.conftest import login  # noqa: F401  (the same sign-in fixture)

PHONE = "13812345678"
MASKED = "138****5678"


@pytest.fixture
def member(cast):
    """A person of 甲街道 on a roster of 甲一 (so 甲一's cadre may see them)."""
    team = f.TeamFactory(community=cast.a1, name="甲一舞蹈队", phone="13955556666")
    return f.TeamMemberFactory(
        team=team, person=f.PersonFactory(street=cast.street_a, name="王秀英", phone=PHONE)
    ).person


@pytest.fixture
def leaver(cast):
    """A person who left: a volunteer registration of 甲一 ended on 2015-06-30."""
    return f.VolunteerFactory(
        community=cast.a1,
        person=f.PersonFactory(street=cast.street_a, name="李建国", phone="13700007777"),
        registered_on=dt.date(2012, 1, 1),
        left_on=dt.date(2015, 6, 30),
    ).person
