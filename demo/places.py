"""The communities' facilities and their upgrade projects, as the plan lists them."""

from __future__ import annotations

from dataclasses import dataclass

from facilities.models import FacilityKind, FacilityStatus


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
