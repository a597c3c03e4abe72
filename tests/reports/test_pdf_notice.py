"""考核结果通知书: one page per community, printed from the run's frozen rows."""

import re

import pytest
from django.utils import timezone

from assessments import services
from reports import notices
from tests import factories as f

from .pdf_util import Y, pdf_pages, pdf_text, scored_street, squash

pytestmark = pytest.mark.django_db


def test_notice_is_one_page_with_the_result_gaps_and_advice(cast):
    run = scored_street(cast)
    a2 = run.results.get(community=cast.a2)
    data = notices.notice_pdf(run=run, community=cast.a2)
    text = pdf_text(data)
    flat = squash(text)

    assert pdf_pages(data) == 1
    assert re.search(r"第\s*1\s*页\s*/\s*共\s*1\s*页", text)
    assert "考核结果通知书" in flat and "甲二社区：" in flat
    assert f"{a2.total:.2f}" in flat and "第2名（共2个）" in flat and a2.grade in flat
    assert "还差9次文化活动" in flat and "整改建议" in flat
    assert "甲街道办事处（盖章）" in flat
    assert f"{timezone.localdate(run.finalised_at):%Y-%m-%d}" in flat
    # Only this community: the other one's name is nowhere.
    assert "甲一社区" not in flat


def test_a_community_lacking_everything_still_gets_one_page(cast):
    f.PopulationFactory(community=cast.a1, year=Y, residents=3000)
    f.PopulationFactory(community=cast.a2, year=Y, residents=3000)
    run = services.run_assessment(street=cast.street_a, year=Y, user=cast.street_staff)
    notice = notices.build_notice(run, cast.a1)
    assert len(notice.section.gaps) == 20 and not notice.with_advice

    data = notices.render(notice)
    flat = squash(pdf_text(data))
    assert pdf_pages(data) == 1
    assert "各项整改建议详见" in flat
    assert "草稿" in flat  # a draft run's notice says so


def test_a_community_outside_the_run_has_no_notice(cast):
    run = scored_street(cast)
    with pytest.raises(ValueError):
        notices.build_notice(run, cast.b1)
