"""Load the demo street: load_demo() creates or brings it up to date, idempotently."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from accounts import demo_data as accounts_demo
from activities.models import (
    Brand,
)
from communities import versions
from communities.models import (
    Award,
    Community,
    Deduction,
    District,
    Grid,
    Population,
    StarRating,
    StarTarget,
    Street,
)
from delivery import demo_data as delivery_demo
from district import demo_data as district_demo
from evidence.demo_photos import add_demo_photos
from facilities.models import Facility, UpgradeProject
from rectification import demo_data as rectification_demo
from service import demo_data as service_demo
from teams.models import (
    Cadre,
    Certificate,
    Person,
    ServiceRecord,
    Volunteer,
)
from yearcycle import demo_data as yearcycle_demo

from .accounts import DEMO_USERS, DemoUser, sync_memberships, sync_users
from .activities import load_activities
from .finalise import finalise_complete_years
from .people import certificate_rows, load_teams, person_rows, service_plan, volunteer_rows
from .places import FACILITIES, UPGRADES
from .plan import AWARDS, BRANDS, CADRES, DEDUCTIONS, STAR_RATED_BY
from .profiles import DISTRICT, PROFILES, STAR_TARGETS, STREET, YEARS
from .timeline import SEED_CURRENT_YEAR, Timeline
from .upsert import Loader, SyncCount, parse_date


@dataclass
class DemoResult:
    tallies: list[SyncCount] = field(default_factory=list)
    users: Sequence[DemoUser] = DEMO_USERS
    street: str = STREET
    timeline: Timeline = field(default_factory=lambda: Timeline(timezone.localdate()))
    district: str = DISTRICT


def load_demo(as_of: dt.date | None = None) -> DemoResult:
    """Create or bring up to date 四季青街道 and its demo users as they stand on `as_of`
    (today by default): idempotent for the same date (demo.timeline)."""
    today = timezone.localdate()
    if as_of is not None and as_of > today:
        raise ValidationError(f"截至日期 {as_of:%Y-%m-%d} 晚于今天，演示数据只能截至今天或更早。")
    timeline = Timeline(as_of or today)
    with transaction.atomic():
        result = _load(timeline)
        versions.bump_all()  # its bulk writes send no signal: every street's scores recomputed
        return result


def _check_years(street: Street, timeline: Timeline) -> None:
    """Records of another calendar (loaded for a date in another year) would stay beside the
    new ones: refuse rather than mix two demos."""
    wanted = {*timeline.complete_years, timeline.year}
    found = set(Population.objects.filter(community__street=street).values_list("year", flat=True))
    if found - wanted:
        years = "、".join(str(y) for y in sorted(found))
        raise ValidationError(
            f"数据库中的演示数据是按{years}年载入的，与截至日期 {timeline.as_of:%Y-%m-%d} 的年度不同。"
            "请换用新的数据库（如删除 var/ 下的数据库文件后重新运行），或用 --as-of 指定原来的日期。"
        )


def _load(timeline: Timeline) -> DemoResult:
    User = get_user_model()
    for u in DEMO_USERS:
        validate_password(u.password, User(username=u.username, first_name=u.full_name))
    district = District.objects.get_or_create(name=DISTRICT)[0]
    street, created = Street.objects.get_or_create(name=STREET, defaults={"district": district})
    if street.district_id != district.pk:
        street.district = district
        street.save()
    _check_years(street, timeline)
    users = sync_users(street)
    loader = Loader(users["sjq_admin"], shift=timeline.shift)
    street_tally = loader.tallies.setdefault("communities.Street", SyncCount("街道"))
    if created:
        street_tally.created += 1
    else:
        street_tally.unchanged += 1

    communities = loader.sync(
        Community,
        ("name",),
        ({"street_id": street.pk, "name": p.name, "kind": p.kind} for p in PROFILES),
        Community.objects.filter(street=street),
    )
    cid = {p.short: communities[(p.name,)].pk for p in PROFILES}
    users.update(sync_memberships(loader, street, cid, users))
    in_street = {"community__street": street}

    loader.sync(
        Grid,
        ("community_id", "name"),
        (
            {"community_id": cid[p.short], "name": f"第{'一二三四'[i]}网格"}
            for p in PROFILES
            for i in range(3 + p.no % 2)
        ),
        Grid.objects.filter(**in_street),
    )
    loader.sync(
        Population,
        ("community_id", "year"),
        (
            {
                "community_id": cid[p.short],
                "year": y,
                "residents": r,
                "households": round(r / (2.6 + p.no % 4 * 0.1)),
            }
            for p in PROFILES
            # The year in progress counts last year's residents until the new census.
            for y, r in zip(
                (*YEARS, SEED_CURRENT_YEAR), (*p.residents, p.residents[-1]), strict=True
            )
        ),
        Population.objects.filter(**in_street),
    )
    loader.sync(
        StarTarget,
        ("community_id", "year"),
        (
            {"community_id": cid[short], "year": y, "stars": stars}
            for y, targets in (*STAR_TARGETS.items(), (SEED_CURRENT_YEAR, STAR_TARGETS[YEARS[-1]]))
            for short, stars in targets.items()
        ),
        StarTarget.objects.filter(**in_street),
    )
    loader.sync(
        StarRating,
        ("community_id", "year", "stars"),
        (
            {"community_id": cid[p.short], "year": y, "stars": s, "rated_by": STAR_RATED_BY}
            for p in PROFILES
            for y, s in p.ratings.items()
        ),
        StarRating.objects.filter(**in_street),
    )
    loader.sync(
        Award,
        ("community_id", "year", "name"),
        (
            {"community_id": cid[short], "year": y, "name": name, "level": level}
            for short, rows in AWARDS.items()
            for y, name, level in rows
        ),
        Award.objects.filter(**in_street),
    )
    loader.sync(
        Deduction,
        ("community_id", "year", "item"),
        (
            {
                "community_id": cid[short],
                "year": y,
                "item": item,
                "points": Decimal(points),
                "veto": False,
            }
            for short, rows in DEDUCTIONS.items()
            for y, item, points in rows
        ),
        Deduction.objects.filter(**in_street),
    )

    facilities = loader.sync(
        Facility,
        ("community_id", "name"),
        _facility_rows(cid),
        Facility.objects.filter(**in_street),
    )
    loader.sync(
        UpgradeProject,
        ("community_id", "name"),
        (
            {
                "community_id": cid[short],
                "name": name,
                "planned_year": year,
                "status": status,
                "completed_on": parse_date(done),
                "investment": Decimal(inv),
            }
            for short, rows in UPGRADES.items()
            for name, year, status, done, inv in rows
        ),
        UpgradeProject.objects.filter(**in_street),
    )
    brands = loader.sync(
        Brand,
        ("community_id", "name"),
        (
            {
                "community_id": cid[short],
                "name": name,
                "category": cat,
                "recognised_year": year,
                "revoked_year": revoked,
                "recognised_by": by,
                "description": text,
            }
            for short, rows in BRANDS.items()
            for name, cat, year, revoked, by, text in rows
        ),
        Brand.objects.filter(**in_street),
    )

    people_rows = {p.short: person_rows(p, street) for p in PROFILES}
    persons = loader.sync(
        Person,
        ("street_id", "code"),
        (r for p in PROFILES for r in people_rows[p.short]),
        Person.objects.filter(street=street),
    )
    pid = {
        p.short: [persons[(street.pk, r["code"])].pk for r in people_rows[p.short]]
        for p in PROFILES
    }
    names = {persons[k].pk: persons[k] for k in persons}

    teams = load_teams(loader, cid, pid, names)
    services = service_plan(pid)
    volunteers = loader.sync(
        Volunteer,
        ("person_id",),
        volunteer_rows(cid, pid, services),
        Volunteer.objects.filter(**in_street),
    )
    loader.sync(
        ServiceRecord,
        ("volunteer_id", "date", "content"),
        (
            {"volunteer_id": volunteers[(person,)].pk, **entry}
            for person, entries in services.items()
            for entry in entries
        ),
        ServiceRecord.objects.filter(volunteer__community__street=street),
    )
    loader.sync(
        Certificate,
        ("number",),
        certificate_rows(cid, pid),
        Certificate.objects.filter(**in_street),
    )
    loader.sync(
        Cadre,
        ("community_id", "person_id", "post", "appointed_on"),
        (
            {
                "community_id": cid[short],
                "person_id": pid[short][slot],
                "post": post,
                "appointed_on": parse_date(appointed),
                "left_on": parse_date(left),
            }
            for short, rows in CADRES.items()
            for post, slot, appointed, left, _ in rows
        ),
        Cadre.objects.filter(**in_street),
    )

    load_activities(loader, street, cid, facilities, teams, brands, users, timeline)
    delivery_demo.load(street, as_of=timeline.as_of)
    yearcycle_demo.load(street, as_of=timeline.as_of)
    # After 配送: its handed-over activities are among those awaiting verification.
    loader.tallies["照片"] = add_demo_photos(street, as_of=timeline.as_of)
    loader.tallies["考核定稿"] = finalise_complete_years(street, users["sjq_admin"], timeline)
    district_demo.load(street, as_of=timeline.as_of)
    accounts_demo.load(street, as_of=timeline.as_of)
    service_demo.load(street, as_of=timeline.as_of)
    rectification_demo.load(street, as_of=timeline.as_of)

    return DemoResult(tallies=list(loader.tallies.values()), timeline=timeline)


def _facility_rows(cid: dict[str, int]) -> Iterable[dict[str, Any]]:
    for short, rows in FACILITIES.items():
        for f in rows:
            yield {
                "community_id": cid[short],
                "name": f.name,
                "kind": f.kind,
                "area": Decimal(f.area) if f.area is not None else None,
                "sets": f.sets,
                "status": f.status,
                "opened_on": parse_date(f.opened),
                "ownership": "共建共享" if f.partner else "自有",
                "partner_unit": f.partner,
                "free_open": f.free_open,
                "note": f.note,
            }
