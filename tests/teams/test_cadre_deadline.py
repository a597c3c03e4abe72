"""已达标 / 距期限N天 / 已逾期: the plan's 1-year (三级) and 3-year (一级) certificate deadlines."""

import datetime as dt

from teams.models import Cadre, Certificate
from teams.selectors import add_years, cadre_deadline

APPOINTED = dt.date(2020, 3, 1)


def cadre(left_on=None):
    return Cadre(appointed_on=APPOINTED, left_on=left_on, post="文体管理员")


def cert(level, issued=dt.date(2020, 6, 1), expires=None):
    return Certificate(level=level, issued_on=issued, expires_on=expires, number="x")


def test_no_certificate_within_the_first_year_counts_down_to_the_three_level_deadline():
    d = cadre_deadline(cadre(), [], dt.date(2020, 12, 31))
    assert (d.state, d.days, d.required_level) == ("due", 60, "三级")
    assert d.label == "距期限60天（须取得三级证书）"


def test_the_anniversary_itself_is_overdue():
    assert cadre_deadline(cadre(), [], dt.date(2021, 3, 1)).label == "已逾期（须持三级及以上证书）"
    assert cadre_deadline(cadre(), [], dt.date(2021, 2, 28)).state == "due"


def test_a_three_level_certificate_counts_down_to_the_first_level_deadline():
    d = cadre_deadline(cadre(), [cert("三级")], dt.date(2022, 3, 1))
    assert (d.state, d.days, d.required_level) == ("due", 365, "一级")


def test_after_three_years_only_first_level_or_above_passes():
    day = dt.date(2023, 3, 1)
    assert cadre_deadline(cadre(), [cert("二级")], day).label == "已逾期（须持一级及以上证书）"
    assert cadre_deadline(cadre(), [], day).label == "已逾期（须持一级及以上证书）"
    assert cadre_deadline(cadre(), [cert("一级")], day).label == "已达标"
    assert cadre_deadline(cadre(), [cert("国家级")], day).label == "已达标"


def test_only_certificates_valid_today_count():
    day = dt.date(2023, 6, 1)
    expired = cert("一级", expires=dt.date(2023, 6, 1))  # 失效日期 must be after the day
    no_issue_date = cert("一级", issued=None)
    future = cert("一级", issued=dt.date(2023, 7, 1))
    for c in (expired, no_issue_date, future):
        assert cadre_deadline(cadre(), [c], day).state == "overdue"


def test_a_cadre_who_left_has_no_deadline():
    assert (
        cadre_deadline(cadre(left_on=dt.date(2021, 1, 1)), [], dt.date(2024, 1, 1)).label
        == "已离任"
    )


def test_add_years_on_29_february():
    assert add_years(dt.date(2024, 2, 29), 1) == dt.date(
        2025, 3, 1
    )  # as assessments.rules.whole_years
