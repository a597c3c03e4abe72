"""The people of each community, its teams, volunteers (with their service) and
instructors' certificates."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from communities.models import (
    Street,
)
from teams.models import (
    Team,
    TeamCategory,
    TeamHonour,
    TeamMember,
)

from .plan import (
    CADRES,
    CULTURE_TEAM_NAMES,
    FEMALE_CHARS,
    L1,
    L2,
    L3,
    MALE_CHARS,
    SPORTS_TEAM_NAMES,
    SURNAMES,
)
from .profiles import END, PROFILES, Profile
from .upsert import Loader, parse_date, random_day, seeded_rng


def _person_name(rng: random.Random, female: bool) -> str:
    chars = FEMALE_CHARS if female else MALE_CHARS
    given = rng.choice(chars) + (rng.choice(chars) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given


def person_rows(p: Profile, street: Street) -> list[dict[str, Any]]:
    """Everyone the community's records name: cadres first, then residents."""
    rng = seeded_rng(p.short, "people")
    size = round(p.volunteer_rate * p.residents[1]) + 80
    rows = []
    for i in range(size):
        female = rng.random() < (0.4 if i < 3 else 0.68)
        rows.append(
            {
                "street_id": street.pk,
                "code": f"SJQ{p.no:02d}{i + 1:04d}",
                "name": _person_name(rng, female),
                "gender": "女" if female else "男",
                "birth_year": rng.randint(1962, 1978) if i < 3 else rng.randint(1938, 1990),
                "phone": f"13{rng.randint(0, 9)}{rng.randint(0, 99999999):08d}",
            }
        )
    return rows


def load_teams(loader: Loader, cid: dict[str, int], pid: dict[str, list[int]], names: dict):
    team_rows, member_rows, honour_rows = [], [], []
    for p in PROFILES:
        rng = seeded_rng(p.short, "teams")
        pool = pid[p.short][3:]
        c = cid[p.short]
        for category, catalogue, active in (
            (TeamCategory.CULTURE, CULTURE_TEAM_NAMES, p.culture_teams),
            (TeamCategory.SPORTS, SPORTS_TEAM_NAMES, p.sports_teams),
        ):
            dissolved = p.dissolved_teams if category == TeamCategory.CULTURE else 0
            for i, (suffix, project) in enumerate(catalogue[: active + dissolved]):
                founded = random_day(rng, dt.date(2003, 1, 1), dt.date(2012, 12, 31))
                if p.new_team_2014 and i == active - 1:
                    founded = dt.date(2014, 3, 1) + dt.timedelta(days=p.no * 7)
                gone = dt.date(2014, 3, 31) if i >= active else None
                members = rng.sample(pool, rng.randint(8, 20))
                leader = names[members[0]]
                name = f"{p.short}{suffix}"
                team_rows.append(
                    {
                        "community_id": c,
                        "name": name,
                        "category": category,
                        "project": project,
                        "leader": leader.name,
                        "phone": leader.phone,
                        "founded_on": founded,
                        "dissolved_on": gone,
                    }
                )
                for person in members:
                    joined = random_day(rng, founded, max(founded, dt.date(2014, 10, 31)))
                    member_rows.append((c, name, person, joined))
                if gone is not None:
                    continue
                for year, (n_culture, n_sports) in p.excellent.items():
                    n = n_culture if category == TeamCategory.CULTURE else n_sports
                    # Different teams shine in different years; a team founded in 2014
                    # (the last active one) is never honoured for 2013.
                    rank = i if year == 2014 else (i - 1) % active
                    if rank < n:
                        honour_rows.append((c, name, year, TeamHonour.EXCELLENT, "四季青街道"))
                if i == 0 and category == TeamCategory.CULTURE:
                    # An honour of another title: shown on the team, not counted as 优秀团队.
                    honour_rows.append(
                        (c, name, 2014, "上城区群众文艺展演优秀节目", "上城区文化馆")
                    )
    teams = loader.sync(
        Team,
        ("community_id", "name"),
        team_rows,
        Team.objects.filter(community_id__in=cid.values()),
    )
    loader.sync(
        TeamMember,
        ("team_id", "person_id"),
        (
            {"team_id": teams[(c, name)].pk, "person_id": person, "joined_on": joined}
            for c, name, person, joined in member_rows
        ),
        TeamMember.objects.filter(team__community_id__in=cid.values()),
    )
    loader.sync(
        TeamHonour,
        ("team_id", "year", "title"),
        (
            {"team_id": teams[(c, name)].pk, "year": year, "title": title, "awarded_by": by}
            for c, name, year, title, by in honour_rows
        ),
        TeamHonour.objects.filter(team__community_id__in=cid.values()),
    )
    return teams


SERVICE_CONTENT = ["广场舞大赛现场服务", "图书阅览室值班", "健步走活动秩序引导", "文艺汇演后勤保障"]


def service_plan(pid: dict[str, list[int]]) -> dict[int, list[dict[str, Any]]]:
    """A few volunteers per community keep a service log: person id -> its entries."""
    plan = {}
    for p in PROFILES:
        rng = seeded_rng(p.short, "services")
        for person in pid[p.short][2:5]:
            plan[person] = [
                {
                    "date": dt.date(2014, 3 + 3 * j, 10 + rng.randint(0, 15)),
                    "hours": Decimal(rng.choice(["2.0", "2.5", "3.0", "4.0"])),
                    "content": SERVICE_CONTENT[(j + p.no) % len(SERVICE_CONTENT)],
                }
                for j in range(2 + p.no % 2)
            ]
    return plan


def volunteer_rows(
    cid: dict[str, int], pid: dict[str, list[int]], services: dict[int, list[dict[str, Any]]]
) -> Iterable[dict]:
    for p in PROFILES:
        rng = seeded_rng(p.short, "volunteers")
        active = round(p.volunteer_rate * p.residents[1])
        people = pid[p.short][2:]
        leavers = 1 + p.no % 3
        long_serving = iter(LONG_SERVING[p.no % len(LONG_SERVING) :][:1])
        for i, person in enumerate(people[: active + leavers + 1]):
            if i < active:
                registered = random_day(rng, dt.date(2010, 1, 1), dt.date(2014, 11, 30))
                left = None
            elif i < active + leavers:
                registered = random_day(rng, dt.date(2010, 1, 1), dt.date(2012, 12, 31))
                left = random_day(rng, dt.date(2014, 1, 1), dt.date(2014, 11, 30))
            else:
                # Signed up on paper, registration not completed: not counted (brief).
                registered, left = None, None
            hours = Decimal(rng.randint(4, 160))
            if i < active and person not in services and (extra := next(long_serving, None)):
                # The 注册志愿者 scale is 100/300/600/1000/1500 h: see LONG_SERVING.
                hours = extra + p.no * 7
            if person in services:
                # A volunteer with a service log: the total is the sum of the log.
                hours = sum((e["hours"] for e in services[person]), Decimal("0"))
            yield {
                "person_id": person,
                "community_id": cid[p.short],
                "registered_on": registered,
                "left_on": left,
                "service_hours": hours,
            }


# One long-serving volunteer per community (its first active one without a service log),
# at 二星, 三星, 四星 or 五星 by the community's number, so that each level has a few.
LONG_SERVING = (Decimal(320), Decimal(640), Decimal(1030), Decimal(1530))


def certificate_rows(cid: dict[str, int], pid: dict[str, list[int]]) -> Iterable[dict]:
    for p in PROFILES:
        rng = seeded_rng(p.short, "certificates")
        serial = iter(range(1, 10_000))

        def number(issued: dt.date | None, *, _p: Profile = p, _serial=serial) -> str:
            return f"ZJ{(issued.year if issued else 2014)}{_p.no:02d}{next(_serial):04d}"

        cadre_active = 0
        for _post, slot, _appointed, _left, cert in CADRES.get(p.short, []):
            if cert is None:
                continue
            level, issued, expires = cert
            issued_on, expires_on = parse_date(issued), parse_date(expires)
            if expires_on is None or expires_on > END[2014]:
                cadre_active += 1
            yield {
                "person_id": pid[p.short][slot],
                "community_id": cid[p.short],
                "level": level,
                "number": number(issued_on),
                "issued_on": issued_on,
                "expires_on": expires_on,
                "sport": "太极拳",
            }
        wanted = round(p.instructors_per_k * p.residents[1] / 1000) - cadre_active
        expired = 1 + p.no % 3
        people = rng.sample(pid[p.short][3:], wanted + expired + 1)
        sports = [project for _, project in SPORTS_TEAM_NAMES] + ["广场舞", "排舞"]
        for i, person in enumerate(people):
            if i < wanted:
                level = L1 if i < p.first_level else (L2 if rng.random() < 0.2 else L3)
                issued = random_day(
                    rng,
                    dt.date(2008, 3, 1),
                    dt.date(2014, 10, 31) if level == L3 else dt.date(2013, 12, 31),
                )
                expires = dt.date(rng.randint(2018, 2022), 12, 31) if rng.random() < 0.3 else None
            elif i < wanted + expired:
                level = L3
                issued = random_day(rng, dt.date(2008, 3, 1), dt.date(2010, 12, 31))
                expires = dt.date(2014, 6, 30)
            else:
                # Trained, certificate not yet issued: blank 发证日期 is not valid.
                level, issued, expires = L3, None, None
            yield {
                "person_id": person,
                "community_id": cid[p.short],
                "level": level,
                "number": number(issued),
                "issued_on": issued,
                "expires_on": expires,
                "sport": rng.choice(sports),
            }
            if p.short == "三叉" and i == p.first_level:
                # The same person holds an older, lower certificate too: counted once.
                older = dt.date(2009, 5, 20)
                yield {
                    "person_id": person,
                    "community_id": cid[p.short],
                    "level": L3,
                    "number": number(older),
                    "issued_on": older,
                    "expires_on": None,
                    "sport": "健身气功",
                }
