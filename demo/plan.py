"""Cadres, brands, ratings, awards, deductions, 文化走亲, the festival calendar, 配送
from the street centre and the names teams and people are given."""

from __future__ import annotations

from typing import Any

from activities.models import (
    BrandCategory,
)
from communities.models import (
    AwardLevel,
)
from teams.models import (
    CadrePost,
    InstructorLevel,
)

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
