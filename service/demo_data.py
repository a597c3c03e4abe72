"""The demo street's volunteer service (idempotent: a second run changes nothing).

Each volunteer's 服务时长 as the demo's people give it is kept as their total: most of it is
served at the community's verified activities (55–80 %), one in three has an approved
make-up, and what is left is the labelled opening balance. A few volunteers are marked on
activities still waiting for verification and a few make-ups wait for approval (they do not
count yet). Instructors serve at sports activities, some often enough to be due for
promotion. Dates come from the activities themselves; make-ups are dated before `as_of`.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction

from activities.models import Activity, ActivityCategory, ActivityStatus
from communities.models import Street
from teams.models import Certificate, Volunteer

from . import services
from .models import Approval, EntryKind, ServiceEntry, ServiceRole

STEPS = [Decimal("2"), Decimal("2.5"), Decimal("3"), Decimal("4")]
MAKEUP_CONTENT = ("协助社区图书室整理", "文化家园值班", "健身路径巡查", "重阳节慰问演出排练")


@transaction.atomic
def load(street: Street, as_of: dt.date) -> None:
    volunteers = list(
        Volunteer.objects.filter(community__street=street)
        .select_related("community")
        .order_by("pk")
    )
    if not volunteers:
        return
    activities = list(
        Activity.objects.filter(community__street=street, date__lte=as_of).order_by("date", "pk")
    )
    by_community: dict[int, list[Activity]] = {}
    for a in activities:
        by_community.setdefault(a.community_id, []).append(a)
    existing = set(
        ServiceEntry.objects.filter(person__street=street).values_list(
            "kind", "activity_id", "person_id", "date", "content"
        )
    )
    new: list[ServiceEntry] = []

    def add(entry: ServiceEntry) -> None:
        key = (entry.kind, entry.activity_id, entry.person_id, entry.date, entry.content)
        if key not in existing:
            existing.add(key)
            new.append(entry)

    declared = {}
    for v in volunteers:
        rng = random.Random(f"sjq-service:{v.person_id}")
        total = v.service_hours
        declared[v.pk] = total
        if v.registered_on is None:  # signed up on paper only: no service yet
            continue
        served = [
            a
            for a in by_community.get(v.community_id, [])
            if a.date >= v.registered_on and (v.left_on is None or a.date < v.left_on)
        ]
        verified = [a for a in served if a.status == ActivityStatus.VERIFIED]
        budget = (total * Decimal(rng.randint(55, 80)) / 100).quantize(Decimal("0.1"))
        used = Decimal(0)
        for a in rng.sample(verified, len(verified)):
            hours = rng.choice(STEPS)
            if used + hours > budget:
                break
            used += hours
            add(_entry(v, EntryKind.ACTIVITY, a.date, hours, a.name, activity=a))
        if rng.random() < 0.33 and total - used >= 4:
            hours = Decimal(rng.choice([2, 3, 4]))
            day = as_of - dt.timedelta(days=rng.randint(60, 300))
            add(_makeup(v, day, hours, rng, Approval.APPROVED))
        pending = [a for a in served if a.status != ActivityStatus.VERIFIED]
        if pending and rng.random() < 0.15:
            a = rng.choice(pending)
            add(_entry(v, EntryKind.ACTIVITY, a.date, rng.choice(STEPS), a.name, activity=a))
        if rng.random() < 0.03:
            day = as_of - dt.timedelta(days=rng.randint(3, 20))
            add(_makeup(v, day, Decimal(2), rng, Approval.PENDING))
    _instructors(street, by_community, add)
    ServiceEntry.objects.bulk_create(new, batch_size=1000)
    # The people's totals stay the totals: what the entries do not explain is the opening.
    services.sync_declared_totals(declared, today=as_of)


def _entry(
    v: Volunteer,
    kind: str,
    day: dt.date,
    hours: Decimal,
    content: str,
    *,
    activity: Activity | None = None,
    role: str = ServiceRole.VOLUNTEER,
) -> ServiceEntry:
    return ServiceEntry(
        person_id=v.person_id,
        community_id=v.community_id,
        kind=kind,
        activity=activity,
        date=day,
        hours=hours,
        role=role,
        content=content[:200],
    )


def _makeup(
    v: Volunteer, day: dt.date, hours: Decimal, rng: random.Random, approval: str
) -> ServiceEntry:
    entry = _entry(v, EntryKind.MAKEUP, day, hours, rng.choice(MAKEUP_CONTENT))
    entry.reason = "活动当天未登记，事后补录"
    entry.approval = approval
    return entry


def _instructors(street: Street, by_community: dict[int, list[Activity]], add) -> None:  # noqa: ANN001
    """Instructors who are not volunteers guide sports activities (they count as services
    for promotion, not as volunteer hours)."""
    volunteers = set(
        Volunteer.objects.filter(community__street=street).values_list("person_id", flat=True)
    )
    seen: set[int] = set()
    for c in Certificate.objects.filter(community__street=street).order_by("pk"):
        if c.person_id in volunteers or c.person_id in seen:
            continue
        seen.add(c.person_id)
        rng = random.Random(f"sjq-instructor:{c.person_id}")
        rate = rng.choice([0.1, 0.3, 0.6, 0.9])
        for a in by_community.get(c.community_id, []):
            if a.category == ActivityCategory.SPORTS and rng.random() < rate:
                entry = ServiceEntry(
                    person_id=c.person_id,
                    community_id=c.community_id,
                    kind=EntryKind.ACTIVITY,
                    activity=a,
                    date=a.date,
                    hours=Decimal(2),
                    role=ServiceRole.INSTRUCTOR,
                    content=a.name[:200],
                )
                add(entry)
