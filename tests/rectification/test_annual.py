"""The next year's annual PDF says how last year's rectifications ended (上年整改落实情况)."""

import datetime as dt

import pytest
from django.utils import timezone

from rectification import rules
from rectification.models import Rectification, Status
from reports import annual
from tests import factories as f
from tests.reports.pdf_util import Y, pdf_text, scored_street, squash

pytestmark = pytest.mark.django_db


def _task(community, user, indicator: str, deadline: dt.date, **kw) -> Rectification:
    return Rectification.objects.create(
        community=community,
        year=Y - 1,
        indicator=indicator,
        requirement=f"{indicator}整改到位",
        deadline=deadline,
        responsible="书记",
        issued_by=user,
        **kw,
    )


def test_annual_pdf_lists_last_years_rectifications_with_their_outcome(cast):
    user = f.UserFactory()
    closed = timezone.make_aware(dt.datetime(Y, 3, 8, 10))
    _task(
        cast.a1,
        user,
        "A01 文化设施面积",
        dt.date(Y, 3, 31),
        status=Status.ACCEPTED,
        closed_at=closed,
    )
    _task(cast.a2, user, "B02 体育活动场次", dt.date(Y, 5, 1), status=Status.RETURNED)
    _task(cast.a2, user, "C03 这是前年的", dt.date(Y - 1, 5, 1))  # not last year's: year Y - 2
    Rectification.objects.filter(indicator__startswith="C03").update(year=Y - 2)
    run = scored_street(cast)

    flat = squash(pdf_text(annual.annual_report_pdf(run=run)))
    part = flat[flat.rindex("六、上年整改落实情况") :]
    assert part.index("A01文化设施面积") < part.index("甲一社区") < part.index("2014-03-08销号")
    overdue = (run.as_of - dt.date(Y, 5, 1)).days
    assert overdue > 0 and f"已退回逾期{overdue}天" in part
    assert f"{Y - 1}年度考核后下达整改任务2项" in part
    assert "C03" not in part


def test_annual_pdf_says_so_when_last_year_had_no_rectifications(cast):
    flat = squash(pdf_text(annual.annual_report_pdf(run=scored_street(cast))))
    assert f"{Y - 1}年度考核后未下达整改任务。" in flat


def test_overdue_days_are_counted_only_for_open_tasks_past_their_deadline():
    day = dt.date(2015, 1, 10)
    assert rules.overdue_days("returned", dt.date(2015, 1, 1), day) == 9
    assert rules.overdue_days("accepted", dt.date(2015, 1, 1), day) == 0
    assert rules.overdue_days("issued", day, day) == 0
