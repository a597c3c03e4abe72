"""A synthetic city: reproducible records at scale for benchmarks and load tests.

Same shapes and edge cases as real 台账 (pending and returned activities, 文化走亲 partners,
expired certificates, dissolved teams, 在建 facilities, missing population years, people with
two roles), written with bulk inserts one street at a time so memory stays flat. History
tables are not filled: this is generated data, not an edit by anyone.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from activities.models import (
    Activity,
    ActivityPartner,
    ActivityStatus,
    Brand,
    BrandCategory,
)
from communities.models import (
    Award,
    AwardLevel,
    Community,
    CommunityKind,
    Deduction,
    District,
    Population,
    StarRating,
    StarTarget,
    Street,
)
from facilities.models import Facility, FacilityKind, UpgradeProject
from teams.models import (
    Cadre,
    CadrePost,
    Certificate,
    InstructorLevel,
    Person,
    Team,
    TeamHonour,
    TeamMember,
    Volunteer,
)

BATCH = 5000
ACTIVITY_NAMES = [
    "广场舞展演",
    "重阳节文艺汇演",
    "全民健身日健步走",
    "读书分享会",
    "书画展",
    "乒乓球比赛",
    "太极拳交流",
    "戏曲进社区",
    "亲子运动会",
    "消夏晚会",
    "非遗讲座",
    "篮球友谊赛",
]
FORMS = ["文艺演出", "比赛", "讲座", "展览", "培训", "健身活动"]
STATUS_WEIGHTS = [
    (ActivityStatus.VERIFIED, 80),
    (ActivityStatus.PENDING, 10),
    (ActivityStatus.RETURNED, 5),
    (ActivityStatus.DRAFT, 5),
]


@dataclass(frozen=True)
class Size:
    streets: int
    communities: int
    years: int
    first_year: int
    activities_per_year: int = 167  # ≈ 1.5 M for 100 streets × 30 communities × 3 years


def generate(
    size: Size, *, seed: int, progress: Callable[[str], None] = lambda _m: None
) -> dict[str, int]:
    """Create the streets that do not exist yet; returns how many rows of each kind were written."""
    counts: dict[str, int] = {}
    for s in range(size.streets):
        name = f"合成{s + 1:03d}街道"
        if Street.objects.filter(name=name).exists():
            progress(f"{name} 已存在，跳过")
            continue
        rng = random.Random(f"{seed}-{s}")
        with transaction.atomic():
            for k, v in _street(name, rng, size, tag=f"{s + 1:03d}").items():
                counts[k] = counts.get(k, 0) + v
        progress(f"{name} 完成")
    return counts


def _bulk(model, objs: list) -> list:
    return model.objects.bulk_create(objs, batch_size=BATCH)


def _date(rng: random.Random, year: int) -> dt.date:
    return dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(365))


def _street(name: str, rng: random.Random, size: Size, *, tag: str) -> dict[str, int]:
    # Codes are built from positions, not database ids, so the same seed gives the same data.
    years = list(range(size.first_year, size.first_year + size.years))
    street = Street.objects.create(
        name=name, district=District.objects.get_or_create(name="合成区")[0]
    )
    communities = _bulk(
        Community,
        [
            Community(
                street=street,
                name=f"{name.removesuffix('街道')}{c + 1:02d}社区",
                kind=rng.choice(CommunityKind.values),
            )
            for c in range(size.communities)
        ],
    )
    rows: dict[str, list] = {
        k: []
        for k in (
            "population",
            "target",
            "rating",
            "award",
            "deduction",
            "facility",
            "project",
            "brand",
            "team",
            "person",
        )
    }
    index = {c.pk: ci + 1 for ci, c in enumerate(communities)}
    for c in communities:
        residents = rng.randint(2000, 15000)
        for y in years:
            if rng.random() < 0.97:  # a few communities miss a year's figure
                rows["population"].append(
                    Population(
                        community=c,
                        year=y,
                        residents=residents + rng.randint(-300, 300),
                        households=residents // 3,
                    )
                )
            rows["target"].append(
                StarTarget(community=c, year=y, stars=rng.choice([3, 3, 4, 4, 5]))
            )
            if rng.random() < 0.8:
                rows["rating"].append(
                    StarRating(
                        community=c,
                        year=y,
                        stars=rng.choice([2, 3, 3, 4, 4, 5]),
                        rated_by="市体育局",
                    )
                )
            for a in range(rng.choice([0, 0, 1, 2, 3])):
                rows["award"].append(
                    Award(
                        community=c,
                        year=y,
                        name=f"{y}年度先进{a + 1}",
                        level=rng.choice(AwardLevel.values),
                    )
                )
            if rng.random() < 0.15:
                rows["deduction"].append(
                    Deduction(
                        community=c,
                        year=y,
                        item="台账不完整",
                        points=Decimal(rng.choice([1, 2, 5])),
                        veto=rng.random() < 0.03,
                    )
                )
        for f in range(rng.randint(6, 14)):
            kind = rng.choice(FacilityKind.values)
            rows["facility"].append(
                Facility(
                    community=c,
                    name=f"{kind}{f + 1}",
                    kind=kind,
                    area=Decimal(rng.choice([30, 45, 60, 80, 120, 200, 260])),
                    sets=rng.randint(1, 3) if kind == "健身路径" else 0,
                    status=rng.choice(["在用"] * 8 + ["在建", "停用"]),
                    opened_on=_date(rng, rng.choice(years) - 2),
                    ownership=rng.choice(["自有", "自有", "共建共享"]),
                    free_open=rng.random() < 0.6,
                )
            )
        for p in range(rng.randint(0, 2)):
            done = rng.random() < 0.7
            y = rng.choice(years)
            rows["project"].append(
                UpgradeProject(
                    community=c,
                    name=f"提升工程{p + 1}",
                    planned_year=y,
                    status="完成" if done else rng.choice(["计划", "在建"]),
                    completed_on=_date(rng, y) if done else None,
                    investment=Decimal(rng.randint(5, 80)),
                )
            )
        for b in range(rng.randint(0, 3)):
            y = rng.choice(years) - 1
            rows["brand"].append(
                Brand(
                    community=c,
                    name=f"品牌{b + 1}",
                    category=rng.choice(BrandCategory.values),
                    recognised_year=y,
                    revoked_year=y + 2 if rng.random() < 0.1 else None,
                )
            )
        for t in range(rng.randint(6, 14)):
            founded = _date(rng, years[0] - rng.randint(0, 3))
            dissolved = (
                founded + dt.timedelta(days=rng.randint(200, 1500)) if rng.random() < 0.1 else None
            )
            rows["team"].append(
                Team(
                    community=c,
                    name=f"团队{t + 1}",
                    category=rng.choice(["文化", "体育"]),
                    founded_on=founded,
                    dissolved_on=dissolved,
                    leader=f"负责人{t + 1}",
                )
            )
        for p in range(rng.randint(80, 220)):
            rows["person"].append(
                Person(
                    street=street,
                    code=f"{index[c.pk]:02d}-{p + 1:04d}",
                    name=f"居民{tag}{index[c.pk]:02d}{p + 1:04d}",
                    gender=rng.choice(["男", "女"]),
                    birth_year=rng.randint(1940, 2000),
                    phone=f"13{rng.randint(100000000, 999999999)}",
                )
            )
    for key, model in (
        ("population", Population),
        ("target", StarTarget),
        ("rating", StarRating),
        ("award", Award),
        ("deduction", Deduction),
        ("facility", Facility),
        ("project", UpgradeProject),
        ("brand", Brand),
        ("team", Team),
        ("person", Person),
    ):
        rows[key] = _bulk(model, rows[key])

    # Ratings unique per (community, year, stars); awards per (community, year, name): generated so.
    by_community: dict[int, dict[str, list]] = {
        c.pk: {"team": [], "person": [], "facility": [], "brand": []} for c in communities
    }
    for key in ("team", "facility", "brand"):
        for obj in rows[key]:
            by_community[obj.community_id][key].append(obj)
    pk_of = {i: pk for pk, i in index.items()}
    for person in rows["person"]:
        by_community[pk_of[int(person.code.split("-")[0])]]["person"].append(person)

    members, honours, volunteers, certificates, cadres = [], [], [], [], []
    for c in communities:
        people = by_community[c.pk]["person"]
        for team in by_community[c.pk]["team"]:
            for person in rng.sample(people, min(len(people), rng.randint(6, 15))):
                members.append(TeamMember(team=team, person=person, joined_on=team.founded_on))
            for y in years:
                if rng.random() < 0.25:
                    honours.append(
                        TeamHonour(team=team, year=y, title="优秀团队", awarded_by="街道")
                    )
        for person in rng.sample(people, int(len(people) * rng.uniform(0.3, 0.9))):
            reg = _date(rng, rng.choice(years) - 1)
            left = reg + dt.timedelta(days=rng.randint(100, 900)) if rng.random() < 0.1 else None
            volunteers.append(
                Volunteer(
                    person=person,
                    community=c,
                    registered_on=reg,
                    left_on=left,
                    service_hours=Decimal(rng.randint(0, 200)),
                )
            )
        for i, person in enumerate(rng.sample(people, min(len(people), rng.randint(5, 60)))):
            for j in range(2 if rng.random() < 0.1 else 1):  # some hold two certificates
                issued = _date(rng, years[0] - rng.randint(0, 4))
                expires = issued + dt.timedelta(days=365 * 4) if rng.random() < 0.3 else None
                certificates.append(
                    Certificate(
                        person=person,
                        community=c,
                        number=f"ZS{tag}{index[c.pk]:02d}-{i}-{j}",
                        level=rng.choice(
                            InstructorLevel.values[:2] * 3 + InstructorLevel.values[2:]
                        ),
                        issued_on=issued,
                        expires_on=expires,
                        sport="健身操",
                    )
                )
        for post in CadrePost.values:
            if rng.random() < 0.9:
                cadres.append(
                    Cadre(
                        community=c,
                        person=rng.choice(people),
                        post=post,
                        appointed_on=_date(rng, years[0] - rng.randint(0, 4)),
                    )
                )
    _bulk(TeamMember, members)
    _bulk(TeamHonour, honours)
    _bulk(Volunteer, volunteers)
    _bulk(Certificate, certificates)
    _bulk(Cadre, cadres)

    activities: list[Activity] = []
    statuses = [s for s, w in STATUS_WEIGHTS for _ in range(w)]
    for c in communities:
        facilities = [f for f in by_community[c.pk]["facility"] if f.status == "在用"]
        brands = by_community[c.pk]["brand"]
        for y in years:
            for i in range(
                max(0, int(rng.gauss(size.activities_per_year, size.activities_per_year / 5)))
            ):
                d = _date(rng, y)
                complete = rng.random() < 0.75
                activities.append(
                    Activity(
                        community=c,
                        name=f"{rng.choice(ACTIVITY_NAMES)}{i + 1}",
                        date=d,
                        category="文化" if rng.random() < 0.7 else "体育",
                        form=rng.choice(FORMS),
                        scale=rng.choice(["大型", "中型", "小型", "小型"]),
                        is_exchange=rng.random() < 0.03,
                        participants=rng.randint(20, 600),
                        location=rng.choice(facilities) if facilities else None,
                        brand=rng.choice(brands) if brands and rng.random() < 0.2 else None,
                        status=rng.choice(statuses),
                        has_plan=True,
                        has_arrangement=True,
                        has_material=complete or rng.random() < 0.5,
                        has_image=complete or rng.random() < 0.5,
                        has_summary=complete,
                    )
                )
    activities = _bulk(Activity, activities)
    partners = []
    for a in activities:
        if a.is_exchange:
            others = [c for c in communities if c.pk != a.community_id]
            for other in rng.sample(others, min(len(others), rng.randint(1, 2))):
                partners.append(ActivityPartner(activity=a, community=other))
    _bulk(ActivityPartner, partners)
    return {
        "社区": len(communities),
        "人员": len(rows["person"]),
        "团队": len(rows["team"]),
        "团队成员": len(members),
        "志愿者": len(volunteers),
        "证书": len(certificates),
        "干部": len(cadres),
        "设施": len(rows["facility"]),
        "活动": len(activities),
        "走亲社区": len(partners),
    }
