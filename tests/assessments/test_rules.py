"""assessments.rules: pure arithmetic, no database."""

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments import rules
from assessments.default_scheme import DEFAULT_SCHEME

BANDS = [("优秀", "180"), ("良好", "160"), ("合格", "120"), ("不合格", "0")]

counts = st.integers(min_value=0, max_value=10_000)
targets = st.integers(min_value=1, max_value=1_000)
point_values = st.integers(min_value=1, max_value=100)


# --- rounding -------------------------------------------------------------------------------


def test_rounding_is_half_up_at_the_half_cent():
    assert rules.to_points(Fraction(1, 200)) == Decimal("0.01")  # 0.005
    assert rules.to_points(Fraction(2345, 1000)) == Decimal("2.35")
    assert rules.to_points(Fraction(2344999, 1000000)) == Decimal("2.34")
    assert rules.to_points(Fraction(-1, 200)) == Decimal("-0.01")  # away from zero
    assert str(rules.to_points(15)) == "15.00"


@given(st.integers(min_value=0, max_value=10**9))
def test_every_half_cent_rounds_up(k):
    # (2k+1)/200 = k/100 + 0.005 exactly
    assert rules.to_points(Fraction(2 * k + 1, 200)) == Decimal(k + 1) / 100


@given(st.fractions(min_value=0, max_value=10**6))
def test_rounding_is_within_half_a_cent(x):
    assert abs(Fraction(rules.to_points(x)) - x) <= Fraction(1, 200)


def test_floats_from_json_mean_their_decimal_text():
    assert rules.exact(0.03) == Fraction(3, 100)
    with pytest.raises(rules.RuleError):
        rules.exact("abc")


# --- the indicator rules --------------------------------------------------------------------


def test_proportional_examples():
    assert rules.proportional(165, 200, 15) == Decimal("12.38")  # 12.375 → 12.38
    assert rules.proportional(200, 200, 15) == Decimal("15.00")
    assert rules.proportional(250, 200, 15) == Decimal("15.00")
    assert rules.proportional(0, 12, 15) == Decimal("0.00")
    assert rules.proportional(7, 12, 15) == Decimal("8.75")
    assert rules.proportional(1, 6, 10) == Decimal("1.67")
    with pytest.raises(rules.RuleError):
        rules.proportional(1, 0, 10)


@given(counts, counts, targets, point_values)
def test_proportional_within_bounds_and_monotone(a, b, target, points):
    low, high = sorted((a, b))
    p_low = rules.proportional(low, target, points)
    p_high = rules.proportional(high, target, points)
    assert Decimal(0) <= p_low <= p_high <= Decimal(points)


def test_per_capita_a8_and_b3():
    # A8: 10 × min1((120/5000)/0.03) = 10 × 0.8 = 8
    assert rules.per_capita(120, 5000, 1, "0.03", 10) == Decimal("8.00")
    # B3: 20 × min1((20/4321 × 1000)/5) = 20 × 4000/4321 = 18.5142… → 18.51
    assert rules.per_capita(20, 4321, 1000, 5, 20) == Decimal("18.51")
    assert rules.per_capita(25, 5000, 1000, 5, 20) == Decimal("20.00")
    with pytest.raises(rules.RuleError):
        rules.per_capita(1, None, 1, "0.03", 10)


@given(counts, counts, st.integers(min_value=1, max_value=100_000), point_values)
def test_per_capita_within_bounds_and_monotone(a, b, population, points):
    low, high = sorted((a, b))
    p_low = rules.per_capita(low, population, 1000, 5, points)
    p_high = rules.per_capita(high, population, 1000, 5, points)
    assert Decimal(0) <= p_low <= p_high <= Decimal(points)


def test_capped_multiple_b1():
    assert [rules.capped_multiple(n, 5, 2) for n in (0, 1, 2, 3)] == [
        Decimal(x) for x in ("0", "5", "10", "10")
    ]


@given(counts, counts)
def test_capped_multiple_monotone(a, b):
    low, high = sorted((a, b))
    assert Decimal(0) <= rules.capped_multiple(low, 5, 2) <= rules.capped_multiple(high, 5, 2) <= 10


def test_per_item_and_presence():
    assert rules.per_item([True, False, True, True, False], [1] * 5) == Decimal("3.00")
    assert rules.per_item([True, False], ["3", "2"]) == Decimal("3.00")
    assert rules.per_item([False, True], ["3", "2"]) == Decimal("2.00")
    with pytest.raises(rules.RuleError):
        rules.per_item([True], [1, 1])
    assert rules.presence(0, 10) == Decimal("0.00")
    assert rules.presence(1, 10) == Decimal("10.00")
    assert rules.presence(1, 10, minimum=2) == Decimal("0.00")


def test_two_part_rounds_once():
    # 6 × 1/5 + 4 × 1/2 = 1.2 + 2 = 3.2
    assert rules.two_part(1, 5, 6, 1, 2, 4) == Decimal("3.20")
    # 6 × 4/5 + 4 × 1/2 = 4.8 + 2 = 6.8;  teams beyond the target do not help excellence
    assert rules.two_part(4, 5, 6, 1, 2, 4) == Decimal("6.80")
    assert rules.two_part(9, 5, 6, 0, 2, 4) == Decimal("6.00")
    assert rules.two_part(5, 5, 6, 2, 2, 4) == Decimal("10.00")
    # 6 × 1/3 + 4 × 1/3 = 10/3 = 3.333… (two halves rounded separately would give 3.34)
    assert rules.two_part(1, 3, 6, 1, 3, 4) == Decimal("3.33")


@given(counts, counts, counts)
def test_two_part_within_bounds_and_monotone(a, b, e):
    low, high = sorted((a, b))
    assert (
        Decimal(0)
        <= rules.two_part(low, 5, 6, e, 2, 4)
        <= rules.two_part(high, 5, 6, e, 2, 4)
        <= 10
    )
    assert rules.two_part(a, 5, 6, min(e, 1), 2, 4) <= rules.two_part(a, 5, 6, e, 2, 4)


def test_ratio_of_counts_zero_when_none():
    assert rules.ratio_of_counts(0, 0, 10) == Decimal("0.00")
    assert rules.ratio_of_counts(2, 3, 10) == Decimal("6.67")
    assert rules.ratio_of_counts(3, 3, 10) == Decimal("10.00")
    with pytest.raises(rules.RuleError):
        rules.ratio_of_counts(4, 3, 10)


@given(st.integers(min_value=1, max_value=500), st.data())
def test_ratio_within_bounds_and_monotone(whole, data):
    a = data.draw(st.integers(min_value=0, max_value=whole))
    b = data.draw(st.integers(min_value=0, max_value=whole))
    low, high = sorted((a, b))
    assert (
        Decimal(0)
        <= rules.ratio_of_counts(low, whole, 10)
        <= rules.ratio_of_counts(high, whole, 10)
        <= 10
    )


def test_star_rule():
    assert rules.star(4, 4, 20, 3, "0.5") == Decimal("20.00")
    assert rules.star(5, 4, 20, 3, "0.5") == Decimal("20.00")
    assert rules.star(3, 4, 20, 3, "0.5") == Decimal("10.00")
    assert rules.star(2, 4, 20, 3, "0.5") == Decimal("0.00")
    assert rules.star(0, None, 20, 3, "0.5") == Decimal("0.00")  # no rating, default target 3
    assert rules.star(2, None, 20, 3, "0.5") == Decimal("10.00")
    assert rules.star(3, None, 20, 3, "0.5") == Decimal("20.00")
    # a target of 1 and no rating: S = 0 = T − 1 → half
    assert rules.star(0, 1, 20, 3, "0.5") == Decimal("10.00")


@given(st.integers(0, 5), st.integers(0, 5), st.integers(1, 5))
def test_star_monotone(a, b, t):
    low, high = sorted((a, b))
    assert Decimal(0) <= rules.star(low, t, 20, 3, "0.5") <= rules.star(high, t, 20, 3, "0.5") <= 20


def test_letter_grades_and_manual_scores():
    assert [rules.letter_grade(x, 10) for x in "ABCD"] == [
        Decimal(v) for v in ("10.00", "6.60", "3.30", "0.00")
    ]
    assert rules.letter_grade("B", 5) == Decimal("3.30")
    with pytest.raises(rules.RuleError):
        rules.letter_grade("E", 10)
    assert rules.manual("7.5", 10) == Decimal("7.50")
    with pytest.raises(rules.RuleError):
        rules.manual(11, 10)


# --- adjustments, total, grade, rank ----------------------------------------------------------


def test_bonus_capped_and_deduction_not():
    assert rules.bonus([5, 5, 3], 10) == Decimal("10.00")
    assert rules.bonus([1, 2], 10) == Decimal("3.00")
    assert rules.bonus([], 10) == Decimal("0.00")
    assert rules.deduction([Decimal("30"), Decimal("120"), Decimal("0.5")]) == Decimal("150.50")


def test_total_floored_at_zero():
    assert rules.total([Decimal("50"), Decimal("40")], Decimal("3"), Decimal("150")) == Decimal(
        "0.00"
    )
    assert rules.total([Decimal("92.5"), Decimal("88")], Decimal("3"), Decimal("0")) == Decimal(
        "183.50"
    )


@pytest.mark.parametrize(
    ("total", "grade"),
    [
        ("200", "优秀"),
        ("180", "优秀"),
        ("179.99", "良好"),
        ("160", "良好"),
        ("159.99", "合格"),
        ("120", "合格"),
        ("119.99", "不合格"),
        ("0", "不合格"),
    ],
)
def test_grade_boundaries(total, grade):
    assert rules.grade(Decimal(total), BANDS, veto=False) == grade


def test_veto_gives_the_lowest_band():
    assert rules.grade(Decimal("200"), BANDS, veto=True) == "不合格"


def test_next_band():
    assert rules.next_band(Decimal("147.5"), BANDS) == ("良好", Decimal("12.50"))
    assert rules.next_band(Decimal("180"), BANDS) is None


def test_competition_ranking_shares_ranks():
    ranks = rules.competition_rank(
        {"a": Decimal("150"), "b": Decimal("120"), "c": Decimal("120"), "d": Decimal("90")}
    )
    assert ranks == {"a": 1, "b": 2, "c": 2, "d": 4}
    assert rules.competition_rank({"x": Decimal("1.10"), "y": Decimal("1.1")}) == {"x": 1, "y": 1}


# --- B5 -------------------------------------------------------------------------------------


def test_whole_years_counts_the_anniversary():
    d = dt.date(2014, 12, 31)
    assert rules.whole_years(dt.date(2013, 12, 31), d) == 1
    assert rules.whole_years(dt.date(2014, 1, 1), d) == 0
    assert rules.whole_years(dt.date(2011, 12, 31), d) == 3
    assert rules.whole_years(dt.date(2012, 1, 1), d) == 2
    assert rules.whole_years(dt.date(2012, 2, 29), dt.date(2013, 2, 28)) == 0


def test_cadre_required_rank():
    d = dt.date(2014, 12, 31)
    assert rules.cadre_required_rank(dt.date(2014, 1, 1), d, 1, 1, 3, 3) == 0
    assert rules.cadre_required_rank(dt.date(2013, 12, 31), d, 1, 1, 3, 3) == 1
    assert rules.cadre_required_rank(dt.date(2011, 12, 31), d, 1, 1, 3, 3) == 3


# --- the registry and the default scheme ------------------------------------------------------


def test_default_scheme_is_consistent_with_its_rules():
    for ind in DEFAULT_SCHEME["indicators"]:
        assert rules.check_params(ind["rule"], ind["params"], ind["points"]) == [], ind["code"]
    by_card = {}
    for ind in DEFAULT_SCHEME["indicators"]:
        by_card[ind["card"]] = by_card.get(ind["card"], 0) + Fraction(ind["points"])
    assert by_card == {"A": 100, "B": 100}


def test_check_params_explains_bad_parameters():
    assert rules.check_params("proportional", {"target": "0"}, 15) == ["参数“目标值”必须大于0"]
    assert rules.check_params("proportional", {}, 15) == ["缺少参数“目标值”"]
    assert rules.check_params("capped_multiple", {"each": "5", "cap": 2}, 12) == [
        "各分项分值合计（10.00）必须等于指标分值（12.00）"
    ]
    assert rules.check_params("star", {"default_target": 3, "one_below_share": "1.5"}, 20) == [
        "参数“差一星得分比例”必须在0到1之间"
    ]
    assert rules.check_params("nope", {}, 1) == ["未知的计分规则：nope"]


@given(
    st.sampled_from(sorted(rules.RULES)), counts, counts, st.integers(1, 5), st.integers(1, 50_000)
)
def test_every_rule_stays_within_its_points(key, value, extra, t, population):
    ind = next((i for i in DEFAULT_SCHEME["indicators"] if i["rule"] == key), None)
    params = ind["params"]
    n_items = len(params.get("items", []))
    parts = {
        "excellent": extra,
        "total": max(value, extra),
        "target": t,
        "present": [bool((value >> k) & 1) for k in range(n_items)],
    }
    inputs = rules.Inputs(Fraction(value), parts, population)
    pts = rules.score(key, inputs, params, ind["points"])
    assert Decimal(0) <= pts <= Decimal(ind["points"])


def test_memoised_rounding_keeps_types_apart():
    """A float means its decimal text (2.675), a Fraction its exact value (just under 2.675):
    the memo must not hand one the other's rounding, whichever comes first."""
    from assessments import gaps

    exact_binary = Fraction(2.675)
    assert rules.to_points(exact_binary) == Decimal("2.67")
    assert rules.to_points(2.675) == Decimal("2.68")
    assert rules.to_points(exact_binary) == Decimal("2.67")
    assert gaps.fmt(2.675) == "2.68" and gaps.fmt(exact_binary) == "2.67"
