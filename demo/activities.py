"""Each community's activities of each year: planned from its profile, then written with
places, teams, archives and the verification workflow."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, replace
from typing import Any

from activities.models import (
    Activity,
    ActivityCategory,
    ActivityPartner,
    ActivityScale,
    ActivityStatus,
    ActivityTransition,
)
from communities.models import (
    Street,
)
from facilities.models import Facility, FacilityKind, FacilityStatus
from teams.models import (
    Team,
    TeamCategory,
)

from .accounts import DEMO_USERS
from .plan import (
    CULTURE_BRAND,
    CULTURE_EVENTS,
    EXCHANGES,
    FESTIVALS,
    RETURN_REASONS,
    SPORTS_BRAND,
    SPORTS_EVENTS,
)
from .profiles import PROFILES, YEARS, Profile
from .timeline import SEED_CURRENT_YEAR, Timeline
from .upsert import Loader, at_time, seeded_rng, shift_date, shift_text

# The year in progress, by how many days ago an activity took place: a draft for a day or two,
# then awaiting verification for up to two weeks, then verified.
DRAFT_DAYS = 1
PENDING_DAYS = 14
RETURNED_IN = "三叉"  # the community with this year's returned activity


def _event_date(year: int, when: Any, offset: int, jitter: int) -> dt.date:
    if isinstance(when, str):
        month, day = FESTIVALS[year][when]
    else:
        month, day = when
    return dt.date(year, month, day) + dt.timedelta(days=offset + jitter)


@dataclass
class Planned:
    name: str
    date: dt.date
    category: str
    form: str
    scale: str
    status: str
    is_exchange: bool = False
    partner: str | None = None
    resubmitted: bool = False
    reason: str = ""


def _plan_activities(p: Profile, year: int) -> list[Planned]:
    plan = p.plans[year]
    rng = seeded_rng(p.short, "activities", year)
    hosted = [e for e in EXCHANGES if e[0] == year and e[1] == p.short]
    out: list[Planned] = []
    for _, _host, partner, month, day, status in hosted:
        out.append(
            Planned(
                f"文化走亲·{p.short}社区走进{partner}社区文艺演出",
                dt.date(year, month, day),
                ActivityCategory.CULTURE,
                "文艺演出",
                ActivityScale.MEDIUM,
                status,
                is_exchange=True,
                partner=partner,
                reason=RETURN_REASONS[0] if status == "returned" else "",
            )
        )
    verified_exchanges = sum(1 for e in hosted if e[5] == "verified")
    jitter = p.no % 3 - 1  # communities hold the same event on neighbouring days
    culture_needed = plan.culture - verified_exchanges
    extra = plan.pending + plan.returned + plan.drafts
    events = rng.sample(CULTURE_EVENTS, culture_needed + extra)
    events.sort(key=lambda e: _event_date(year, e[2], e[3], jitter))
    # The latest events are still in the pipeline: drafts last, then pending; returned ones
    # sit among the verified.
    statuses = ["verified"] * culture_needed
    for i in range(plan.returned):
        statuses.insert(max(0, len(statuses) - 2 - 3 * i), "returned")
    statuses += ["pending"] * plan.pending + ["draft"] * plan.drafts
    big_left = max(0, plan.large - verified_exchanges)
    verified_events = [e for e, s in zip(events, statuses, strict=True) if s == "verified"]
    big_names = {e[0] for e in sorted(verified_events, key=lambda e: not e[4])[:big_left]}
    reasons = iter(RETURN_REASONS[(p.no + year) % 3 :] + RETURN_REASONS)
    for (name, form, when, offset, big), status in zip(events, statuses, strict=True):
        reason = next(reasons) if status == "returned" else ""
        if status == "verified":
            scale = (
                (ActivityScale.LARGE if big else ActivityScale.MEDIUM)
                if name in big_names
                else ActivityScale.SMALL
            )
        elif "中型" in reason:
            scale = ActivityScale.MEDIUM
        else:
            scale = ActivityScale.MEDIUM if big else ActivityScale.SMALL
        out.append(
            Planned(
                name,
                _event_date(year, when, offset, jitter),
                ActivityCategory.CULTURE,
                form,
                scale,
                status,
                reason=reason,
            )
        )
    for name, form, when, offset, big in rng.sample(SPORTS_EVENTS, plan.sports):
        scale = (
            ActivityScale.LARGE
            if big and rng.random() < 0.5
            else (ActivityScale.MEDIUM if big else ActivityScale.SMALL)
        )
        out.append(
            Planned(
                name,
                _event_date(year, when, offset, jitter),
                ActivityCategory.SPORTS,
                form,
                scale,
                "verified",
            )
        )
    # One verified activity a year went through a return and a resubmission first.
    resubmitted = [a for a in out if a.status == "verified" and not a.is_exchange]
    if resubmitted and year == 2014:
        rng.choice(resubmitted).resubmitted = True
    out.sort(key=lambda a: (a.date, a.name))
    return out


def complete_plan(p: Profile, year: int) -> list[Planned]:
    """A closed year: what was awaiting verification at its end has been verified since."""
    return [
        replace(a, status="verified") if a.status == "pending" else a
        for a in _plan_activities(p, year)
    ]


def current_plan(p: Profile, seed_as_of: dt.date) -> list[Planned]:
    """The year in progress (in the seed's calendar): last year's calendar one year on, up to
    seed_as_of, its statuses following from each activity's age; one returned activity."""
    out = []
    for a in _plan_activities(p, YEARS[-1]):
        day = shift_date(a.date, 1)
        if day > seed_as_of:
            continue
        age = (seed_as_of - day).days
        status = "draft" if age <= DRAFT_DAYS else "pending" if age <= PENDING_DAYS else "verified"
        out.append(
            replace(a, date=day, status=status, reason="", resubmitted=a.resubmitted and age > 30)
        )
    if p.short == RETURNED_IN:
        done = [a for a in out if a.status == "verified" and not a.is_exchange]
        if done:
            returned = done[-1]
            returned.status, returned.reason = "returned", RETURN_REASONS[1]
            returned.resubmitted = False
    return out


PARTICIPANTS = {
    ActivityScale.LARGE: (300, 800),
    ActivityScale.MEDIUM: (100, 299),
    ActivityScale.SMALL: (30, 99),
}


def load_activities(
    loader: Loader,
    street: Street,
    cid: dict[str, int],
    facilities: dict,
    teams: dict,
    brands: dict,
    users: dict,
    timeline: Timeline,
) -> None:
    creators = {u.community: users[u.username] for u in DEMO_USERS if u.community}
    verifier = users["sjq_staff"]
    rows, transitions, team_links, partner_links = [], [], [], []
    for p in PROFILES:
        creator = creators.get(p.short, verifier)
        own_facilities = [f for (c, _), f in facilities.items() if c == cid[p.short]]
        own_teams = [t for (c, _), t in teams.items() if c == cid[p.short]]
        own_brands = [b for (c, _), b in brands.items() if c == cid[p.short]]
        plans = [(y, complete_plan(p, y)) for y in YEARS]
        plans.append((SEED_CURRENT_YEAR, current_plan(p, timeline.seed_as_of)))
        # Pipeline times of the year in progress never pass as_of.
        latest = at_time(timeline.seed_as_of, 8, 30)
        for year, planned in plans:
            rng = seeded_rng(p.short, "activity-details", year)
            complete = _complete_archives(p, year, planned, rng)
            brand_used: set[str] = set()
            for a in planned:
                # Records already written are in the real calendar, the plan in the seed's.
                real_date = shift_date(a.date, loader.shift)
                place = _place(own_facilities, real_date, a.category)
                team = _team(own_teams, real_date, a.category, rng)
                brand = next(
                    (
                        b
                        for b in own_brands
                        if b.category
                        == (
                            CULTURE_BRAND
                            if a.category == ActivityCategory.CULTURE
                            else SPORTS_BRAND
                        )
                        and b.recognised_year <= year + loader.shift
                        and (b.revoked_year is None or b.revoked_year > year + loader.shift)
                    ),
                    None,
                )
                if brand is not None and (brand.name in brand_used or a.status != "verified"):
                    brand = None
                if brand is not None:
                    brand_used.add(brand.name)
                low, high = PARTICIPANTS[a.scale]
                participants = rng.randint(low, high)
                if a.status == "returned" and "不足100人" in a.reason:
                    participants = rng.randint(60, 95)
                flags = _archive_flags(a, (a.name, a.date) in complete, rng)
                submitted = at_time(
                    a.date + dt.timedelta(days=rng.randint(1, 3)), 16, rng.randint(0, 59)
                )
                if a.status == "pending" and a.date.month == 12 and a.date.day >= 20:
                    submitted = at_time(a.date + dt.timedelta(days=1), 17, 30)
                submitted = min(submitted, latest)
                events = _workflow(a, submitted, rng)
                row = {
                    "community_id": cid[p.short],
                    "name": a.name,
                    "date": a.date,
                    "category": a.category,
                    "form": a.form,
                    "scale": a.scale,
                    "is_exchange": a.is_exchange,
                    "participants": participants,
                    "location_id": place.pk if place else None,
                    "brand_id": brand.pk if brand else None,
                    "description": _description(p, a, place, participants),
                    "status": a.status,
                    "return_reason": a.reason if a.status == "returned" else "",
                    "submitted_at": max(
                        (at for _, to, at, _ in events if to == "pending"), default=None
                    ),
                    "created_by_id": creator.pk,
                    "created_at": min(at_time(a.date, 20, 15), latest)
                    if a.status == "draft"
                    else at_time(a.date + dt.timedelta(days=1), 9, 30),
                    **flags,
                }
                rows.append(row)
                key = (cid[p.short], shift_text(a.name, loader.shift), real_date)
                for frm, to, at, reason in events:
                    by = verifier if to in ("verified", "returned") else creator
                    transitions.append((key, frm, to, at, reason, by.pk))
                if team is not None:
                    team_links.append((key, team.pk))
                if a.partner:
                    partner_links.append((key, cid[a.partner]))
    existing = Activity.objects.filter(community__street=street)
    activities = loader.sync(
        Activity,
        ("community_id", "name", "date"),
        rows,
        existing,
        fix_after_create=("created_at",),
    )
    aid = {k: a.pk for k, a in activities.items()}
    loader.sync(
        ActivityTransition,
        ("activity_id", "from_status", "to_status"),
        (
            {
                "activity_id": aid[key],
                "from_status": frm,
                "to_status": to,
                "at": at,
                "reason": reason,
                "by_id": by,
            }
            for key, frm, to, at, reason, by in transitions
        ),
        ActivityTransition.objects.filter(activity__community__street=street),
        fix_after_create=("at",),
    )
    loader.sync_links(
        "组织团队",
        Activity.teams.through,
        "activity_id",
        "team_id",
        {(aid[k], t) for k, t in team_links},
        Activity.teams.through.objects.filter(activity__community__street=street),
    )
    loader.sync(
        ActivityPartner,
        ("activity_id", "community_id"),
        ({"activity_id": aid[k], "community_id": c} for k, c in partner_links),
        ActivityPartner.objects.filter(activity__community__street=street),
    )


def _complete_archives(
    p: Profile, year: int, planned: list[Planned], rng: random.Random
) -> set[tuple[str, dt.date]]:
    verified = [(a.name, a.date) for a in planned if a.status == "verified"]
    n = round(p.plans[min(year, YEARS[-1])].archive * len(verified))
    return set(rng.sample(verified, n))


def _archive_flags(a: Planned, complete: bool, rng: random.Random) -> dict[str, bool]:
    flags = {f"has_{s}": True for s in ("plan", "arrangement", "material", "image", "summary")}
    if a.status == "draft":
        return {**{k: False for k in flags}, "has_plan": True}
    if a.status == "returned":
        flags["has_image" if "影像" in a.reason else "has_summary"] = False
        return flags
    if a.status == "verified" and not complete:
        flags[rng.choice(["has_image", "has_summary", "has_material"])] = False
        if rng.random() < 0.3:
            flags["has_arrangement"] = False
    return flags


def _workflow(
    a: Planned, submitted: dt.datetime, rng: random.Random
) -> list[tuple[str, str, dt.datetime, str]]:
    """The transitions an activity went through: (from, to, at, reason)."""
    S = ActivityStatus
    if a.status == "draft":
        return []
    steps = [(S.DRAFT, S.PENDING, submitted, "")]
    decided = submitted + dt.timedelta(days=rng.randint(2, 6), hours=-6)
    if a.status == "returned":
        steps.append((S.PENDING, S.RETURNED, decided, a.reason))
    elif a.status == "verified":
        if a.resubmitted:
            again = decided + dt.timedelta(days=3)
            steps += [
                (S.PENDING, S.RETURNED, decided, RETURN_REASONS[1]),
                (S.RETURNED, S.PENDING, again, ""),
                (S.PENDING, S.VERIFIED, again + dt.timedelta(days=2), ""),
            ]
        else:
            steps.append((S.PENDING, S.VERIFIED, decided, ""))
    return steps


def _place(facilities: list[Facility], day: dt.date, category: str) -> Facility | None:
    if category == ActivityCategory.CULTURE:
        kinds = (FacilityKind.CULTURE_ROOM, FacilityKind.MULTI_ROOM, FacilityKind.AUDITORIUM)
    else:
        kinds = (FacilityKind.OUTDOOR_FIELD, FacilityKind.INDOOR_SPORTS, FacilityKind.FITNESS_PATH)
    usable = [
        f
        for f in facilities
        if f.kind in kinds
        and f.status == FacilityStatus.IN_USE
        and f.opened_on
        and f.opened_on <= day
    ]
    usable.sort(key=lambda f: (kinds.index(f.kind), f.name))
    return usable[0] if usable else None


def _team(teams: list[Team], day: dt.date, category: str, rng: random.Random) -> Team | None:
    kind = TeamCategory.CULTURE if category == ActivityCategory.CULTURE else TeamCategory.SPORTS
    active = sorted(
        (
            t
            for t in teams
            if t.category == kind
            and (t.founded_on or day) <= day
            and (t.dissolved_on is None or t.dissolved_on > day)
        ),
        key=lambda t: t.name,
    )
    return rng.choice(active) if active else None


def _description(p: Profile, a: Planned, place: Facility | None, participants: int) -> str:
    where = place.name if place else "社区广场"
    text = f"{p.name}于{a.date:%Y-%m-%d}在{where}举办{a.name}，参与居民约{participants}人。"
    if a.partner:
        text += f"{a.partner}社区文艺骨干应邀共同演出。"
    return text
