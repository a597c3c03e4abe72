import datetime as dt

import pytest

from activities import services
from activities.models import Activity, ActivityStatus
from portal.uploads import check_upload
from tests import factories as f

from . import samples


@pytest.fixture
def draft(cast) -> Activity:
    """A draft of 甲一社区 recorded by its cadre."""
    return services.activity_create(
        user=cast.cadre_a1,
        community=cast.a1,
        name="广场舞展演",
        date=dt.date(2024, 5, 1),
        category="文化",
    )


@pytest.fixture
def pending(cast, draft) -> Activity:
    return services.activity_submit(activity=draft, user=cast.cadre_a1)


@pytest.fixture
def verified(cast, pending) -> Activity:
    return services.activity_verify(activity=pending, user=cast.street_staff)


def make_activity(community, status=ActivityStatus.DRAFT, **kwargs) -> Activity:
    return f.ActivityFactory(community=community, status=status, **kwargs)


def photo(name: str = "现场.jpg"):
    return check_upload(samples.upload(name, samples.jpeg_bytes(), "image/jpeg"))
