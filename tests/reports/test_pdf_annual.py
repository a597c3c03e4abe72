"""The annual 双百分 PDF: what it says, its fonts, and that a finalised run never changes."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from activities.models import ActivityCategory, ActivityScale
from assessments import services
from assessments.models import Run
from communities.models import StarTarget
from facilities.models import Facility
from reports import annual
from tests import factories as f

from .pdf_util import Y, full_marks, pdf_fonts, pdf_text, scored_street, some_marks, squash

pytestmark = pytest.mark.django_db


def test_annual_pdf_names_communities_totals_grades_gaps_and_pages(cast):
    run = scored_street(cast)
    results = {r.community_name: r for r in run.results.all()}
    text = pdf_text(annual.annual_report_pdf(run=run))
    flat = squash(text)

    assert "四季青" not in text  # the street is the cast's, not a constant
    assert "甲街道" in text and "2014年度社区文体工作" in flat
    assert f"定稿·第{run.version}版" in flat
    for name, result in results.items():
        assert name in text
        assert f"{result.total:.2f}" in text
        assert result.grade in text
    assert results["甲一社区"].total == Decimal("200.00")
    # The ranking row of a2: rank, name, its cards, bonus, deduction, total and grade.
    a2 = results["甲二社区"]
    row = f"2甲二社区{Decimal(a2.cards['A']):.2f}{Decimal(a2.cards['B']):.2f}0.001.50{a2.total:.2f}{a2.grade}"
    assert row in flat
    # Every indicator of a community, with its points over the maximum and its record count.
    assert "A1文化活动室面积≥200㎡≥200㎡100㎡7.50/151" in flat
    # What a2 lacks, and what to do about it.
    assert "还差9次文化活动" in flat
    assert "结合传统节日" in flat
    assert "距合格还差" in flat
    # Page numbers, running header, signature block.
    assert re.search(r"第\s*2\s*页\s*/\s*共\s*\d+\s*页", text)
    assert "甲街道 · 2014年度社区文体工作“双百分”考核报告" in text
    assert "考核单位（盖章）" in flat and "负责人签字" in flat and "日期：" in flat


def test_annual_pdf_embeds_the_chinese_fonts(cast):
    run = scored_street(cast)
    fonts = pdf_fonts(annual.annual_report_pdf(run=run))
    names = [row[0] for row in fonts]
    assert any("Noto-Sans-CJK-SC" in n for n in names)
    assert any("Noto-Serif-CJK-SC" in n for n in names)
    # emb / sub / uni are the three yes/no columns before the object number.
    assert all(row[-5] == "yes" for row in fonts), fonts


def test_a_finalised_run_prints_the_same_after_records_change(cast):
    run = scored_street(cast)
    before = annual.annual_report_pdf(run=run)

    # a2 catches up on paper: a big room, nine more culture activities, its deduction gone.
    Facility.objects.filter(community=cast.a2).update(area=Decimal("400"))
    for i in range(9):
        f.ActivityFactory(
            community=cast.a2,
            category=ActivityCategory.CULTURE,
            scale=ActivityScale.LARGE,
            date=dt.date(Y, 8, 1 + i),
        )
    cast.a2.deductions.all().delete()
    now = services.compute(cast.street_a, Y)
    assert now.communities[1].total != run.results.get(community=cast.a2).total

    after = annual.annual_report_pdf(run=run)
    # WeasyPrint writes no timestamp unless asked to, so the frozen run's PDF is the same
    # file byte for byte; the text check says what differs if that ever stops being true.
    assert pdf_text(after) == pdf_text(before)
    assert after == before
    a2 = run.results.get(community=cast.a2)
    assert f"{a2.total:.2f}" in pdf_text(after)


def test_annual_report_for_prefers_the_latest_final_run_else_computes_a_provisional_one(cast):
    full_marks(cast.a1)
    some_marks(cast.a2)
    text = squash(pdf_text(annual.annual_report_for(street=cast.street_a, year=Y)))
    assert "临时（截至2014-12-31）" in text and "按当前台账即时计算" in text
    assert "（临时）" in text  # the running header says so on every page

    run = services.run_assessment(street=cast.street_a, year=Y, user=cast.street_staff)
    services.finalise_run(run=run, user=cast.street_admin)
    text = squash(pdf_text(annual.annual_report_for(street=cast.street_a, year=Y)))
    assert "定稿·第1版" in text and "临时" not in text

    text = squash(
        pdf_text(annual.annual_report_for(street=cast.street_a, year=Y, as_of=dt.date(Y, 6, 30)))
    )
    assert "临时（截至2014-06-30）" in text


def test_building_a_run_report_takes_the_same_queries_for_more_communities(cast):
    run = Run.objects.get(pk=scored_street(cast).pk)
    with CaptureQueriesContext(connection) as small:
        annual.build_from_run(run)

    for k in range(3):
        c = f.CommunityFactory(street=cast.street_a, name=f"甲{k + 3}社区")
        some_marks(c)
    bigger = services.run_assessment(street=cast.street_a, year=Y, user=cast.street_staff)
    bigger = Run.objects.get(pk=bigger.pk)
    with CaptureQueriesContext(connection) as big:
        report = annual.build_from_run(bigger)
    assert len(report.sections) == 5
    # 6 for the assessment, at most 5 for the 点单配送 section (delivery.selectors)
    assert len(big) == len(small) <= 11


def test_street_summary_against_the_plan(cast):
    full_marks(cast.a1)
    some_marks(cast.a2)
    StarTarget.objects.create(community=cast.a1, year=Y, stars=4)
    StarTarget.objects.create(community=cast.a2, year=Y, stars=3)
    late = f.UpgradeProjectFactory(community=cast.a2, name="甲二提升工程", planned_year=Y)
    f.UpgradeProjectFactory(
        community=cast.a1,
        name="甲一提升工程",
        planned_year=2013,
        status="完成",
        completed_on=dt.date(2013, 10, 1),
    )
    run = services.run_assessment(street=cast.street_a, year=Y, user=cast.street_staff)
    # Done after the run: the run's report still shows it open, a new report shows it done.
    late.status, late.completed_on = "完成", dt.date(Y, 12, 1)
    late.save()

    lines = {line.item: line for line in annual.build_from_run(run).summary}
    rooms = lines["建有200㎡以上文化活动室的社区"]
    assert (rooms.actual, rooms.met) == ("1/2个（50.0%）", False)
    assert "甲二社区" in rooms.note
    projects = lines["文体设施提升工程（计划2014年及以前）"]
    assert (projects.actual, projects.met) == ("按期完成1项，未完成1项", False)
    # 1 + 0 instructors for 100 + 5000 residents; 3 + 0 volunteers.
    assert lines["每千人社会体育指导员（街道合计）"].actual.startswith("0.2名（1名/5100人）")
    assert lines["文体志愿者占常住人口（街道合计）"].actual == "0.06%（3名/5100人）"
    assert lines["有1名以上一级指导员的社区"].actual == "1/2个社区"
    four = lines["四星级社区"]
    assert (four.target, four.met) == ("1个", False)  # a1 was rated 3 stars
    three = lines["三星级社区"]
    assert three.actual == "评定三星1个；目标社区达标0/1"

    now = {line.item: line for line in annual.build_provisional(cast.street_a, Y).summary}
    assert now["文体设施提升工程（计划2014年及以前）"].actual == "按期完成2项"


def test_veto_unscored_manual_items_and_unscorable_communities_are_said(cast):
    full_marks(cast.a1)
    some_marks(cast.a2)
    f.DeductionFactory(community=cast.a1, year=Y, item="安全事故", points=Decimal("5"), veto=True)
    lonely = f.CommunityFactory(street=cast.street_a, name="甲三社区")  # no population
    scheme = services.scheme_ensure(street=cast.street_a, year=Y, user=cast.street_admin)
    services.manual_indicator_add(
        scheme=scheme,
        user=cast.street_admin,
        card=scheme.cards.get(code="A"),
        code="A12",
        name="群众满意度",
        points=Decimal("5"),
        letter_grades=True,
    )
    run = services.run_assessment(street=cast.street_a, year=Y, user=cast.street_staff)
    flat = squash(pdf_text(annual.annual_report_pdf(run=run)))

    assert "（一票否决）" in flat
    assert "A12群众满意度人工人工评分待考评待考评/5—" in flat
    assert "尚有人工指标未考评" in flat and "等次待定" in flat
    assert "人工评分项目" in flat and "未完成" in flat
    assert lonely.name in flat and "无法计分" in flat
    assert "草稿·第1版" in flat


def test_cn_numbers_and_label_fitting():
    assert [annual.cn_number(n) for n in (1, 10, 12, 20, 23)] == [
        "一",
        "十",
        "十二",
        "二十",
        "二十三",
    ]
    label = annual.fit_label("B7 单项比赛/健身活动 ≥2 次", 140)
    assert label.endswith("…") and annual.text_width(label) <= 140
    assert annual.fit_label("A1 文化活动室", 140) == "A1 文化活动室"


def test_a_scheme_without_a_summary_metric_counts_it_now_and_says_so(cast):
    full_marks(cast.a1)
    some_marks(cast.a2)
    StarTarget.objects.create(community=cast.a1, year=Y, stars=3)
    scheme = services.scheme_ensure(street=cast.street_a, year=Y, user=cast.street_admin)
    services.indicator_delete(indicator=scheme.indicators.get(code="B9"), user=cast.street_admin)
    run = services.run_assessment(street=cast.street_a, year=Y, user=cast.street_staff)
    assert not run.results.filter(indicators__code="B9").exists()

    report = annual.build_from_run(run)
    three = next(line for line in report.summary if line.item == "三星级社区")
    assert (three.actual, three.met) == ("评定三星1个；目标社区达标1/1", True)
    assert any("按当前台账统计：星级评定" in note for note in report.notes)
