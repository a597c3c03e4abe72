"""The demo district: the demo street's own district (demo/profiles.DISTRICT) with two more
small synthetic streets, so that the district pages have something to compare.

    district_demo.load(street, as_of=date.today())

Idempotent (a second run changes nothing) and relative to `as_of`: the synthetic streets'
records are of as_of.year, their activities in the months up to as_of. Like every demo row
they are written as the street's first street admin (their history rows name sjq_admin) and
the verified activities carry their submit and verify steps. The district users are demo
accounts (demo/accounts.py), bound to the street's district there.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from activities.models import (
    Activity,
    ActivityCategory,
    ActivityScale,
    ActivityStatus,
    ActivityTransition,
)
from communities.models import (
    Community,
    CommunityKind,
    District,
    Membership,
    Population,
    Role,
    Street,
)
from facilities.models import Facility, FacilityKind

from . import demo_scores

if TYPE_CHECKING:
    from django.contrib.auth.models import User

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
    admin = (
        Membership.objects.filter(street=street, role=Role.STREET_ADMIN)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if admin is None:
        raise ValueError(f"{street}没有街道管理员，无法写入演示数据。")
    user = admin.user
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
                c = Community.objects.filter(street=other, name=cname).first() or _create(
                    Community, user, street=other, name=cname, kind=kind
                )
                _records(c, n, rng, as_of, user)
        demo_scores.load(street, as_of)  # the district's scheme and its 考评 beside the street's


def _create(model: type[Model], user: User, **fields: Any) -> Any:
    """A new row whose history names the demo's street admin."""
    obj = model(**fields)
    obj._history_user = user
    obj.save()
    return obj


def _records(c: Community, n: int, rng: random.Random, as_of: dt.date, user: User) -> None:
    year = as_of.year
    residents = rng.randrange(3000, 9000, 100)
    area = Decimal(rng.randrange(80, 320, 10))
    if not Population.objects.filter(community=c, year=year).exists():
        _create(
            Population, user, community=c, year=year, residents=residents, households=residents // 3
        )
    room = f"{c.name.removesuffix('社区')}文化家园"
    if not Facility.objects.filter(community=c, name=room).exists():
        _create(
            Facility,
            user,
            community=c,
            name=room,
            kind=FacilityKind.CULTURE_ROOM,
            area=area,
            sets=0,
            status="在用",
            opened_on=dt.date(year - 3, 3, 1),
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
        submitted = timezone.make_aware(dt.datetime.combine(when, dt.time(20, 0)))
        activity = _create(
            Activity,
            user,
            community=c,
            name=f"{c.name}{'文艺' if k % 2 == 0 else '健身'}活动{k + 1}",
            date=when,
            category=ActivityCategory.CULTURE if k % 2 == 0 else ActivityCategory.SPORTS,
            form="文艺演出" if k % 2 == 0 else "健身活动",
            scale=ActivityScale.SMALL,
            participants=40 + 10 * k,
            status=ActivityStatus.VERIFIED,
            created_by=user,
            submitted_at=submitted,
        )
        for frm, to, at in (
            (ActivityStatus.DRAFT, ActivityStatus.PENDING, submitted),
            (ActivityStatus.PENDING, ActivityStatus.VERIFIED, submitted + dt.timedelta(hours=1)),
        ):
            step = ActivityTransition.objects.create(
                activity=activity, from_status=frm, to_status=to, by=user
            )
            ActivityTransition.objects.filter(pk=step.pk).update(at=at)  # at: auto_now_add
