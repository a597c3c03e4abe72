"""The demo district: the demo street's own district (demo/profiles.DISTRICT) with two more
small synthetic streets, so that the district pages have something to compare.

    district_demo.load(street, as_of=date.today())

Idempotent (a second run changes nothing) and relative to `as_of`: the synthetic streets'
records are of as_of.year, their activities in the months up to as_of. The district users
are demo accounts (demo/accounts.py), bound to the street's district there.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction

from activities.models import Activity, ActivityCategory, ActivityScale, ActivityStatus
from communities.models import Community, CommunityKind, District, Population, Street
from facilities.models import Facility, FacilityKind

# (street, its communities (name, kind)); a fixed seed gives every run the same figures.
STREETS = (
    (
        "采荷街道",
        (
            ("芙蓉社区", CommunityKind.ORDINARY),
            ("洁莲社区", CommunityKind.ORDINARY),
            ("人民社区", CommunityKind.RESETTLED),
            ("红菱社区", CommunityKind.ORDINARY),
        ),
    ),
    (
        "九堡街道",
        (
            ("九堡社区", CommunityKind.RESETTLED),
            ("杨公社区", CommunityKind.PARTLY_RESETTLED),
            ("三村社区", CommunityKind.RESETTLED),
        ),
    ),
)
SEED = 18


def load(street: Street, as_of: dt.date) -> None:
    """Put the two synthetic streets in the street's district (creating 上城区 if the street
    has none) and give their communities a year of records up to `as_of`."""
    with transaction.atomic():
        district = street.district or District.objects.get_or_create(name="上城区")[0]
        if street.district_id != district.pk:
            street.district = district
            street.save(update_fields=["district"])
        rng = random.Random(SEED)
        for name, communities in STREETS:
            other, _ = Street.objects.get_or_create(name=name, defaults={"district": district})
            if other.district_id != district.pk:
                other.district = district
                other.save(update_fields=["district"])
            for n, (cname, kind) in enumerate(communities):
                c, _ = Community.objects.get_or_create(
                    street=other, name=cname, defaults={"kind": kind}
                )
                _records(c, n, rng, as_of)


def _records(c: Community, n: int, rng: random.Random, as_of: dt.date) -> None:
    year = as_of.year
    residents = rng.randrange(3000, 9000, 100)
    Population.objects.get_or_create(
        community=c, year=year, defaults={"residents": residents, "households": residents // 3}
    )
    Facility.objects.get_or_create(
        community=c,
        name=f"{c.name.removesuffix('社区')}文化家园",
        defaults={
            "kind": FacilityKind.CULTURE_ROOM,
            "area": Decimal(rng.randrange(80, 320, 10)),
            "sets": 0,
            "status": "在用",
            "opened_on": dt.date(year - 3, 3, 1),
        },
    )
    months = list(range(1, as_of.month + 1))
    wanted = 2 + (n * 3 + rng.randrange(6)) % 9  # a spread of busy and quiet communities
    have = Activity.objects.filter(community=c, date__year=year).count()
    for k in range(have, wanted):
        month = months[k % len(months)]
        day = min(5 + k, 28)
        when = dt.date(year, month, day)
        if when > as_of:
            when = as_of
        Activity.objects.create(
            community=c,
            name=f"{c.name}{'文艺' if k % 2 == 0 else '健身'}活动{k + 1}",
            date=when,
            category=ActivityCategory.CULTURE if k % 2 == 0 else ActivityCategory.SPORTS,
            form="文艺演出" if k % 2 == 0 else "健身活动",
            scale=ActivityScale.SMALL,
            participants=40 + 10 * k,
            status=ActivityStatus.VERIFIED,
        )
