"""assessments.gaps: 还差… texts, no database."""

from decimal import Decimal

from assessments import gaps
from assessments.default_scheme import DEFAULT_SCHEME

BANDS = [("优秀", "180"), ("良好", "160"), ("合格", "120"), ("不合格", "0")]
PARAMS = {i["code"]: i["params"] for i in DEFAULT_SCHEME["indicators"]}


def gap(rule, code, value, points, max_points, phrases, parts=None, population=None):
    return gaps.indicator_gap(
        rule=rule,
        params=PARAMS[code],
        value=value,
        parts=parts or {},
        population=population,
        points=Decimal(points),
        max_points=max_points,
        phrases=phrases,
    )


def test_proportional_shortfalls():
    large = gaps.Phrases("还差{n}次大中型文化活动")
    assert gap("proportional", "A5", 3, "5", 10, large) == "还差3次大中型文化活动"
    area = gaps.Phrases("文化活动室面积还差{n}㎡")
    assert gap("proportional", "A1", Decimal("165"), "12.38", 15, area) == "文化活动室面积还差35㎡"
    assert (
        gap("proportional", "A1", Decimal("164.5"), "12.34", 15, area) == "文化活动室面积还差35.5㎡"
    )
    assert gap("proportional", "A1", Decimal("200"), "15", 15, area) == ""


def test_per_capita_needs_whole_people():
    instructors = gaps.Phrases("还差{n}名社会体育指导员")
    # 5 per 1000 of 4321 = 21.605 → 22 needed; 18 held → 4 missing
    assert (
        gap("per_capita", "B3", 18, "16.66", 20, instructors, population=4321)
        == "还差4名社会体育指导员"
    )
    volunteers = gaps.Phrases("还差{n}名文体志愿者")
    assert (
        gap("per_capita", "A8", 120, "8", 10, volunteers, population=5000) == "还差30名文体志愿者"
    )


def test_items_two_parts_ratios_and_stars():
    rooms = gaps.Phrases("还差：{items}")
    text = gap(
        "per_item", "A2", 3, "3", 5, rooms, parts={"present": [True, True, False, True, False]}
    )
    assert text == "还差：培训排练室、共享工程服务点"
    assert gap("per_item", "A9", 0, "0", 5, rooms) == "还差：两委分管文体、文体管理员"
    teams = gaps.Phrases("还差{n}支文化团队", "还差{n}支优秀文化团队")
    assert (
        gap("two_part", "A3", 3, "5.6", 10, teams, parts={"excellent": 1})
        == "还差2支文化团队，还差1支优秀文化团队"
    )
    assert gap("two_part", "A3", 6, "8", 10, teams, parts={"excellent": 1}) == "还差1支优秀文化团队"
    five = gaps.Phrases("有{n}次活动台账未达“五有”", gap_none="本年度没有计入的活动")
    assert gap("ratio", "A10", 7, "7", 10, five, parts={"total": 10}) == "有3次活动台账未达“五有”"
    assert gap("ratio", "A10", 0, "0", 10, five, parts={"total": 0}) == "本年度没有计入的活动"
    stars = gaps.Phrases("星级未达标：目标{target}星，已评{value}星")
    assert (
        gap("star", "B9", 2, "10", 20, stars, parts={"target": None})
        == "星级未达标：目标3星，已评2星"
    )
    sets = gaps.Phrases("还差{n}套健身路径")
    assert gap("capped_multiple", "B1", 1, "5", 10, sets) == "还差1套健身路径"
    room = gaps.Phrases("还差{n}个室内体育活动室")
    assert gap("presence", "B2", 0, "0", 10, room) == "还差1个室内体育活动室"


def test_grade_gap():
    assert gaps.grade_gap(Decimal("147.5"), BANDS, veto=False) == "距良好还差12.5分"
    assert gaps.grade_gap(Decimal("100"), BANDS, veto=False) == "距合格还差20分"
    assert gaps.grade_gap(Decimal("180"), BANDS, veto=False) == ""
    assert gaps.grade_gap(Decimal("190"), BANDS, veto=True) == "一票否决，等次为不合格"


def test_manual_gap_never_silent():
    assert (
        gaps.manual_gap(scored=False, points=None, max_points=10, self_score=Decimal("8"))
        == "待考评（自评8分）"
    )
    assert (
        gaps.manual_gap(scored=False, points=None, max_points=10, self_score=None)
        == "待考评（未自评）"
    )
    assert (
        gaps.manual_gap(scored=True, points=Decimal("6.6"), max_points=10, self_score=None)
        == "考评扣3.4分"
    )
    assert gaps.manual_gap(scored=True, points=Decimal("10"), max_points=10, self_score=None) == ""


def test_fmt():
    assert [gaps.fmt(x) for x in (Decimal("35.00"), Decimal("12.50"), 3, Decimal("0.25"))] == [
        "35",
        "12.5",
        "3",
        "0.25",
    ]
