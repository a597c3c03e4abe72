"""Issue 18: the district white paper, made as a background job with progress."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django_tasks import default_task_backend

from communities.models import Community
from district import jobs
from reports.models import JobKind, JobStatus
from tests import factories as f
from tests.browser_support import ARTIFACTS
from tests.reports.pdf_util import Y, full_marks, pdf_fonts, pdf_pages, pdf_text, some_marks, squash

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_queue() -> Any:
    default_task_backend.clear()
    yield
    default_task_backend.clear()


def run_jobs() -> int:
    ran = 0
    while default_task_backend.results:
        result = default_task_backend.results.pop(0)
        result.task.call(*result.args, **result.kwargs)
        ran += 1
    return ran


@pytest.fixture
def district(cast):
    """甲区: 甲街道 (甲一 at full marks, 甲二 far behind) and 丙街道 with twelve communities
    of rising room area, so that the top and the bottom ten differ."""
    full_marks(cast.a1)
    some_marks(cast.a2)
    other = f.StreetFactory(name="丙街道", district=cast.district_a)
    for n in range(12):
        c = Community.objects.create(street=other, name=f"丙{n + 1:02d}社区")
        f.PopulationFactory(community=c, year=Y, residents=4000)
        f.FacilityFactory(community=c, kind="文化活动室", area=Decimal(10 + 15 * n))
    some_marks(cast.b1)  # 乙区: never in 甲区's paper
    return cast


def test_the_white_paper_job_names_every_street_and_the_top_and_bottom_lists(client, district):
    client.force_login(district.district_admin)
    response = client.post(reverse("district:white_paper") + f"?year={Y}")
    assert response.status_code == 302
    job = district.district_admin.report_jobs.get()
    assert response["Location"] == job.get_absolute_url()
    assert job.kind == JobKind.WHITE_PAPER and job.status == JobStatus.QUEUED
    assert run_jobs() == 1
    job.refresh_from_db()
    assert (job.status, job.progress, job.message) == (JobStatus.DONE, 100, "白皮书已生成")
    assert job.output_name == f"甲区{Y}年社区文体工作白皮书.pdf"
    with job.output_file.open("rb") as fh:
        pdf = fh.read()
    text = squash(pdf_text(pdf))
    assert f"甲区{Y}年度社区文体工作白皮书" in text
    for street in ("甲街道", "丙街道"):
        assert text.count(street) >= 3  # summary, its own page, the rankings
    assert "乙街道" not in text and "乙一社区" not in text
    assert "前10名" in text and "后10名" in text
    # The top of the overall ranking is 甲一 (full marks); A1 ranks 丙12 (175 ㎡) first
    # among 丙's rooms and 丙01 (10 ㎡) last.
    assert "1甲一社区甲街道" in text
    assert "丙01社区" in text and "丙12社区" in text
    for heading in (
        "一、概况",
        "二、全区得分与等次分布",
        "三、排名",
        "四、各街道",
        "五、最常失分的指标",
        "附录：考核方案",
    ):
        assert heading in text
    assert "还差" in text  # what the missed indicators would take
    fonts = pdf_fonts(pdf)
    assert any("Noto-Sans-CJK-SC" in row[0] for row in fonts)
    assert all(row[-5] == "yes" for row in fonts), fonts  # every font embedded
    assert pdf_pages(pdf) >= 8
    # Kept for a look (pdftoppm -png test-artifacts/district_white_paper.pdf).
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "district_white_paper.pdf").write_bytes(pdf)


def test_only_the_district_s_own_users_start_it(district):
    with pytest.raises(PermissionDenied):
        jobs.white_paper_start(user=district.street_admin, district=district.district_a, year=Y)
    with pytest.raises(PermissionDenied):
        jobs.white_paper_start(user=district.district_viewer, district=district.district_b, year=Y)
    job = jobs.white_paper_start(
        user=district.district_viewer, district=district.district_a, year=Y
    )
    assert job.params == {"district": district.district_a.pk, "year": Y}
