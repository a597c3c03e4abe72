"""assessments.services: compute, runs, finalisation, comparison, manual scores."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments import services
from assessments.default_scheme import copy_scheme, ensure_scheme
from assessments.models import (
    CommunityResult,
    FinalisedError,
    Indicator,
    IndicatorResult,
    ManualScore,
    Run,
    RunStatus,
    Scheme,
)
from tests import factories as f

from .conftest import full_marks

pytestmark = pytest.mark.django_db


def one(assessment, community):
    return next(c for c in assessment.communities if c.community_id == community.pk)


def points(outcome):
    return {i.code: i.points for i in outcome.indicators}


# --- compute --------------------------------------------------------------------------------


def test_full_marks_are_200(cast):
    full_marks(cast.a1)
    f.PopulationFactory(community=cast.a2, residents=1000)
    a = services.compute(cast.street_a, 2014)
    top = one(a, cast.a1)
    assert top.cards == {"A": Decimal("100.00"), "B": Decimal("100.00")}
    assert top.total == Decimal("200.00") and top.grade == "优秀" and top.rank == 1
    assert all(i.gap == "" for i in top.indicators)
    empty = one(a, cast.a2)
    assert empty.total == Decimal("0.00") and empty.grade == "不合格" and empty.rank == 2
    # nothing at all: B9 with the default target 3 and no rating is 0; A10/B5 with none are 0
    assert set(points(empty).values()) == {Decimal("0.00")}
    assert a.scheme_name == "default" and not a.provisional and a.as_of == dt.date(2014, 12, 31)


def test_compute_writes_nothing(cast):
    f.PopulationFactory(community=cast.a1)
    services.compute(cast.street_a, 2014)
    assert not Scheme.objects.exists() and not Run.objects.exists()


def test_partial_community_by_hand(cast):
    a1 = cast.a1
    f.PopulationFactory(community=a1, year=2013, residents=4321)
    f.FacilityFactory(community=a1, area=Decimal("165"))  # A1 15 × 165/200 = 12.375 → 12.38
    for _ in range(7):
        f.ActivityFactory(community=a1)  # A4 15 × 7/12 = 8.75; A10: 0 of 7 → 0
    for _ in range(18):
        f.CertificateFactory(community=a1)  # B3 20 × (18/4321×1000)/5 = 16.662… → 16.66
    for _ in range(3):
        f.TeamFactory(community=a1)  # A3 6 × 3/5 = 3.6
    f.StarRatingFactory(community=a1, stars=2)  # B9 S = 2 = T − 1 → 10
    f.AwardFactory(community=a1, level="国家级")
    f.AwardFactory(community=a1, level="国家级")
    f.AwardFactory(community=a1, level="区级")  # 11 → capped at 10
    f.DeductionFactory(community=a1, points=Decimal("0.5"))
    got = one(services.compute(cast.street_a, 2014), a1)
    p = points(got)
    assert (p["A1"], p["A3"], p["A4"], p["A10"], p["B3"], p["B9"]) == (
        Decimal("12.38"),
        Decimal("3.60"),
        Decimal("8.75"),
        Decimal("0.00"),
        Decimal("16.66"),
        Decimal("10.00"),
    )
    assert got.cards["A"] == Decimal("24.73") and got.cards["B"] == Decimal("26.66")
    assert got.bonus == Decimal("10.00") and got.deduction == Decimal("0.50")
    assert got.total == Decimal("60.89") and got.grade == "不合格"
    assert got.grade_gap == "距合格还差59.11分"
    gaps = {i.code: i.gap for i in got.indicators}
    assert gaps["A1"] == "文化活动室面积还差35㎡"
    assert gaps["A4"] == "还差5次文化活动"
    assert gaps["B3"] == "还差4名社会体育指导员"  # 22 needed (21.605 rounded up)
    assert gaps["A10"] == "有7次活动台账未达“五有”"
    assert got.population == 4321 and got.population_year == 2013


def test_community_without_population_is_an_error(cast):
    full_marks(cast.a1)
    f.PopulationFactory(community=cast.a2, year=2015)
    a = services.compute(cast.street_a, 2014)
    assert [c.name for c in a.errors] == ["甲二社区"]
    assert "常住人口" in a.errors[0].error
    assert [c.name for c in a.scored] == ["甲一社区"]
    data = services.assessment_json(a)
    assert data["errors"] == [{"community": "甲二社区", "error": a.errors[0].error}]


def deduct(community, amount, veto=False):
    f.DeductionFactory(community=community, points=Decimal(amount), veto=veto)


@pytest.mark.parametrize(
    ("deduction", "total", "grade"),
    [
        ("20", "180.00", "优秀"),
        ("20.01", "179.99", "良好"),
        ("40", "160.00", "良好"),
        ("40.01", "159.99", "合格"),
        ("80", "120.00", "合格"),
        ("80.01", "119.99", "不合格"),
        ("250", "0.00", "不合格"),
    ],
)
def test_grade_boundaries_and_floor(cast, deduction, total, grade):
    full_marks(cast.a1)
    deduct(cast.a1, deduction)
    got = one(services.compute(cast.street_a, 2014), cast.a1)
    assert (got.total, got.grade) == (Decimal(total), grade)
    assert got.deduction == Decimal(deduction)


def test_veto_fails_whatever_the_total(cast):
    full_marks(cast.a1)
    deduct(cast.a1, "1", veto=True)
    got = one(services.compute(cast.street_a, 2014), cast.a1)
    assert got.veto and got.total == Decimal("199.00") and got.grade == "不合格"
    assert got.grade_gap == "一票否决，等次为不合格"


def test_ties_share_a_rank_and_are_listed_by_name(cast):
    extra = f.CommunityFactory(street=cast.street_a, name="甲三社区")
    last = f.CommunityFactory(street=cast.street_a, name="甲零社区")
    for c in (cast.a1, cast.a2, extra, last):
        full_marks(c)
    deduct(cast.a1, "10")
    deduct(extra, "10")
    deduct(last, "30")
    a = services.compute(cast.street_a, 2014)
    assert [(c.name, c.rank) for c in a.scored] == [
        ("甲二社区", 1),
        ("甲一社区", 2),
        ("甲三社区", 2),
        ("甲零社区", 4),
    ]
    listed = [(c["community"], c["rank"]) for c in services.assessment_json(a)["communities"]]
    assert listed == [(c.name, c.rank) for c in a.scored]


def test_scheme_edits_change_the_numbers(cast, street):
    f.PopulationFactory(community=cast.a1)
    for _ in range(6):
        f.ActivityFactory(community=cast.a1)
    scheme = ensure_scheme(street, 2014)
    a4 = scheme.indicators.get(code="A4")
    a4.params = {"target": "6"}
    a4.save()
    scheme.grade_bands.filter(name="合格").update(min_total=Decimal("10"))
    got = one(services.compute(street, 2014), cast.a1)
    assert points(got)["A4"] == Decimal("15.00") and got.grade == "合格"


def test_as_of_outside_the_year_is_refused(cast):
    with pytest.raises(ValidationError):
        services.compute(cast.street_a, 2014, dt.date(2015, 1, 1))


def test_compute_query_count_does_not_grow_with_communities(cast, django_assert_num_queries):
    full_marks(cast.a1)
    full_marks(cast.a2)
    with CaptureQueriesContext(connection) as two:
        services.compute(cast.street_a, 2014)
    for _ in range(10):
        full_marks(f.CommunityFactory(street=cast.street_a))
    with django_assert_num_queries(len(two.captured_queries)):
        a = services.compute(cast.street_a, 2014)
    assert len(a.scored) == 12 and {c.total for c in a.scored} == {Decimal("200.00")}


# --- schemes --------------------------------------------------------------------------------


def test_ensure_scheme_creates_the_default_then_copies_the_latest(cast, street):
    s2014 = ensure_scheme(street, 2014)
    assert s2014.name == "default" and s2014.indicators.count() == 20
    assert ensure_scheme(street, 2014) == s2014
    s2014.bonus_cap = Decimal("8")
    s2014.save()
    s2016 = ensure_scheme(street, 2016)
    assert s2016.bonus_cap == Decimal("8") and s2016.indicators.count() == 20
    assert copy_scheme(s2016, 2017).grade_bands.count() == 4
    assert ensure_scheme(cast.street_b, 2016).bonus_cap == Decimal("10")


# --- runs -----------------------------------------------------------------------------------


def make_run(cast, user=None, **kw):
    return services.run_assessment(
        street=cast.street_a, year=2014, user=user or cast.street_staff, **kw
    )


def test_run_stores_results_and_evidence(cast):
    full_marks(cast.a1)
    f.PopulationFactory(community=cast.a2)
    run = make_run(cast)
    assert (run.version, run.status, run.complete, run.provisional) == (
        1,
        RunStatus.DRAFT,
        True,
        False,
    )
    assert run.scheme_snapshot["indicators"][0]["code"] == "A1"
    r = run.results.get(community=cast.a1)
    assert (r.total, r.grade, r.rank, r.cards) == (
        Decimal("200.00"),
        "优秀",
        1,
        {"A": "100.00", "B": "100.00"},
    )
    a4 = r.indicators.get(code="A4")
    assert a4.evidence["model"] == "activities.activity" and len(a4.evidence["ids"]) == 12
    assert (a4.value, a4.target, a4.points, a4.max_points) == (
        Decimal("12"),
        Decimal("12"),
        Decimal("15"),
        Decimal("15"),
    )
    assert make_run(cast).version == 2


def test_a_run_does_not_follow_later_scheme_edits(cast):
    f.PopulationFactory(community=cast.a1)
    run = make_run(cast)
    Indicator.objects.filter(scheme=run.scheme, code="A1").update(points=Decimal("30"))
    assert run.results.get(community=cast.a1).indicators.get(code="A1").max_points == Decimal("15")
    run.refresh_from_db()
    assert run.scheme_snapshot["indicators"][0]["points"] == "15"


def test_provisional_run(cast):
    f.PopulationFactory(community=cast.a1)
    run = make_run(cast, as_of=dt.date(2014, 6, 30))
    assert run.provisional and run.as_of == dt.date(2014, 6, 30)
    with pytest.raises(ValidationError):
        services.finalise_run(run=run, user=cast.street_admin)


def test_only_street_staff_in_scope_may_run(cast):
    for user in (cast.cadre_a1, cast.leader, cast.nobody, cast.staff_b):
        with pytest.raises(PermissionDenied):
            make_run(cast, user=user)
    assert not Run.objects.exists()


def test_finalise_only_by_street_admin_and_then_frozen(cast):
    full_marks(cast.a1)
    f.PopulationFactory(community=cast.a2)
    run = make_run(cast)
    for user in (cast.street_staff, cast.leader, cast.cadre_a1, cast.staff_b):
        with pytest.raises(PermissionDenied):
            services.finalise_run(run=run, user=user)
    run = services.finalise_run(run=run, user=cast.street_admin)
    assert run.status == RunStatus.FINAL and run.finalised_by == cast.street_admin
    with pytest.raises(FinalisedError):
        services.finalise_run(run=run, user=cast.street_admin)
    result = run.results.get(community=cast.a1)
    result.total = Decimal("1")
    with pytest.raises(FinalisedError):
        result.save()
    with pytest.raises(FinalisedError):
        result.delete()
    with pytest.raises(FinalisedError):
        CommunityResult.objects.filter(run=run).update(total=Decimal("1"))
    with pytest.raises(FinalisedError):
        IndicatorResult.objects.filter(result__run=run).update(points=Decimal("1"))
    with pytest.raises(FinalisedError):
        IndicatorResult.objects.filter(result__run=run).first().delete()
    with pytest.raises(FinalisedError):
        run.save()
    with pytest.raises(FinalisedError):
        run.delete()
    with pytest.raises(FinalisedError):
        Run.objects.filter(pk=run.pk).delete()
    assert run.results.get(community=cast.a1).total == Decimal("200.00")
    # records edited later do not touch it; a re-run is a new version
    deduct(cast.a1, "5")
    again = make_run(cast)
    assert again.version == 2 and again.results.get(community=cast.a1).total == Decimal("195.00")
    assert run.results.get(community=cast.a1).total == Decimal("200.00")


def test_a_run_with_unscorable_communities_cannot_be_finalised(cast):
    f.PopulationFactory(community=cast.a1)
    run = make_run(cast)
    assert run.results.get(community=cast.a2).error
    with pytest.raises(ValidationError):
        services.finalise_run(run=run, user=cast.street_admin)


def test_compare_runs(cast):
    full_marks(cast.a1)
    f.PopulationFactory(community=cast.a2)
    old = make_run(cast)
    deduct(cast.a1, "5")
    f.ActivityFactory(community=cast.a2)
    new = make_run(cast)
    diffs = {d.name: d for d in services.compare_runs(old, new)}
    assert set(diffs) == {"甲一社区", "甲二社区"}
    assert diffs["甲一社区"].total_delta == Decimal("-5.00") and diffs["甲一社区"].indicators == []
    a2 = {i.code: (i.old, i.new, i.delta) for i in diffs["甲二社区"].indicators}
    assert a2 == {"A4": (Decimal("0"), Decimal("1.25"), Decimal("1.25"))}
    assert services.compare_runs(new, make_run(cast)) == []


# --- manual indicators ----------------------------------------------------------------------


@pytest.fixture
def manual(cast, street):
    scheme = ensure_scheme(street, 2014)
    card = scheme.cards.get(code="A")
    num = services.manual_indicator_add(
        scheme=scheme,
        user=cast.street_admin,
        card=card,
        code="m1",
        name="特色工作",
        points=Decimal("10"),
        letter_grades=False,
    )
    letter = services.manual_indicator_add(
        scheme=scheme,
        user=cast.street_admin,
        card=card,
        code="M2",
        name="群众满意度",
        points=Decimal("5"),
        letter_grades=True,
    )
    return num, letter


def test_unscored_manual_items_make_the_assessment_incomplete(cast, manual):
    num, letter = manual
    full_marks(cast.a1)
    a = services.compute(cast.street_a, 2014)
    got = one(a, cast.a1)
    assert num.code == "M1" and got.missing == ["M1", "M2"] and not a.complete
    assert got.grade == "" and "等次待定" in got.grade_gap
    assert services.assessment_json(a)["communities"][0]["indicators"]["M1"] is None
    run = make_run(cast)
    assert not run.complete and run.missing == [
        {"community": "甲一社区", "indicators": ["M1", "M2"]}
    ]
    with pytest.raises(ValidationError):
        services.finalise_run(run=run, user=cast.street_admin)


def test_manual_scores_count_only_when_assessed(cast, manual):
    num, letter = manual
    full_marks(cast.a1)
    services.manual_self_score(
        indicator=num, community=cast.a1, user=cast.cadre_a1, score=Decimal("9"), note="自评"
    )
    assert one(services.compute(cast.street_a, 2014), cast.a1).missing == ["M1", "M2"]
    services.manual_assess(
        indicator=num, community=cast.a1, user=cast.street_staff, score=Decimal("7.5")
    )
    services.manual_assess(indicator=letter, community=cast.a1, user=cast.street_staff, letter="B")
    got = one(services.compute(cast.street_a, 2014), cast.a1)
    assert (
        got.complete
        and points(got)["M1"] == Decimal("7.50")
        and points(got)["M2"] == Decimal("3.30")
    )
    assert got.cards["A"] == Decimal("110.80") and got.total == Decimal("210.80")
    ms = ManualScore.objects.get(indicator=num, community=cast.a1)
    assert (ms.self_score, ms.assessor_score, ms.year) == (Decimal("9"), Decimal("7.5"), 2014)


def test_manual_score_permissions_and_validation(cast, manual):
    num, letter = manual
    with pytest.raises(PermissionDenied):
        services.manual_self_score(
            indicator=num, community=cast.a2, user=cast.cadre_a1, score=Decimal("1")
        )
    with pytest.raises(PermissionDenied):
        services.manual_assess(
            indicator=num, community=cast.a1, user=cast.cadre_a1, score=Decimal("1")
        )
    with pytest.raises(PermissionDenied):
        services.manual_assess(
            indicator=num, community=cast.a1, user=cast.leader, score=Decimal("1")
        )
    with pytest.raises(ValidationError):
        services.manual_assess(
            indicator=num, community=cast.a1, user=cast.street_staff, score=Decimal("10.5")
        )
    with pytest.raises(ValidationError):
        services.manual_assess(
            indicator=letter, community=cast.a1, user=cast.street_staff, letter="E"
        )
    with pytest.raises(ValidationError):
        services.manual_assess(
            indicator=num, community=cast.b1, user=cast.street_staff, score=Decimal("1")
        )
    a1_indicator = Indicator.objects.get(scheme=num.scheme, code="A1")
    with pytest.raises(ValidationError):
        services.manual_assess(
            indicator=a1_indicator, community=cast.a1, user=cast.street_staff, score=Decimal("1")
        )
    assert not ManualScore.objects.exists()


def test_scheme_edits_are_validated_and_admin_only(cast, street):
    scheme = ensure_scheme(street, 2014)
    b1 = scheme.indicators.get(code="B1")
    with pytest.raises(PermissionDenied):
        services.indicator_update(
            indicator=b1, user=cast.street_staff, name="x", points=Decimal("10"), params=b1.params
        )
    with pytest.raises(ValidationError):
        services.indicator_update(
            indicator=b1,
            user=cast.street_admin,
            name="健身路径",
            points=Decimal("12"),
            params={"each": "5", "cap": 2},
        )
    services.indicator_update(
        indicator=b1,
        user=cast.street_admin,
        name="健身路径 ≥3 套",
        points=Decimal("12"),
        params={"each": "4", "cap": 3},
    )
    b1.refresh_from_db()
    assert b1.points == Decimal("12") and b1.params == {"each": "4", "cap": 3}
    with pytest.raises(ValidationError):
        services.scheme_copy(scheme=scheme, user=cast.street_admin, year=2014)
    assert (
        services.scheme_copy(scheme=scheme, user=cast.street_admin, year=2015)
        .indicators.get(code="B1")
        .points
        == 12
    )
    with pytest.raises(ValidationError):
        services.grade_bands_update(
            scheme=scheme, user=cast.street_admin, bands=[("优秀", Decimal("180"))]
        )
    services.grade_bands_update(
        scheme=scheme,
        user=cast.street_admin,
        bands=[("达标", Decimal("100")), ("不达标", Decimal("0"))],
    )
    assert list(scheme.grade_bands.values_list("name", flat=True)) == ["达标", "不达标"]
