"""The demo street and its ten communities: who they are and what each year holds."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from communities.models import (
    CommunityKind,
)

STREET = "四季青街道"
DISTRICT = "上城区"
YEARS = (2013, 2014)
CHANGE_REASON = "演示数据（load_demo）"
STREET_CENTRE = "四季青街道文体中心"
END = {y: dt.date(y, 12, 31) for y in YEARS}


@dataclass(frozen=True)
class YearPlan:
    """Counted (verified) activities of a year, and what else is in the pipeline."""

    culture: int  # verified culture activities, 文化走亲 hosted included
    large: int  # of which 大型/中型
    sports: int  # verified sports activities
    archive: float  # share of verified activities with all five 五有 items
    pending: int = 0
    returned: int = 0
    drafts: int = 0


@dataclass(frozen=True)
class Profile:
    short: str
    no: int
    kind: str
    residents: tuple[int, int]  # 2013, 2014
    volunteer_rate: float  # active volunteers at the end of 2014 / residents
    instructors_per_k: float  # active instructors at the end of 2014 per 1,000 residents
    first_level: int  # 一级 instructors besides cadres
    culture_teams: int  # active at the end of 2014
    sports_teams: int
    excellent: dict[int, tuple[int, int]]  # year -> (culture, sports) teams honoured 优秀团队
    plans: dict[int, YearPlan]
    ratings: dict[int, int]  # 星级评定 awarded
    dissolved_teams: int = 0
    new_team_2014: bool = False

    @property
    def name(self) -> str:
        return f"{self.short}社区"


R = CommunityKind
PROFILES: tuple[Profile, ...] = (
    Profile(
        "三叉",
        1,
        R.ORDINARY,
        (8420, 8650),
        0.034,
        4.6,
        2,
        6,
        6,
        {2013: (2, 1), 2014: (2, 2)},
        {
            2013: YearPlan(13, 7, 4, 0.8, returned=1),
            2014: YearPlan(16, 8, 5, 0.85, pending=2, returned=1, drafts=1),
        },
        {2013: 4, 2014: 4},
        dissolved_teams=1,
    ),
    Profile(
        "钱塘",
        2,
        R.ORDINARY,
        (9560, 9800),
        0.031,
        4.1,
        1,
        5,
        5,
        {2013: (1, 1), 2014: (2, 2)},
        {
            2013: YearPlan(12, 6, 3, 0.75),
            2014: YearPlan(14, 6, 3, 0.9, pending=1, returned=1, drafts=1),
        },
        {2013: 3, 2014: 4},
    ),
    Profile(
        "江锦",
        3,
        R.ORDINARY,
        (5400, 5600),
        0.020,
        4.3,
        1,
        5,
        4,
        {2013: (1, 0), 2014: (2, 1)},
        {2013: YearPlan(10, 4, 2, 0.7, returned=1), 2014: YearPlan(12, 6, 2, 0.8, pending=1)},
        {2013: 3, 2014: 4},
        new_team_2014=True,
    ),
    Profile(
        "五福",
        4,
        R.ORDINARY,
        (7120, 7300),
        0.024,
        3.6,
        1,
        5,
        5,
        {2013: (1, 1), 2014: (1, 2)},
        {2013: YearPlan(11, 5, 3, 0.8), 2014: YearPlan(13, 6, 3, 0.85, pending=2, returned=1)},
        {2013: 3, 2014: 3},
        dissolved_teams=1,
    ),
    Profile(
        "钱杭",
        5,
        R.ORDINARY,
        (6050, 6200),
        0.027,
        5.2,
        1,
        6,
        5,
        {2013: (2, 1), 2014: (2, 1)},
        {2013: YearPlan(13, 6, 4, 0.9), 2014: YearPlan(14, 7, 4, 0.95, pending=1, drafts=2)},
        {2013: 4, 2014: 4},
    ),
    Profile(
        "城星",
        6,
        R.ORDINARY,
        (4150, 4300),
        0.033,
        5.1,
        0,
        5,
        4,
        {2013: (1, 1), 2014: (1, 1)},
        {2013: YearPlan(10, 4, 2, 0.85), 2014: YearPlan(12, 5, 2, 0.9, returned=1)},
        {2013: 3, 2014: 3},
    ),
    Profile(
        "水湘",
        7,
        R.PARTLY_RESETTLED,
        (5050, 5200),
        0.016,
        2.5,
        0,
        4,
        4,
        {2013: (0, 0), 2014: (1, 0)},
        {
            2013: YearPlan(8, 3, 1, 0.6, returned=1),
            2014: YearPlan(10, 4, 2, 0.7, pending=2, returned=2, drafts=1),
        },
        {2013: 2, 2014: 2},
        dissolved_teams=1,
    ),
    Profile(
        "钱江苑",
        8,
        R.PARTLY_RESETTLED,
        (6600, 6800),
        0.015,
        2.9,
        1,
        5,
        4,
        {2013: (1, 0), 2014: (1, 1)},
        {2013: YearPlan(9, 3, 2, 0.7), 2014: YearPlan(12, 4, 2, 0.75, pending=1, returned=1)},
        {2013: 3, 2014: 3},
    ),
    Profile(
        "三堡",
        9,
        R.RESETTLED,
        (10150, 10400),
        0.013,
        2.5,
        1,
        5,
        4,
        {2013: (0, 1), 2014: (1, 1)},
        {
            2013: YearPlan(8, 3, 2, 0.6),
            2014: YearPlan(10, 4, 2, 0.7, pending=3, returned=1, drafts=1),
        },
        {2013: 3, 2014: 2},
        dissolved_teams=1,
    ),
    Profile(
        "运新",
        10,
        R.RESETTLED,
        (10900, 11200),
        0.018,
        3.2,
        1,
        5,
        5,
        {2013: (1, 1), 2014: (2, 2)},
        {
            2013: YearPlan(11, 6, 3, 0.75, returned=1),
            2014: YearPlan(13, 7, 4, 0.8, pending=1, drafts=1),
        },
        {2013: 3, 2014: 4},
        new_team_2014=True,
    ),
)
BY_SHORT = {p.short: p for p in PROFILES}

# 目标星级 exactly as plan 四(三)4 sets them (its first year is 2013); 城星 has none.
STAR_TARGETS: dict[int, dict[str, int]] = {
    2013: {"三叉": 4, "钱杭": 4, "三堡": 3, "五福": 3, "钱江苑": 3, "钱塘": 3, "运新": 3},
    2014: {
        "三叉": 4,
        "钱杭": 4,
        "钱塘": 4,
        "运新": 4,
        "五福": 4,
        "江锦": 4,
        "三堡": 3,
        "水湘": 3,
        "钱江苑": 3,
    },
}
