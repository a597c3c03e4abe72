"""The assessment pages: each one for an in-scope user, an out-of-scope user, and its query count."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from activities.models import Activity
from assessments import services
from assessments.default_scheme import ensure_scheme
from assessments.models import Indicator, ManualScore, Run, RunStatus, Scheme
from teams.models import Volunteer
from tests import factories as f

from .conftest import full_marks

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def world(cast):
    full_marks(cast.a1)
    f.PopulationFactory(community=cast.a2)
    f.PopulationFactory(community=cast.b1)
    run = services.run_assessment(street=cast.street_a, year=2014, user=cast.street_staff)
    other = services.run_assessment(street=cast.street_b, year=2014, user=cast.staff_b)
    return run, other


def get(client, user, url, **kw):
    client.force_login(user)
    return client.get(url, **kw)


def post(client, user, url, data=None, **kw):
    client.force_login(user)
    return client.post(url, data or {}, **kw)


def count_queries(client, user, url) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def result_of(run, community):
    return run.results.get(community=community)


# --- index and running ----------------------------------------------------------------------


def test_index(client, cast, world):
    run, other = world
    url = reverse("assessments:index")
    page = get(client, cast.street_staff, url).content.decode()
    assert (
        "运行考核" in page
        and run.get_absolute_url() in page
        and other.get_absolute_url() not in page
    )
    page = get(client, cast.cadre_a1, url).content.decode()
    assert "运行考核" not in page and run.get_absolute_url() in page
    page = get(client, cast.staff_b, url).content.decode()
    assert run.get_absolute_url() not in page and other.get_absolute_url() in page
    assert get(client, cast.nobody, url).status_code == 200
    before = count_queries(client, cast.street_staff, url)
    for _ in range(3):
        services.run_assessment(street=cast.street_a, year=2014, user=cast.street_staff)
    assert count_queries(client, cast.street_staff, url) == before
    assert get(client, cast.street_staff, url).content.decode().count("/assessments/runs/") >= 4


def test_run_create(client, cast, world):
    url = reverse("assessments:run_create")
    response = post(
        client,
        cast.street_staff,
        url,
        {"street": cast.street_a.pk, "year": 2014, "as_of": "2014-06-30"},
    )
    run = Run.objects.get(street=cast.street_a, version=2)
    assert (
        response.status_code == 302
        and response["Location"] == run.get_absolute_url()
        and run.provisional
    )
    assert (
        post(client, cast.leader, url, {"street": cast.street_a.pk, "year": 2014}).status_code
        == 403
    )
    assert (
        post(client, cast.cadre_a1, url, {"street": cast.street_a.pk, "year": 2014}).status_code
        == 403
    )
    # another street's staff cannot pick street A
    assert (
        post(client, cast.staff_b, url, {"street": cast.street_a.pk, "year": 2014}).status_code
        == 302
    )
    response = post(
        client,
        cast.street_staff,
        url,
        {"street": cast.street_a.pk, "year": 2014, "as_of": "2015-02-01"},
    )
    assert response.status_code == 302
    assert Run.objects.filter(street=cast.street_a).count() == 2


# --- ranking, scorecard, evidence -----------------------------------------------------------


def test_ranking(client, cast, world):
    run, other = world
    url = run.get_absolute_url()
    page = get(client, cast.street_staff, url).content.decode()
    assert "甲一社区" in page and "甲二社区" in page and "200.00" in page
    assert reverse("assessments:run_finalise", args=[run.pk]) not in page
    page = get(client, cast.street_admin, url).content.decode()
    assert reverse("assessments:run_finalise", args=[run.pk]) in page
    page = get(client, cast.cadre_a1, url).content.decode()
    assert "甲一社区" in page and "甲二社区" not in page
    assert get(client, cast.staff_b, url).status_code == 404
    assert get(client, cast.nobody, url).status_code == 404
    before = count_queries(client, cast.street_staff, url)
    for _ in range(5):
        full_marks(f.CommunityFactory(street=cast.street_a))
    bigger = services.run_assessment(street=cast.street_a, year=2014, user=cast.street_staff)
    assert count_queries(client, cast.street_staff, bigger.get_absolute_url()) == before


def test_scorecard_links_every_number(client, cast, world):
    run, _ = world
    r1, r2 = result_of(run, cast.a1), result_of(run, cast.a2)
    url = reverse("assessments:result", args=[r2.pk])
    page = get(client, cast.street_staff, url).content.decode()
    for code in ("A1", "A4", "B9", "bonus", "deduction"):
        assert reverse("assessments:evidence", args=[r2.pk, code]) in page
    assert "还差12次文化活动" in page and "距合格还差120分" in page
    assert (
        get(client, cast.cadre_a1, reverse("assessments:result", args=[r1.pk])).status_code == 200
    )
    assert get(client, cast.cadre_a1, url).status_code == 404
    assert get(client, cast.staff_b, url).status_code == 404
    assert get(client, cast.leader, url).status_code == 200
    # More indicators, awards and deductions: the same number of queries.
    before = count_queries(client, cast.street_staff, url)
    scheme = Scheme.objects.get(street=cast.street_a, year=2014)
    for n in range(1, 4):
        services.manual_indicator_add(
            scheme=scheme,
            user=cast.street_admin,
            card=scheme.cards.get(code="A"),
            code=f"M{n}",
            name=f"特色工作{n}",
            points=Decimal("1"),
            letter_grades=False,
        )
        f.AwardFactory(community=cast.a2, level="市级")
        f.DeductionFactory(community=cast.a2, points=Decimal("1"))
    bigger = result_of(
        services.run_assessment(street=cast.street_a, year=2014, user=cast.street_staff), cast.a2
    )
    bigger_url = reverse("assessments:result", args=[bigger.pk])
    assert count_queries(client, cast.street_staff, bigger_url) == before
    page = get(client, cast.street_staff, bigger_url).content.decode()
    assert all(f"特色工作{n}" in page for n in range(1, 4))
    assert (len(bigger.bonus_ids), len(bigger.deduction_ids)) == (3, 3)


def test_evidence_lists_the_records(client, cast, world):
    run, _ = world
    r1 = result_of(run, cast.a1)
    url = reverse("assessments:evidence", args=[r1.pk, "A4"])
    page = get(client, cast.street_staff, url).content.decode()
    assert "文体活动（12）" in page
    assert page.count("<tr>") == 13  # the header and 12 activities
    page = get(
        client, cast.street_staff, reverse("assessments:evidence", args=[r1.pk, "A3"])
    ).content.decode()
    assert "其中优秀团队" in page
    assert (
        get(
            client, cast.street_staff, reverse("assessments:evidence", args=[r1.pk, "Z9"])
        ).status_code
        == 404
    )
    assert get(client, cast.cadre_a2, url).status_code == 404
    assert get(client, cast.staff_b, url).status_code == 404
    # Twice the activities behind A4: the same number of queries.
    before = count_queries(client, cast.street_staff, url)
    for activity in Activity.objects.filter(community=cast.a1):
        activity.pk, activity.name = None, activity.name + "（第二场）"
        activity.save()
    again = result_of(
        services.run_assessment(street=cast.street_a, year=2014, user=cast.street_staff), cast.a1
    )
    more = reverse("assessments:evidence", args=[again.pk, "A4"])
    assert count_queries(client, cast.street_staff, more) == before
    assert "文体活动（24）" in get(client, cast.street_staff, more).content.decode()


def test_evidence_of_bonus_and_deleted_records(client, cast, world):
    run, _ = world
    f.AwardFactory(community=cast.a2, level="市级")
    again = services.run_assessment(street=cast.street_a, year=2014, user=cast.street_staff)
    r2 = result_of(again, cast.a2)
    page = get(
        client, cast.street_staff, reverse("assessments:evidence", args=[r2.pk, "bonus"])
    ).content.decode()
    assert "获奖（1）" in page and "市级" in page
    assert r2.indicators.get(code="A1").evidence["ids"] == []
    r1 = result_of(again, cast.a1)
    Volunteer.objects.filter(pk=r1.indicators.get(code="A8").evidence["ids"][0]).delete()
    page = get(
        client, cast.street_staff, reverse("assessments:evidence", args=[r1.pk, "A8"])
    ).content.decode()
    assert "其中 1 条现已删除" in page


def test_partner_credit_is_visible_to_the_partner(client, cast, world):
    x = f.ActivityFactory(community=cast.a1, is_exchange=True, name="走亲演出")
    f.ActivityPartnerFactory(activity=x, community=cast.a2)
    run = services.run_assessment(street=cast.street_a, year=2014, user=cast.street_staff)
    url = reverse("assessments:evidence", args=[result_of(run, cast.a2).pk, "A6"])
    assert "走亲演出" in get(client, cast.cadre_a2, url).content.decode()


# --- finalise and diff ----------------------------------------------------------------------


def test_finalise(client, cast, world):
    run, other = world
    url = reverse("assessments:run_finalise", args=[run.pk])
    assert post(client, cast.street_staff, url).status_code == 403
    assert post(client, cast.leader, url).status_code == 403
    assert post(client, cast.staff_b, url).status_code == 404
    run.refresh_from_db()
    assert run.status == RunStatus.DRAFT
    response = post(client, cast.street_admin, url)
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.status == RunStatus.FINAL
    page = get(client, cast.street_admin, run.get_absolute_url()).content.decode()
    assert "结果不再改变" in page and reverse("assessments:run_finalise", args=[run.pk]) not in page
    response = post(client, cast.street_admin, url, follow=True)
    assert "已经定稿" in response.content.decode()


def test_diff(client, cast, world):
    run, other = world
    f.DeductionFactory(community=cast.a1, points=Decimal("5"))
    new = services.run_assessment(street=cast.street_a, year=2014, user=cast.street_staff)
    url = reverse("assessments:run_diff", args=[new.pk, run.pk])
    page = get(client, cast.street_staff, url).content.decode()
    assert "甲一社区" in page and "-5.00" in page and "甲二社区" not in page
    assert get(client, cast.cadre_a2, url).status_code == 200
    assert "甲一社区" not in get(client, cast.cadre_a2, url).content.decode()
    assert get(client, cast.staff_b, url).status_code == 404
    assert (
        get(
            client, cast.street_staff, reverse("assessments:run_diff", args=[new.pk, other.pk])
        ).status_code
        == 404
    )
    # Five changed communities instead of one: the same number of queries.
    before = count_queries(client, cast.street_staff, url)
    added = [f.CommunityFactory(street=cast.street_a, name=f"新增{n}社区") for n in range(4)]
    for c in added:
        full_marks(c)
    first = services.run_assessment(street=cast.street_a, year=2014, user=cast.street_staff)
    for c in [cast.a1, *added]:
        f.DeductionFactory(community=c, points=Decimal("2"))
    second = services.run_assessment(street=cast.street_a, year=2014, user=cast.street_staff)
    wider = reverse("assessments:run_diff", args=[second.pk, first.pk])
    assert count_queries(client, cast.street_staff, wider) == before
    page = get(client, cast.street_staff, wider).content.decode()
    assert all(c.name in page for c in [cast.a1, *added]) and page.count("-2.00") >= 5


# --- manual scores --------------------------------------------------------------------------


@pytest.fixture
def manual(cast, world):
    scheme = Scheme.objects.get(street=cast.street_a, year=2014)
    num = services.manual_indicator_add(
        scheme=scheme,
        user=cast.street_admin,
        card=scheme.cards.get(code="A"),
        code="M1",
        name="特色工作",
        points=Decimal("10"),
        letter_grades=False,
    )
    return scheme, num


def test_manual_list(client, cast, manual):
    scheme, num = manual
    url = reverse("assessments:manual_list", args=[scheme.pk])
    page = get(client, cast.street_staff, url).content.decode()
    assert "甲一社区" in page and "甲二社区" in page and "待考评" in page
    page = get(client, cast.cadre_a1, url).content.decode()
    assert "甲一社区" in page and "甲二社区" not in page
    assert get(client, cast.staff_b, url).status_code == 404
    # Six communities, three manual indicators and scores entered: the same queries.
    before = count_queries(client, cast.street_staff, url)
    added = [f.CommunityFactory(street=cast.street_a, name=f"新增{n}社区") for n in range(4)]
    indicators = [num]
    for n in (2, 3):
        indicators.append(
            services.manual_indicator_add(
                scheme=scheme,
                user=cast.street_admin,
                card=scheme.cards.get(code="A"),
                code=f"M{n}",
                name=f"特色工作{n}",
                points=Decimal("10"),
                letter_grades=False,
            )
        )
    for c in [cast.a1, cast.a2, *added]:
        for ind in indicators:
            services.manual_self_score(
                indicator=ind, community=c, user=cast.street_staff, score=Decimal("6")
            )
    assert count_queries(client, cast.street_staff, url) == before
    page = get(client, cast.street_staff, url).content.decode()
    assert all(c.name in page for c in added) and "特色工作3" in page


def test_manual_score_self_then_assess(client, cast, manual):
    scheme, num = manual
    url = reverse("assessments:manual_score", args=[num.pk, cast.a1.pk])
    page = get(client, cast.cadre_a1, url).content.decode()
    assert "社区自评" in page and "街道考评" not in page
    upload = SimpleUploadedFile("总结.pdf", PDF, content_type="application/pdf")
    response = post(
        client,
        cast.cadre_a1,
        url,
        {"action": "self", "self_score": "9", "self_note": "开展了特色活动", "evidence": upload},
    )
    assert response.status_code == 302
    ms = ManualScore.objects.get()
    assert (
        ms.self_score == Decimal("9")
        and ms.evidence_name == "总结.pdf"
        and ms.evidence_type == "application/pdf"
    )
    assert (
        post(client, cast.cadre_a1, url, {"action": "assess", "assessor_score": "10"}).status_code
        == 403
    )
    response = post(client, cast.street_staff, url, {"action": "assess", "assessor_score": "12"})
    assert "考评分必须在0到10" in response.content.decode()
    assert (
        post(
            client, cast.street_staff, url, {"action": "assess", "assessor_score": "7.5"}
        ).status_code
        == 302
    )
    ms.refresh_from_db()
    assert ms.assessor_score == Decimal("7.5") and ms.scored_by == cast.street_staff
    file_url = reverse("assessments:manual_file", args=[ms.pk])
    response = get(client, cast.cadre_a1, file_url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert get(client, cast.cadre_a2, file_url).status_code == 404
    assert get(client, cast.cadre_a2, url).status_code == 404
    assert get(client, cast.staff_b, url).status_code == 404
    assert post(client, cast.leader, url, {"action": "self", "self_score": "1"}).status_code == 403
    run = services.run_assessment(street=cast.street_a, year=2014, user=cast.street_staff)
    assert result_of(run, cast.a1).indicators.get(code="M1").points == Decimal("7.50")


def test_manual_score_rejects_bad_files(client, cast, manual):
    scheme, num = manual
    url = reverse("assessments:manual_score", args=[num.pk, cast.a1.pk])
    bad = SimpleUploadedFile(
        "x.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf"
    )
    response = post(
        client, cast.cadre_a1, url, {"action": "self", "self_score": "9", "evidence": bad}
    )
    assert response.status_code == 200 and not ManualScore.objects.exists()


# --- schemes --------------------------------------------------------------------------------


def test_scheme_list_and_new_year(client, cast, world):
    url = reverse("assessments:scheme_list")
    before = count_queries(client, cast.street_staff, url)
    page = get(client, cast.street_staff, url).content.decode()
    assert "2014" in page and "建立年度方案" not in page
    assert get(client, cast.cadre_a1, url).status_code == 403
    assert "乙街道" not in page
    response = post(client, cast.street_admin, url, {"street": cast.street_a.pk, "year": 2015})
    scheme = Scheme.objects.get(street=cast.street_a, year=2015)
    assert response["Location"] == reverse("assessments:scheme", args=[scheme.pk])
    assert (
        post(client, cast.street_staff, url, {"street": cast.street_a.pk, "year": 2016}).status_code
        == 403
    )
    # Four years of schemes instead of one: the same number of queries.
    for year in (2016, 2017):
        ensure_scheme(cast.street_a, year)
    assert count_queries(client, cast.street_staff, url) == before
    page = get(client, cast.street_staff, url).content.decode()
    assert all(str(year) in page for year in range(2014, 2018))


def test_scheme_detail(client, cast, world):
    scheme = Scheme.objects.get(street=cast.street_a, year=2014)
    url = reverse("assessments:scheme", args=[scheme.pk])
    page = get(client, cast.street_admin, url).content.decode()
    assert (
        "culture_room_area" in page and "添加人工评分指标" in page and "优秀：总分 ≥ 180.00" in page
    )
    page = get(client, cast.street_staff, url).content.decode()
    assert "添加人工评分指标" not in page
    assert get(client, cast.staff_b, url).status_code == 404
    assert get(client, cast.cadre_a1, url).status_code == 403
    # Three more (manual) indicators: the same number of queries.
    before = count_queries(client, cast.street_admin, url)
    for n in range(1, 4):
        services.manual_indicator_add(
            scheme=scheme,
            user=cast.street_admin,
            card=scheme.cards.get(code="B"),
            code=f"M{n}",
            name=f"特色工作{n}",
            points=Decimal("2"),
            letter_grades=n % 2 == 0,
        )
    assert count_queries(client, cast.street_admin, url) == before
    assert "特色工作3" in get(client, cast.street_admin, url).content.decode()


def test_indicator_edit_params_as_fields(client, cast, world):
    scheme = Scheme.objects.get(street=cast.street_a, year=2014)
    a8 = scheme.indicators.get(code="A8")
    url = reverse("assessments:indicator_edit", args=[a8.pk])
    page = get(client, cast.street_admin, url).content.decode()
    assert 'name="param_target"' in page and 'name="param_per"' in page
    response = post(
        client,
        cast.street_admin,
        url,
        {"name": "文体志愿者 ≥2%", "points": "10", "param_target": "0.02", "param_per": "1"},
    )
    assert response.status_code == 302
    a8.refresh_from_db()
    assert a8.params == {"target": "0.02", "per": 1} and a8.name == "文体志愿者 ≥2%"
    a2 = scheme.indicators.get(code="A2")
    edit_a2 = reverse("assessments:indicator_edit", args=[a2.pk])
    data = {
        "name": "功能室配置",
        "points": "5",
        **{f"item_{n}": "1" for n in range(5)},
        "item_0": "2",
    }
    response = post(client, cast.street_admin, edit_a2, data)
    assert "必须等于指标分值" in response.content.decode()
    assert post(client, cast.street_staff, url, {}).status_code == 403
    assert get(client, cast.staff_b, url).status_code == 404
    # the stored run keeps its own copy
    run = Run.objects.get(street=cast.street_a)
    a8_run = next(i for i in run.scheme_snapshot["indicators"] if i["code"] == "A8")
    assert a8_run["params"]["target"] == "0.03"


def test_manual_indicator_add_and_delete(client, cast, world):
    scheme = Scheme.objects.get(street=cast.street_a, year=2014)
    url = reverse("assessments:manual_indicator_add", args=[scheme.pk])
    card = scheme.cards.get(code="B")
    data = {
        "card": card.pk,
        "code": "b10",
        "name": "群众满意度",
        "points": "5",
        "letter_grades": "on",
    }
    assert post(client, cast.street_staff, url, data).status_code == 403
    assert post(client, cast.street_admin, url, data).status_code == 302
    ind = Indicator.objects.get(scheme=scheme, code="B10")
    assert ind.is_manual and ind.letter_grades and ind.params["letters"]["B"] == "66"
    assert "已存在" in post(client, cast.street_admin, url, data).content.decode()
    assert get(client, cast.staff_b, url).status_code == 404
    delete = reverse("assessments:indicator_delete", args=[ind.pk])
    assert post(client, cast.staff_b, delete).status_code == 404
    assert post(client, cast.street_admin, delete).status_code == 302
    assert not Indicator.objects.filter(pk=ind.pk).exists()


def test_bands_settings_and_copy(client, cast, world):
    scheme = Scheme.objects.get(street=cast.street_a, year=2014)
    bands = reverse("assessments:scheme_bands", args=[scheme.pk])
    assert get(client, cast.street_admin, bands).status_code == 200
    data = {
        "form-TOTAL_FORMS": "3",
        "form-INITIAL_FORMS": "0",
        "form-0-name": "好",
        "form-0-min_total": "150",
        "form-1-name": "差",
        "form-1-min_total": "0",
    }
    assert post(client, cast.street_admin, bands, data).status_code == 302
    assert list(scheme.grade_bands.values_list("name", flat=True)) == ["好", "差"]
    bad = {**data, "form-1-min_total": "10"}
    assert "从0分起" in post(client, cast.street_admin, bands, bad).content.decode()
    assert get(client, cast.street_staff, bands).status_code == 403
    settings_url = reverse("assessments:scheme_settings", args=[scheme.pk])
    data = {
        "bonus_cap": "8",
        "cadre_basic_years": "1",
        "cadre_basic_level": "三级",
        "cadre_senior_years": "2",
        "cadre_senior_level": "一级",
        "bonus_区级": "1",
        "bonus_市级": "2",
        "bonus_省级": "4",
        "bonus_国家级": "6",
    }
    assert post(client, cast.street_admin, settings_url, data).status_code == 302
    scheme.refresh_from_db()
    assert scheme.bonus_cap == 8 and scheme.cadre_senior_years == 2
    assert scheme.bonus_levels.get(level="省级").points == 4
    assert get(client, cast.staff_b, settings_url).status_code == 404
    copy = reverse("assessments:scheme_copy", args=[scheme.pk])
    assert post(client, cast.street_admin, copy, {"year": 2016}).status_code == 302
    copied = Scheme.objects.get(street=cast.street_a, year=2016)
    assert copied.bonus_cap == 8 and list(copied.grade_bands.values_list("name", flat=True)) == [
        "好",
        "差",
    ]
    assert post(client, cast.street_staff, copy, {"year": 2017}).status_code == 403
    assert ensure_scheme(cast.street_a, 2018).bonus_cap == 8  # later years copy the latest
