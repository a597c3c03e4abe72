"""四季青街道: the demo street of seed 000, with two years (2013, 2014) of records.

Everything is derived from the tables below and from random.Random seeded per community
and purpose, so every run produces the same records. Loading is an upsert on natural keys
that writes only what differs: a second run adds no rows and no history rows.

The figures follow the plan where it is explicit (communities, star targets, the upgrade
schedule, the culture rooms to be built, school sharing for 钱杭/钱江苑/钱塘) and are
varied elsewhere so that the 2014 assessment spreads over 优秀, 良好 and 合格.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.db.models import Model, QuerySet
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from activities.models import (
    Activity,
    ActivityCategory,
    ActivityPartner,
    ActivityScale,
    ActivityStatus,
    ActivityTransition,
    Brand,
    BrandCategory,
)
from delivery import demo_data as delivery_demo
from facilities.models import Facility, FacilityKind, FacilityStatus, UpgradeProject
from teams.models import (
    Cadre,
    CadrePost,
    Certificate,
    InstructorLevel,
    Person,
    ServiceRecord,
    Team,
    TeamCategory,
    TeamHonour,
    TeamMember,
    Volunteer,
)

from .admin_scope import ensure_role_groups, sync_role_group
from .models import (
    Award,
    AwardLevel,
    Community,
    CommunityKind,
    Deduction,
    Grid,
    Membership,
    Population,
    Role,
    StarRating,
    StarTarget,
    Street,
)

STREET = "四季青街道"
DISTRICT = "上城区"
YEARS = (2013, 2014)
CHANGE_REASON = "演示数据（load_demo）"
STREET_CENTRE = "四季青街道文体中心"
END = {y: dt.date(y, 12, 31) for y in YEARS}

# ------------------------------------------------------------------ the communities


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

# ------------------------------------------------------------------ facilities


@dataclass(frozen=True)
class F:
    name: str
    kind: str
    area: int | None
    opened: str | None
    sets: int = 0
    status: str = FacilityStatus.IN_USE
    partner: str = ""  # a partner unit makes the facility 共建共享
    free_open: bool = True
    note: str = ""


K = FacilityKind
BUILDING = FacilityStatus.BUILDING
CLOSED = FacilityStatus.CLOSED
FACILITIES: dict[str, list[F]] = {
    "三叉": [
        F("三叉社区文化家园", K.CULTURE_ROOM, 180, "2011-05-01"),
        F("多功能活动室", K.MULTI_ROOM, 120, "2011-05-01"),
        F("图书阅览室", K.READING_ROOM, 60, "2010-09-01"),
        F("培训排练室", K.TRAINING_ROOM, 50, "2012-03-01"),
        F("老年活动室", K.RECREATION_ROOM, 40, "2009-06-01"),
        F("文化信息资源共享工程服务点", K.SHARING_POINT, None, "2011-05-01"),
        F("室内健身房", K.INDOOR_SPORTS, 90, "2012-06-01"),
        F("健身路径（三叉公园）", K.FITNESS_PATH, None, "2010-04-01", sets=2),
        F("健身路径（中心广场）", K.FITNESS_PATH, None, "2013-05-01", sets=1),
        F("门球场", K.OUTDOOR_FIELD, 600, "2008-10-01"),
        F("文化长廊", K.CULTURE_CORRIDOR, 80, "2012-09-01"),
    ],
    "钱塘": [
        F("钱塘社区文化活动室", K.CULTURE_ROOM, 150, "2010-06-01"),
        F(
            "钱塘多功能厅",
            K.MULTI_ROOM,
            70,
            "2012-04-01",
            partner="钱江国际时代广场物业",
            note="与辖区楼宇共建，周末向居民开放",
        ),
        F("图书阅览室", K.READING_ROOM, 50, "2010-06-01"),
        F("棋牌娱乐室", K.RECREATION_ROOM, 40, "2010-06-01"),
        F("排练室", K.TRAINING_ROOM, 40, "2013-04-01"),
        F("共享工程服务点", K.SHARING_POINT, None, "2011-03-01"),
        F(
            "室内体育活动室",
            K.INDOOR_SPORTS,
            80,
            None,
            status=BUILDING,
            note="结合提升工程改建，预计2015年投用",
        ),
        F("健身路径（钱塘公园）", K.FITNESS_PATH, None, "2009-09-01", sets=1),
        F("健身路径（近江小区）", K.FITNESS_PATH, None, "2012-10-01", sets=1),
        F(
            "钱塘小学运动场",
            K.OUTDOOR_FIELD,
            3200,
            "2013-09-01",
            partner="钱塘小学",
            note="共建协议：课余时间和节假日向居民免费开放",
        ),
    ],
    "江锦": [
        F(
            "江锦社区文化活动室",
            K.CULTURE_ROOM,
            220,
            "2014-05-18",
            note="行动计划新建项目，2014年5月建成投用",
        ),
        F("多功能活动室", K.MULTI_ROOM, 50, "2010-03-01"),
        F("图书阅览室", K.READING_ROOM, 40, "2011-01-01"),
        F("文体娱乐室", K.RECREATION_ROOM, 30, "2010-03-01"),
        F("共享工程服务点", K.SHARING_POINT, None, "2011-06-01"),
        F("室内健身室", K.INDOOR_SPORTS, 50, "2012-05-01"),
        F("健身路径", K.FITNESS_PATH, None, "2011-04-01", sets=2),
    ],
    "五福": [
        F("五福社区文化活动室", K.CULTURE_ROOM, 130, "2009-05-01"),
        F(
            "五福社区老年活动室",
            K.RECREATION_ROOM,
            150,
            "2013-09-28",
            note="行动计划新建项目，2013年重阳节前投用",
        ),
        F("多功能活动室", K.MULTI_ROOM, 60, "2011-02-01"),
        F("图书阅览室", K.READING_ROOM, 40, "2009-05-01"),
        F("培训排练室", K.TRAINING_ROOM, 30, "2012-08-01"),
        F("共享工程服务点", K.SHARING_POINT, None, "2011-06-01"),
        F("室内体育活动室", K.INDOOR_SPORTS, 60, "2012-11-01"),
        F("健身路径", K.FITNESS_PATH, None, "2010-05-01", sets=2),
    ],
    "钱杭": [
        F("钱杭社区文化活动中心", K.CULTURE_ROOM, 160, "2010-10-01"),
        F("多功能活动室", K.MULTI_ROOM, 80, "2010-10-01"),
        F("电子阅览室", K.E_READING_ROOM, 40, "2011-09-01"),
        F("培训排练室", K.TRAINING_ROOM, 45, "2012-03-01"),
        F("文体娱乐室", K.RECREATION_ROOM, 35, "2010-10-01"),
        F("共享工程服务点", K.SHARING_POINT, None, "2011-09-01"),
        F("室内乒乓球室", K.INDOOR_SPORTS, 70, "2012-07-01"),
        F("健身路径", K.FITNESS_PATH, None, "2010-06-01", sets=2),
        F(
            "四季青实验学校运动场",
            K.OUTDOOR_FIELD,
            2400,
            "2012-09-01",
            partner="四季青实验学校",
            note="共建协议：每日17:00后及节假日向居民免费开放",
        ),
    ],
    "城星": [
        F("城星社区文化活动室", K.CULTURE_ROOM, 120, "2011-04-01"),
        F("多功能活动室", K.MULTI_ROOM, 50, "2011-04-01"),
        F("图书阅览室", K.READING_ROOM, 40, "2011-04-01"),
        F("文体娱乐室", K.RECREATION_ROOM, 30, "2012-02-01"),
        F("共享工程服务点", K.SHARING_POINT, None, "2011-10-01"),
        F("室内健身房", K.INDOOR_SPORTS, 60, "2012-09-01"),
        F("健身路径", K.FITNESS_PATH, None, "2011-05-01", sets=1),
    ],
    "水湘": [
        F(
            "水湘社区文化活动室",
            K.CULTURE_ROOM,
            260,
            None,
            status=BUILDING,
            note="行动计划新建项目，受拆迁安置影响尚未完工",
        ),
        F("临时活动室", K.MULTI_ROOM, 90, "2010-08-01"),
        F("图书阅览室", K.READING_ROOM, 40, "2010-08-01"),
        F("共享工程服务点", K.SHARING_POINT, None, "2012-01-01"),
        F("健身房", K.INDOOR_SPORTS, 45, "2013-11-20"),
        F("健身路径", K.FITNESS_PATH, None, "2013-11-20", sets=2),
    ],
    "钱江苑": [
        F("钱江苑社区文化活动室", K.CULTURE_ROOM, 120, "2008-06-01"),
        F("图书阅览室", K.READING_ROOM, 35, "2008-06-01"),
        F("培训排练室", K.TRAINING_ROOM, 50, "2014-10-15"),
        F(
            "钱江苑小学多功能厅",
            K.MULTI_ROOM,
            None,
            "2013-03-01",
            partner="钱江苑小学",
            note="共建共享，社区活动预约使用",
        ),
        F("共享工程服务点", K.SHARING_POINT, None, "2011-06-01"),
        F("室内体育活动室", K.INDOOR_SPORTS, 50, "2014-10-15"),
        F("健身路径", K.FITNESS_PATH, None, "2009-04-01", sets=2),
        F(
            "钱江苑小学操场",
            K.OUTDOOR_FIELD,
            2800,
            "2013-03-01",
            partner="钱江苑小学",
            note="共建协议：节假日向居民免费开放",
        ),
    ],
    "三堡": [
        F("三堡社区文化活动室", K.CULTURE_ROOM, 80, "2007-05-01"),
        F("多功能活动室", K.MULTI_ROOM, 50, "2009-03-01"),
        F("图书阅览室", K.READING_ROOM, 30, "2009-03-01"),
        F("棋牌室", K.RECREATION_ROOM, 20, "2009-03-01"),
        F("共享工程服务点", K.SHARING_POINT, None, "2012-05-01"),
        F(
            "三堡社区文体中心",
            K.CULTURE_ROOM,
            300,
            None,
            status=BUILDING,
            note="提升工程在建，原定2014年完成",
        ),
        F("室内健身室", K.INDOOR_SPORTS, 40, "2011-06-01"),
        F("健身路径", K.FITNESS_PATH, None, "2010-09-01", sets=2),
        F("老文化室", K.MULTI_ROOM, 60, "2001-01-01", status=CLOSED, note="危房，已停用"),
    ],
    "运新": [
        F("运新社区文化中心", K.CULTURE_ROOM, 200, "2014-12-20", note="提升工程新建"),
        F("多功能活动室", K.MULTI_ROOM, 90, "2014-12-20"),
        F("图书阅览室", K.READING_ROOM, 50, "2012-01-01"),
        F("培训排练室", K.TRAINING_ROOM, 40, "2012-01-01"),
        F("文体娱乐室", K.RECREATION_ROOM, 40, "2012-01-01"),
        F("共享工程服务点", K.SHARING_POINT, None, "2012-01-01"),
        F("原村文化室", K.MULTI_ROOM, 80, "2004-06-01", status=CLOSED, note="提升工程后停用"),
        F("室内体育活动室", K.INDOOR_SPORTS, 80, "2014-12-20"),
        F("健身路径（运新公园）", K.FITNESS_PATH, None, "2011-03-01", sets=2),
        F("健身路径（安置小区）", K.FITNESS_PATH, None, "2014-12-20", sets=1),
        F("运新篮球场", K.OUTDOOR_FIELD, 600, "2012-01-01"),
    ],
}

# 提升工程: plan 四(一)2 — six communities done first, 水湘 2013, then 钱江苑/三堡/运新 2014.
# (name, planned year, status, completed on, investment 万元)
UPGRADES: dict[str, list[tuple[str, int, str, str | None, str]]] = {
    "三叉": [("三叉社区文体设施提升工程", 2012, "完成", "2012-10-20", "85")],
    "钱塘": [("钱塘社区文体设施提升工程", 2012, "完成", "2012-11-15", "120")],
    "江锦": [
        ("江锦社区文体设施提升工程", 2012, "完成", "2012-09-30", "60"),
        ("江锦社区文化活动室新建", 2014, "完成", "2014-05-18", "95"),
    ],
    "五福": [
        ("五福社区文体设施提升工程", 2012, "完成", "2012-12-10", "75"),
        ("五福社区老年活动室新建", 2013, "完成", "2013-09-28", "68"),
    ],
    "钱杭": [("钱杭社区文体设施提升工程", 2012, "完成", "2012-08-25", "90")],
    "城星": [("城星社区文体设施提升工程", 2012, "完成", "2012-11-28", "55")],
    "水湘": [
        ("水湘社区文体设施提升工程", 2013, "完成", "2013-11-20", "110"),
        ("水湘社区文化活动室新建", 2014, "在建", None, "130"),
    ],
    "钱江苑": [("钱江苑社区文体设施提升工程", 2014, "完成", "2014-10-15", "150")],
    "三堡": [("三堡社区文体设施提升工程", 2014, "在建", None, "160")],
    "运新": [("运新社区文体设施提升工程", 2014, "完成", "2014-12-20", "180")],
}

# ------------------------------------------------------------------ cadres and brands

# (post, slot in the community's people, appointed, left, certificate (level, issued, expires))
CadreRow = tuple[str, int, str, str | None, tuple[str, str, str | None] | None]
COMMITTEE, MANAGER = CadrePost.COMMITTEE, CadrePost.MANAGER
L3, L2, L1 = InstructorLevel.THIRD, InstructorLevel.SECOND, InstructorLevel.FIRST
CADRES: dict[str, list[CadreRow]] = {
    "三叉": [
        (COMMITTEE, 0, "2009-04-01", None, (L1, "2012-06-15", None)),
        (MANAGER, 1, "2013-03-01", None, (L3, "2013-09-20", None)),
    ],
    "钱塘": [
        (COMMITTEE, 0, "2010-03-01", None, (L3, "2011-05-10", None)),
        (MANAGER, 1, "2012-09-01", None, (L3, "2013-05-18", None)),
    ],
    "江锦": [
        (COMMITTEE, 0, "2012-02-01", None, (L3, "2012-10-12", None)),
        (MANAGER, 1, "2013-08-01", None, None),
    ],
    "五福": [
        (COMMITTEE, 0, "2011-05-01", None, (L2, "2012-11-08", None)),
        (MANAGER, 2, "2010-03-01", "2013-05-31", (L3, "2010-12-01", None)),
        (MANAGER, 1, "2013-06-01", None, (L3, "2014-03-22", None)),
    ],
    "钱杭": [
        (COMMITTEE, 0, "2010-06-01", None, (L1, "2013-04-26", None)),
        (MANAGER, 1, "2014-04-01", None, None),
    ],
    "城星": [
        (COMMITTEE, 0, "2011-03-01", None, (L2, "2012-05-30", None)),
        (MANAGER, 1, "2014-08-01", None, None),
    ],
    "水湘": [
        (COMMITTEE, 0, "2013-03-01", None, (L3, "2013-11-16", None)),
        (MANAGER, 1, "2014-02-10", None, None),
    ],
    "钱江苑": [
        (COMMITTEE, 0, "2012-05-01", None, (L3, "2012-12-06", None)),
        (MANAGER, 1, "2013-12-15", None, None),
    ],
    "三堡": [(COMMITTEE, 0, "2011-01-01", None, (L3, "2011-10-20", None))],
    "运新": [
        (COMMITTEE, 0, "2010-09-01", None, (L1, "2014-02-21", None)),
        (MANAGER, 1, "2012-11-01", None, (L3, "2010-06-30", "2014-06-30")),
    ],
}

CULTURE_BRAND, SPORTS_BRAND = BrandCategory.CULTURE, BrandCategory.SPORTS
# (name, category, recognised, revoked, recognised by, description)
BRANDS: dict[str, list[tuple[str, str, int, int | None, str, str]]] = {
    "三叉": [
        (
            "三叉腰鼓",
            CULTURE_BRAND,
            2012,
            None,
            "上城区文化广电新闻出版局",
            "三叉社区腰鼓队常年排练演出，多次参加区、市展演。",
        ),
        ("三叉门球", SPORTS_BRAND, 2013, None, "上城区体育局", "社区门球队为区门球赛常胜队伍。"),
    ],
    "钱塘": [
        (
            "钱塘越韵",
            CULTURE_BRAND,
            2012,
            None,
            "上城区文化广电新闻出版局",
            "越剧票友社每月一次越剧沙龙。",
        ),
        ("钱塘健步走", SPORTS_BRAND, 2013, None, "上城区体育局", "沿江健步走，每周三次。"),
    ],
    "江锦": [
        ("江锦腰鼓", CULTURE_BRAND, 2011, 2013, "四季青街道", "腰鼓队解散后品牌撤销。"),
        ("江锦羽毛球", SPORTS_BRAND, 2014, None, "上城区体育局", ""),
    ],
    "五福": [
        (
            "五福合唱",
            CULTURE_BRAND,
            2013,
            None,
            "上城区文化广电新闻出版局",
            "五福夕阳红合唱团的系列演出。",
        ),
        ("五福柔力球", SPORTS_BRAND, 2014, None, "上城区体育局", ""),
    ],
    "钱杭": [
        (
            "钱杭书画",
            CULTURE_BRAND,
            2011,
            None,
            "杭州市文化广电新闻出版局",
            "书画社与学校共办书画班。",
        ),
        ("钱杭太极", SPORTS_BRAND, 2012, None, "上城区体育局", ""),
    ],
    "城星": [
        ("城星读书会", CULTURE_BRAND, 2013, None, "上城区文化广电新闻出版局", "每月一期读书分享。"),
        ("城星乒乓", SPORTS_BRAND, 2012, None, "上城区体育局", ""),
    ],
    "水湘": [("水湘健身气功", SPORTS_BRAND, 2014, None, "上城区体育局", "")],
    "钱江苑": [("钱江苑睦邻节", CULTURE_BRAND, 2013, None, "四季青街道", "每年九月的邻里文化节。")],
    "三堡": [("三堡门球", SPORTS_BRAND, 2012, None, "上城区体育局", "")],
    "运新": [
        ("运新排舞", CULTURE_BRAND, 2014, None, "上城区文化广电新闻出版局", ""),
        ("运新龙舟", SPORTS_BRAND, 2012, None, "上城区体育局", "端午龙舟赛沿袭村里老传统。"),
    ],
}

# ------------------------------------------------------------------ ratings, awards, deductions

STAR_RATED_BY = "杭州市体育局"
AWARDS: dict[str, list[tuple[int, str, str]]] = {
    "三叉": [
        (2013, "上城区群众文化先进集体", AwardLevel.DISTRICT),
        (2014, "杭州市体育先进社区", AwardLevel.CITY),
        (2014, "上城区广场舞大赛一等奖", AwardLevel.DISTRICT),
    ],
    "钱杭": [
        (2013, "杭州市文化示范社区", AwardLevel.CITY),
        (2014, "浙江省体育先进社区", AwardLevel.PROVINCE),
    ],
    "钱塘": [(2014, "上城区群众文化先进集体", AwardLevel.DISTRICT)],
    "五福": [(2014, "上城区合唱比赛二等奖", AwardLevel.DISTRICT)],
    "运新": [
        (2013, "上城区龙舟赛一等奖", AwardLevel.DISTRICT),
        (2014, "杭州市龙舟赛优胜奖", AwardLevel.CITY),
    ],
}
DEDUCTIONS: dict[str, list[tuple[int, str, str]]] = {
    "水湘": [(2013, "活动台账报送不及时", "1.00"), (2014, "活动台账报送不及时", "1.50")],
    "三堡": [(2014, "文体设施安全检查不合格", "2.00")],
    "江锦": [(2014, "健身器材维护不到位", "1.00")],
}

# 文化走亲: (year, host, partner, month, day, status)
EXCHANGES: list[tuple[int, str, str, int, int, str]] = [
    (2013, "三叉", "钱塘", 5, 18, "verified"),
    (2013, "钱杭", "城星", 6, 22, "verified"),
    (2013, "五福", "运新", 9, 14, "verified"),
    (2013, "运新", "五福", 11, 9, "verified"),
    (2013, "钱塘", "三叉", 10, 26, "verified"),
    (2013, "三堡", "水湘", 8, 17, "verified"),
    (2014, "三叉", "钱塘", 4, 19, "verified"),
    (2014, "钱塘", "三叉", 10, 11, "verified"),
    (2014, "钱杭", "城星", 5, 24, "verified"),
    (2014, "城星", "钱杭", 9, 20, "verified"),
    (2014, "钱杭", "钱塘", 12, 6, "verified"),
    (2014, "五福", "运新", 6, 14, "verified"),
    (2014, "运新", "五福", 11, 15, "verified"),
    (2014, "钱江苑", "江锦", 7, 12, "verified"),
    (2014, "三堡", "水湘", 8, 23, "verified"),
    (2014, "江锦", "钱江苑", 11, 22, "returned"),
]

# ------------------------------------------------------------------ activity calendar

FESTIVALS = {
    2013: {
        "spring": (2, 10),
        "lantern": (2, 24),
        "dragon": (6, 12),
        "qixi": (8, 13),
        "midautumn": (9, 19),
        "chongyang": (10, 13),
    },
    2014: {
        "spring": (1, 31),
        "lantern": (2, 14),
        "dragon": (6, 2),
        "qixi": (8, 2),
        "midautumn": (9, 8),
        "chongyang": (10, 2),
    },
}
# (name, form, (month, day) or festival, offset days, big) — big events are held 大型/中型.
CULTURE_EVENTS: list[tuple[str, str, Any, int, bool]] = [
    ("元旦迎新文艺联欢会", "文艺演出", (1, 3), 0, True),
    ("“送春联 送祝福”迎新春活动", "节庆活动", "spring", -5, False),
    ("元宵灯谜会", "节庆活动", "lantern", 0, False),
    ("学雷锋志愿服务文化集市", "志愿服务", (3, 5), 0, False),
    ("“三八”妇女节文艺展演", "文艺演出", (3, 7), 0, True),
    ("清明诗词朗诵会", "文艺演出", (4, 3), 0, False),
    ("“书香四季青”读书分享会", "讲座", (4, 23), 0, False),
    ("“幸福四季青”广场舞大赛", "比赛", (5, 17), 0, True),
    ("“红五月”歌咏比赛", "比赛", (5, 24), 0, True),
    ("端午包粽子民俗文化活动", "节庆活动", "dragon", -1, False),
    ("社区文化艺术节开幕式", "文艺演出", (6, 14), 0, True),
    ("“七一”红歌会", "文艺演出", (7, 1), 0, True),
    ("夏夜纳凉晚会", "文艺演出", (7, 19), 0, True),
    ("暑期少儿书法培训班", "培训", (7, 22), 0, False),
    ("七夕民俗文化活动", "节庆活动", "qixi", 0, False),
    ("健康养生知识讲座", "讲座", (8, 20), 0, False),
    ("中秋邻里节文艺晚会", "文艺演出", "midautumn", -1, True),
    ("国庆文艺汇演", "文艺演出", (9, 28), 0, True),
    ("重阳节文艺汇演", "文艺演出", "chongyang", 0, True),
    ("越剧票友演唱会", "文艺演出", (10, 25), 0, False),
    ("“美丽四季青”摄影作品展", "展览", (11, 8), 0, False),
    ("书画作品展", "展览", (11, 22), 0, False),
    ("社区文化成果展演", "文艺演出", (12, 13), 0, True),
    ("年终文艺汇演", "文艺演出", (12, 27), 0, True),
]
SPORTS_EVENTS: list[tuple[str, str, Any, int, bool]] = [
    ("迎新年健身长跑", "健身活动", (1, 4), 0, True),
    ("门球友谊赛", "比赛", (3, 15), 0, False),
    ("社区乒乓球比赛", "比赛", (4, 12), 0, False),
    ("健身气功展示活动", "健身活动", (5, 10), 0, False),
    ("羽毛球比赛", "比赛", (6, 21), 0, False),
    ("全民健身日健步走", "健身活动", (8, 8), 0, True),
    ("社区趣味运动会", "比赛", (9, 13), 0, True),
    ("太极拳展示交流", "健身活动", (10, 18), 0, False),
    ("重阳登高健步走", "健身活动", "chongyang", 1, True),
    ("象棋比赛", "比赛", (11, 15), 0, False),
    ("柔力球比赛", "比赛", (11, 29), 0, False),
]
RETURN_REASONS = [
    "缺少活动影像资料，请补充现场照片后重新提交。",
    "活动总结未上传；参与人数与签到表不一致，请核实。",
    "规模填写有误：参与人数不足100人，不属于中型活动。",
]

# ------------------------------------------------------------------ team names

CULTURE_TEAM_NAMES = [
    ("舞蹈队", "广场舞"),
    ("夕阳红合唱团", "合唱"),
    ("腰鼓队", "腰鼓"),
    ("越剧社", "越剧"),
    ("书画社", "书画"),
    ("摄影协会", "摄影"),
    ("旗袍秀队", "旗袍秀"),
    ("民乐队", "民乐"),
    ("排舞队", "排舞"),
    ("模特队", "时装表演"),
]
SPORTS_TEAM_NAMES = [
    ("太极拳队", "太极拳"),
    ("健身气功队", "健身气功"),
    ("门球队", "门球"),
    ("乒乓球队", "乒乓球"),
    ("羽毛球队", "羽毛球"),
    ("柔力球队", "柔力球"),
    ("健步走队", "健步走"),
    ("木兰拳队", "木兰拳"),
    ("象棋队", "象棋"),
]

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶"
    "程苏魏吕丁任沈姚卢姜钟陆汪范金石方俞应楼钱童邵孔汤"
)
FEMALE_CHARS = "秀英华兰芳玲珍丽萍红燕霞凤娟梅琴云莲静敏慧洁雪美月彩爱春菊蓉"
MALE_CHARS = "建国明伟军平华强林海文德荣祥福根生忠良志宏新勇斌杰峰东山发庆"

# ------------------------------------------------------------------ accounts


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    full_name: str
    role: str
    community: str | None = None  # short name, cadres only


DEMO_USERS = (
    DemoUser("sjq_admin", "Wenti#Admin2014", "周丽华", Role.STREET_ADMIN),
    DemoUser("sjq_staff", "Wenti#Staff2014", "陈晓东", Role.STREET_STAFF),
    DemoUser("sancha_cadre", "Wenti#Cadre2014", "李秀英", Role.COMMUNITY_ADMIN, "三叉"),
    DemoUser("qiantang_cadre", "Wenti#Cadre2015", "吴海燕", Role.COMMUNITY_ADMIN, "钱塘"),
    DemoUser("sjq_leader", "Wenti#Leader2014", "张国平", Role.LEADER),
)

# ------------------------------------------------------------------ the upsert


@dataclass
class Tally:
    label: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class DemoResult:
    tallies: list[Tally] = field(default_factory=list)
    users: Sequence[DemoUser] = DEMO_USERS
    street: str = STREET


def _d(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def _rng(*parts: object) -> random.Random:
    return random.Random("sjq-demo:" + ":".join(str(p) for p in parts))


class _Loader:
    def __init__(self, actor: Any) -> None:
        self.actor = actor
        self.tallies: dict[str, Tally] = {}

    def sync(
        self,
        model: type[Model],
        key: Sequence[str],
        rows: Iterable[dict[str, Any]],
        existing: QuerySet,
        *,
        fix_after_create: Sequence[str] = (),
    ) -> dict[tuple, Model]:
        """Insert missing rows and update differing ones; return every row by its key.

        `fix_after_create` names auto_now_add fields: Django stamps them with the current time
        on insert, so the intended value is written afterwards with a plain UPDATE.
        """
        tally = self.tallies.setdefault(
            model._meta.label, Tally(str(model._meta.verbose_name_plural))
        )
        current = {tuple(getattr(o, k) for k in key): o for o in existing}
        new: list[Model] = []
        fixes: list[tuple[Model, dict[str, Any]]] = []
        changed: list[Model] = []
        changed_fields: set[str] = set()
        seen: set[tuple] = set()
        for row in rows:
            k = tuple(row[f] for f in key)
            if k in seen:
                raise ValueError(f"演示数据重复：{model._meta.label} {k}")
            seen.add(k)
            obj = current.get(k)
            if obj is None:
                obj = model(**row)
                new.append(obj)
                fixes.append((obj, {f: row[f] for f in fix_after_create if f in row}))
                continue
            diff = [f for f, v in row.items() if getattr(obj, f) != v]
            if diff:
                for f in diff:
                    setattr(obj, f, row[f])
                changed.append(obj)
                changed_fields.update(diff)
            else:
                tally.unchanged += 1
        has_history = hasattr(model, "history")
        if new:
            if has_history:
                bulk_create_with_history(
                    new,
                    model,
                    batch_size=500,
                    default_user=self.actor,
                    default_change_reason=CHANGE_REASON,
                )
            else:
                model._default_manager.bulk_create(new, batch_size=500)
            tally.created += len(new)
        if changed:
            if has_history:
                bulk_update_with_history(
                    changed,
                    model,
                    sorted(changed_fields),
                    batch_size=500,
                    default_user=self.actor,
                    default_change_reason=CHANGE_REASON,
                )
            else:
                model._default_manager.bulk_update(changed, sorted(changed_fields), batch_size=500)
            tally.updated += len(changed)
        result = {tuple(getattr(o, k) for k in key): o for o in existing.all()}
        fix_objs = []
        for obj, values in fixes:
            if values:
                target = result[tuple(getattr(obj, k) for k in key)]
                for f, v in values.items():
                    setattr(target, f, v)
                fix_objs.append(target)
        if fix_objs:
            model._default_manager.bulk_update(fix_objs, list(fix_after_create), batch_size=500)
        return result

    def sync_links(
        self,
        label: str,
        through: type[Model],
        left: str,
        right: str,
        wanted: set[tuple[int, int]],
        existing: QuerySet,
    ) -> None:
        """Make a plain link table hold exactly `wanted` among the rows in `existing`."""
        tally = self.tallies.setdefault(label, Tally(label))
        have = {(getattr(o, left), getattr(o, right)): o.pk for o in existing}
        missing = wanted - set(have)
        extra = [pk for k, pk in have.items() if k not in wanted]
        through._default_manager.bulk_create(
            [through(**{left: a, right: b}) for a, b in sorted(missing)], batch_size=500
        )
        if extra:
            through._default_manager.filter(pk__in=extra).delete()
        tally.created += len(missing)
        tally.updated += len(extra)
        tally.unchanged += len(wanted) - len(missing)


# ------------------------------------------------------------------ generators


def _person_name(rng: random.Random, female: bool) -> str:
    chars = FEMALE_CHARS if female else MALE_CHARS
    given = rng.choice(chars) + (rng.choice(chars) if rng.random() < 0.7 else "")
    return rng.choice(SURNAMES) + given


def _people(p: Profile, street: Street) -> list[dict[str, Any]]:
    """Everyone the community's records name: cadres first, then residents."""
    rng = _rng(p.short, "people")
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


def _random_day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


def _event_date(year: int, when: Any, offset: int, jitter: int) -> dt.date:
    if isinstance(when, str):
        month, day = FESTIVALS[year][when]
    else:
        month, day = when
    return dt.date(year, month, day) + dt.timedelta(days=offset + jitter)


@dataclass
class _Planned:
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


def _plan_activities(p: Profile, year: int) -> list[_Planned]:
    plan = p.plans[year]
    rng = _rng(p.short, "activities", year)
    hosted = [e for e in EXCHANGES if e[0] == year and e[1] == p.short]
    out: list[_Planned] = []
    for _, _host, partner, month, day, status in hosted:
        out.append(
            _Planned(
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
            _Planned(
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
            _Planned(
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


PARTICIPANTS = {
    ActivityScale.LARGE: (300, 800),
    ActivityScale.MEDIUM: (100, 299),
    ActivityScale.SMALL: (30, 99),
}

# ------------------------------------------------------------------ the load


def load_demo() -> DemoResult:
    """Create or bring up to date 四季青街道 and its demo users (idempotent)."""
    with transaction.atomic():
        return _load()


def _load() -> DemoResult:
    User = get_user_model()
    for u in DEMO_USERS:
        validate_password(u.password, User(username=u.username, first_name=u.full_name))
    street, created = Street.objects.get_or_create(name=STREET, defaults={"district": DISTRICT})
    if street.district != DISTRICT:
        street.district = DISTRICT
        street.save()
    users = _users(street)
    loader = _Loader(users["sjq_admin"])
    street_tally = loader.tallies.setdefault("communities.Street", Tally("街道"))
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
    users.update(_memberships(loader, street, cid, users))
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
            for y, r in zip(YEARS, p.residents, strict=True)
        ),
        Population.objects.filter(**in_street),
    )
    loader.sync(
        StarTarget,
        ("community_id", "year"),
        (
            {"community_id": cid[short], "year": y, "stars": stars}
            for y, targets in STAR_TARGETS.items()
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
                "completed_on": _d(done),
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

    people_rows = {p.short: _people(p, street) for p in PROFILES}
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

    teams = _teams(loader, cid, pid, names)
    services = _service_plan(pid)
    volunteers = loader.sync(
        Volunteer,
        ("person_id",),
        _volunteer_rows(cid, pid, services),
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
        _certificate_rows(cid, pid),
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
                "appointed_on": _d(appointed),
                "left_on": _d(left),
            }
            for short, rows in CADRES.items()
            for post, slot, appointed, left, _ in rows
        ),
        Cadre.objects.filter(**in_street),
    )

    _activities(loader, street, cid, facilities, teams, brands, users)
    loader.tallies["照片"] = __import__("evidence.demo_photos").demo_photos.add_demo_photos(street)
    delivery_demo.load(street)

    return DemoResult(tallies=list(loader.tallies.values()))


def _users(street: Street) -> dict[str, Any]:
    User = get_user_model()
    users = {}
    for u in DEMO_USERS:
        user, _ = User.objects.get_or_create(username=u.username)
        changed = []
        for attr, value in (
            ("first_name", u.full_name),
            ("last_name", ""),
            ("is_active", True),
            ("is_staff", True),
        ):
            if getattr(user, attr) != value:
                setattr(user, attr, value)
                changed.append(attr)
        if not user.check_password(u.password):
            user.set_password(u.password)
            changed.append("password")
        if changed:
            user.save()
        users[u.username] = user
    return users


def _memberships(loader: _Loader, street: Street, cid: dict[str, int], users: dict) -> dict:
    ensure_role_groups()
    loader.sync(
        Membership,
        ("user_id",),
        (
            {
                "user_id": users[u.username].pk,
                "role": u.role,
                "street_id": street.pk,
                "community_id": cid[u.community] if u.community else None,
            }
            for u in DEMO_USERS
        ),
        Membership.objects.filter(user__in=[users[u.username] for u in DEMO_USERS]),
    )
    for u in DEMO_USERS:
        sync_role_group(users[u.username])
    return users


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
                "opened_on": _d(f.opened),
                "ownership": "共建共享" if f.partner else "自有",
                "partner_unit": f.partner,
                "free_open": f.free_open,
                "note": f.note,
            }


def _teams(loader: _Loader, cid: dict[str, int], pid: dict[str, list[int]], names: dict):
    team_rows, member_rows, honour_rows = [], [], []
    for p in PROFILES:
        rng = _rng(p.short, "teams")
        pool = pid[p.short][3:]
        c = cid[p.short]
        for category, catalogue, active in (
            (TeamCategory.CULTURE, CULTURE_TEAM_NAMES, p.culture_teams),
            (TeamCategory.SPORTS, SPORTS_TEAM_NAMES, p.sports_teams),
        ):
            dissolved = p.dissolved_teams if category == TeamCategory.CULTURE else 0
            for i, (suffix, project) in enumerate(catalogue[: active + dissolved]):
                founded = _random_day(rng, dt.date(2003, 1, 1), dt.date(2012, 12, 31))
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
                    joined = _random_day(rng, founded, max(founded, dt.date(2014, 10, 31)))
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


def _service_plan(pid: dict[str, list[int]]) -> dict[int, list[dict[str, Any]]]:
    """A few volunteers per community keep a service log: person id -> its entries."""
    plan = {}
    for p in PROFILES:
        rng = _rng(p.short, "services")
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


def _volunteer_rows(
    cid: dict[str, int], pid: dict[str, list[int]], services: dict[int, list[dict[str, Any]]]
) -> Iterable[dict]:
    for p in PROFILES:
        rng = _rng(p.short, "volunteers")
        active = round(p.volunteer_rate * p.residents[1])
        people = pid[p.short][2:]
        leavers = 1 + p.no % 3
        for i, person in enumerate(people[: active + leavers + 1]):
            if i < active:
                registered = _random_day(rng, dt.date(2010, 1, 1), dt.date(2014, 11, 30))
                left = None
            elif i < active + leavers:
                registered = _random_day(rng, dt.date(2010, 1, 1), dt.date(2012, 12, 31))
                left = _random_day(rng, dt.date(2014, 1, 1), dt.date(2014, 11, 30))
            else:
                # Signed up on paper, registration not completed: not counted (brief).
                registered, left = None, None
            hours = Decimal(rng.randint(4, 160))
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


def _certificate_rows(cid: dict[str, int], pid: dict[str, list[int]]) -> Iterable[dict]:
    for p in PROFILES:
        rng = _rng(p.short, "certificates")
        serial = iter(range(1, 10_000))

        def number(issued: dt.date | None, *, _p: Profile = p, _serial=serial) -> str:
            return f"ZJ{(issued.year if issued else 2014)}{_p.no:02d}{next(_serial):04d}"

        cadre_active = 0
        for _post, slot, _appointed, _left, cert in CADRES.get(p.short, []):
            if cert is None:
                continue
            level, issued, expires = cert
            issued_on, expires_on = _d(issued), _d(expires)
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
                issued = _random_day(
                    rng,
                    dt.date(2008, 3, 1),
                    dt.date(2014, 10, 31) if level == L3 else dt.date(2013, 12, 31),
                )
                expires = dt.date(rng.randint(2018, 2022), 12, 31) if rng.random() < 0.3 else None
            elif i < wanted + expired:
                level = L3
                issued = _random_day(rng, dt.date(2008, 3, 1), dt.date(2010, 12, 31))
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


def _activities(
    loader: _Loader,
    street: Street,
    cid: dict[str, int],
    facilities: dict,
    teams: dict,
    brands: dict,
    users: dict,
) -> None:
    creators = {u.community: users[u.username] for u in DEMO_USERS if u.community}
    verifier = users["sjq_staff"]
    rows, transitions, team_links, partner_links = [], [], [], []
    for p in PROFILES:
        creator = creators.get(p.short, verifier)
        own_facilities = [f for (c, _), f in facilities.items() if c == cid[p.short]]
        own_teams = [t for (c, _), t in teams.items() if c == cid[p.short]]
        own_brands = [b for (c, _), b in brands.items() if c == cid[p.short]]
        for year in YEARS:
            rng = _rng(p.short, "activity-details", year)
            planned = _plan_activities(p, year)
            complete = _complete_archives(p, year, planned, rng)
            brand_used: set[str] = set()
            for a in planned:
                place = _place(own_facilities, a)
                team = _team(own_teams, a, rng)
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
                        and b.recognised_year <= year
                        and (b.revoked_year is None or b.revoked_year > year)
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
                submitted = _at(
                    a.date + dt.timedelta(days=rng.randint(1, 3)), 16, rng.randint(0, 59)
                )
                if a.status == "pending" and a.date.month == 12 and a.date.day >= 20:
                    submitted = _at(a.date + dt.timedelta(days=1), 17, 30)
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
                    "created_at": _at(a.date, 20, 15)
                    if a.status == "draft"
                    else _at(a.date + dt.timedelta(days=1), 9, 30),
                    **flags,
                }
                rows.append(row)
                key = (cid[p.short], a.name, a.date)
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
    p: Profile, year: int, planned: list[_Planned], rng: random.Random
) -> set[tuple[str, dt.date]]:
    verified = [(a.name, a.date) for a in planned if a.status == "verified"]
    n = round(p.plans[year].archive * len(verified))
    return set(rng.sample(verified, n))


def _archive_flags(a: _Planned, complete: bool, rng: random.Random) -> dict[str, bool]:
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
    a: _Planned, submitted: dt.datetime, rng: random.Random
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


def _place(facilities: list[Facility], a: _Planned) -> Facility | None:
    if a.category == ActivityCategory.CULTURE:
        kinds = (K.CULTURE_ROOM, K.MULTI_ROOM, K.AUDITORIUM)
    else:
        kinds = (K.OUTDOOR_FIELD, K.INDOOR_SPORTS, K.FITNESS_PATH)
    usable = [
        f
        for f in facilities
        if f.kind in kinds
        and f.status == FacilityStatus.IN_USE
        and f.opened_on
        and f.opened_on <= a.date
    ]
    usable.sort(key=lambda f: (kinds.index(f.kind), f.name))
    return usable[0] if usable else None


def _team(teams: list[Team], a: _Planned, rng: random.Random) -> Team | None:
    category = (
        TeamCategory.CULTURE if a.category == ActivityCategory.CULTURE else TeamCategory.SPORTS
    )
    active = sorted(
        (
            t
            for t in teams
            if t.category == category
            and (t.founded_on or a.date) <= a.date
            and (t.dissolved_on is None or t.dissolved_on > a.date)
        ),
        key=lambda t: t.name,
    )
    return rng.choice(active) if active else None


def _description(p: Profile, a: _Planned, place: Facility | None, participants: int) -> str:
    where = place.name if place else "社区广场"
    text = f"{p.name}于{a.date:%Y-%m-%d}在{where}举办{a.name}，参与居民约{participants}人。"
    if a.partner:
        text += f"{a.partner}社区文艺骨干应邀共同演出。"
    return text
