"""The rules' check functions: plain values in, a Chinese message or None out (no database)."""

import datetime as dt
from decimal import Decimal

from activities.checks import (
    ActivitySubject,
    archive_missing,
    future_date,
    normalised,
    same_day_duplicate,
    scale_participants,
)
from checks.registry import ERROR, RULES, WARNING, Setting, evaluate, split
from facilities.checks import FacilitySubject, area_out_of_range
from teams.checks import TeamSubject, no_members

TODAY = dt.date(2026, 6, 1)
ON = Setting(True, WARNING, Decimal(50), Decimal(200))


def activity(**kw) -> ActivitySubject:
    return ActivitySubject(**{"name": "游园", "date": TODAY} | kw)


def test_future_date():
    assert future_date(activity(date=TODAY), ON, TODAY) is None
    assert "晚于今天" in future_date(activity(date=dt.date(2026, 6, 2)), ON, TODAY)


def test_scale_against_participants():
    assert scale_participants(activity(), ON, TODAY) is None  # no 规模, nothing to compare
    assert "未填写参与人数" in scale_participants(activity(scale="大型"), ON, TODAY)
    assert scale_participants(activity(scale="大型", participants=200), ON, TODAY) is None
    assert "少于大型活动的 200 人" in scale_participants(
        activity(scale="大型", participants=199), ON, TODAY
    )
    assert "少于中型活动的 50 人" in scale_participants(
        activity(scale="中型", participants=49), ON, TODAY
    )
    assert scale_participants(activity(scale="中型", participants=50), ON, TODAY) is None
    assert "已达到大型活动" in scale_participants(
        activity(scale="小型", participants=200), ON, TODAY
    )
    assert scale_participants(activity(scale="小型", participants=199), ON, TODAY) is None


def test_archive_only_for_activities_sent_for_verification():
    assert archive_missing(activity(for_verification=False), ON, TODAY) is None
    message = archive_missing(
        activity(for_verification=True, archive=frozenset({"plan", "image"})), ON, TODAY
    )
    assert message.endswith("缺少：安排、资料、总结。")
    full = frozenset({"plan", "arrangement", "material", "image", "summary"})
    assert archive_missing(activity(for_verification=True, archive=full), ON, TODAY) is None


def test_same_day_names_compare_without_spaces_punctuation_or_width():
    assert normalised("重阳 游园（一）") == normalised("重阳游园(一)")
    assert "“重阳 游园”" in same_day_duplicate(
        activity(name="重阳游园", same_day_names=("重阳 游园", "合唱")), ON, TODAY
    )
    assert (
        same_day_duplicate(activity(name="重阳游园", same_day_names=("合唱",)), ON, TODAY) is None
    )


def test_team_without_members():
    assert "没有登记任何成员" in no_members(TeamSubject("合唱队", 0), ON, TODAY)
    assert no_members(TeamSubject("合唱队", 3), ON, TODAY) is None
    assert no_members(TeamSubject("合唱队", None), ON, TODAY) is None  # being created
    assert no_members(TeamSubject("合唱队", 0, dissolved=True), ON, TODAY) is None


def test_facility_area_range_is_the_rules_parameter():
    rng = Setting(True, WARNING, Decimal(10), Decimal(500))
    assert area_out_of_range(FacilitySubject("室", None), rng, TODAY) is None
    assert "小于 10 平方米" in area_out_of_range(FacilitySubject("室", Decimal(9)), rng, TODAY)
    assert "大于 500 平方米" in area_out_of_range(
        FacilitySubject("室", Decimal("500.5")), rng, TODAY
    )
    assert area_out_of_range(FacilitySubject("室", Decimal(500)), rng, TODAY) is None


def test_evaluate_uses_the_setting_and_puts_errors_first():
    subject = activity(date=dt.date(2027, 1, 1), scale="大型", participants=1)
    settings = {"activity_future_date": Setting(True, WARNING), "activity_scale_participants": ON}
    assert [f.code for f in evaluate("activity", subject, settings, TODAY)] == [
        "activity_future_date",
        "activity_scale_participants",
    ]
    settings["activity_scale_participants"] = Setting(True, ERROR, Decimal(50), Decimal(200))
    errors, warnings = split(evaluate("activity", subject, settings, TODAY))
    assert [f.code for f in errors] == ["activity_scale_participants"]
    assert [f.code for f in warnings] == ["activity_future_date"]
    settings["activity_future_date"] = Setting(False, ERROR)
    assert [f.code for f in evaluate("activity", subject, settings, TODAY)] == [
        "activity_scale_participants"
    ]


def test_every_rule_has_a_chinese_label_and_a_valid_default():
    assert {"activity", "team", "facility"} == {r.kind for r in RULES.values()}
    for rule in RULES.values():
        assert rule.severity in (ERROR, WARNING) and rule.label and rule.description
