import datetime as dt
from decimal import Decimal

import pytest

from activities.models import ActivityStatus
from service.models import COUNTED, ServiceEntry
from tests import factories as f


@pytest.fixture
def volunteers(cast):
    return [
        f.VolunteerFactory(community=cast.a1, registered_on=dt.date(2020, 1, 1)) for _ in range(5)
    ]


@pytest.fixture
def activity(cast):
    return f.ActivityFactory(
        community=cast.a1, date=dt.date(2026, 5, 9), status=ActivityStatus.DRAFT
    )


def assert_totals_are_sums(volunteers):
    """The invariant of the app: each volunteer's 服务时长 is the sum of counted entries."""
    for v in volunteers:
        v.refresh_from_db()
        entries = ServiceEntry.objects.filter(COUNTED, person_id=v.person_id)
        assert v.service_hours == sum((e.hours for e in entries), Decimal(0))
