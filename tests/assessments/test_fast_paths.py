"""The engine's fast paths (issue 20) give exactly what the plain definitions give.

Rules scored in integers are compared with the same formula in Fractions; Decimal
comparisons with the Fraction ones; the statement's one-parse-per-row reading with parsing
each column alone; and a whole street assessed for many streets at once (shared scheme, no
evidence) with the same street assessed alone with its evidence.
"""

import dataclasses
import datetime as dt
import json
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessments import default_scheme, engine, metrics, rules
from assessments.metrics import statement
from assessments.scheme import SchemeSpec
from tests import factories as f

from .conftest import Y, full_marks

counts = st.integers(min_value=0, max_value=10_000)
decimals = st.decimals(min_value=0, max_value=500, places=2).map(str)
texts = st.sampled_from(["0.03", "5", "2.5", "0.005", "1", "7.125", "12"])
point_values = st.sampled_from(["10", "20", "7.5", "3.33", "15", "0.01", "100"])


def plain_per_capita(count, population, per, target, points):
    share = rules.exact(count) / population * rules.exact(per) / rules.exact(target)
    return rules.to_points(rules.exact(points) * min(share, Fraction(1)))


def plain_proportional(value, target, points):
    share = rules.exact(value) / rules.exact(target)
    return rules.to_points(rules.exact(points) * min(share, Fraction(1)))


@given(
    st.one_of(counts, decimals),
    st.integers(min_value=1, max_value=2_000_000),
    st.sampled_from([1, 100, 1000, "0.5"]),
    texts,
    point_values,
)
def test_per_capita_in_integers_is_the_fraction_formula(count, population, per, target, points):
    got = rules.per_capita(count, population, per, target, points)
    want = plain_per_capita(count, population, per, target, points)
    assert (got, str(got)) == (want, str(want))


@given(st.one_of(counts, decimals), texts, point_values)
def test_proportional_in_integers_is_the_fraction_formula(value, target, points):
    got = rules.proportional(value, target, points)
    want = plain_proportional(value, target, points)
    assert (got, str(got)) == (want, str(want))


def test_the_fast_rules_refuse_what_they_always_refused():
    with pytest.raises(rules.RuleError, match="常住人口"):
        rules.per_capita(1, 0, 1, "0.03", 10)
    with pytest.raises(rules.RuleError, match="目标值"):
        rules.per_capita(1, 100, 1, "0", 10)
    with pytest.raises(rules.RuleError, match="数值"):
        rules.proportional(-1, 5, 10)
    with pytest.raises(rules.RuleError, match="目标值"):
        rules.proportional(1, "-2", 10)


BANDS = [("优秀", Decimal("180")), ("良好", Decimal("160")), ("合格", Decimal("120"))]
BANDS += [("不合格", Decimal("0"))]


@given(st.decimals(min_value=0, max_value=230, places=2), st.booleans())
def test_decimal_grades_are_the_fraction_grades(total, veto):
    as_fractions = [(name, str(m)) for name, m in BANDS]  # text: compared as Fractions
    assert rules.grade(total, BANDS, veto) == rules.grade(Fraction(total), as_fractions, veto)
    got = rules.next_band(total, BANDS)
    want = rules.next_band(Fraction(total), as_fractions)
    assert repr(got) == repr(want)


@given(st.lists(st.decimals(min_value=0, max_value=230, places=2), max_size=30))
def test_decimal_ranks_are_the_fraction_ranks(totals):
    by_decimal = rules.competition_rank(dict(enumerate(totals)))
    by_fraction = rules.competition_rank({k: Fraction(v) for k, v in enumerate(totals)})
    assert by_decimal == by_fraction


def test_one_parse_per_row_reads_what_parsing_each_column_reads():
    reader = statement.Reader([], [], {"a": "s1", "b": "s1", "c": "s2", "d": "s3"}, evidence=False)
    row = {"src_s1": '{"a": 3, "b": [1, 2]}', "src_s2": None, "src_s3": '{"d": 2.5}'}
    decoded_row = {k: None if v is None else json.loads(v) for k, v in row.items()}
    expected = {"a": 3, "b": [1, 2], "c": None, "d": 2.5}
    assert reader.figures(row) == expected
    assert reader.figures(decoded_row) == expected  # a driver that decodes JSON itself


def test_equal_figures_give_the_one_value_computed_from_them():
    """Without evidence, Reader.values computes a request's MetricValue once per distinct
    figures (a city's communities repeat them): the same as computing it for each row."""
    spec = SchemeSpec.of(default_scheme.DEFAULT_SCHEME)
    ctx = metrics.MetricContext((), Y, dt.date(Y, 12, 31), spec.cadre)
    requests = [(i.metric, i.params) for i in spec.computed]
    measures = statement.measures_of(ctx, requests)
    columns = statement.metric_columns(measures, evidence=False)
    rows = [dict.fromkeys(columns, k % 3 + 1) for k in range(6)]  # three figures, twice
    reader = statement.reader(measures, requests, columns, evidence=False)
    shared = [reader.values(row) for row in rows]
    for row, values in zip(rows, shared, strict=True):
        fresh = statement.reader(measures, requests, columns, evidence=False).values(row)
        assert values == fresh
    assert all(a is not None for a in shared[0])
    assert all(a is b for a, b in zip(shared[0], shared[3], strict=True))
    assert shared[0] != shared[1]


def _without_evidence(assessment):
    """The assessment's outcomes as plain data, evidence ids left out (evidence=False
    reads none) and Decimals by their text (10.0 and 10.00 are not the same figure)."""
    out = []
    for c in assessment.communities:
        data = dataclasses.asdict(c)
        data["bonus_ids"] = data["deduction_ids"] = []
        for i in data["indicators"]:
            i["evidence_ids"] = ()
            i["detail"] = {k: v for k, v in i["detail"].items() if not k.endswith("_ids")}
        out.append(repr(data))
    return out


@pytest.mark.django_db
def test_streets_assessed_together_equal_each_street_assessed_alone(cast):
    """Many streets at once (one statement, one SchemeSpec shared by streets of the same
    scheme, outcomes shared between communities) against each street on its own with its
    evidence: every figure, text and rank the same."""
    full_marks(cast.a1, population=100)
    full_marks(cast.a2, population=4321)  # per-capita indicators short of full points
    full_marks(cast.b1, population=250)
    f.DeductionFactory(community=cast.a2, year=Y, points=Decimal("2.50"))
    together = engine.compute_streets([cast.street_a, cast.street_b], Y)
    alone = [engine.compute(cast.street_a, Y), engine.compute(cast.street_b, Y)]
    assert [a.scheme for a in together] == [a.scheme for a in alone]
    for mine, theirs in zip(together, alone, strict=True):
        assert _without_evidence(mine) == _without_evidence(theirs)
    a2 = next(c for c in together[0].communities if c.community_id == cast.a2.pk)
    assert a2.total < Decimal("200") and a2.grade_gap  # the short paths were exercised


@pytest.mark.django_db
def test_communities_with_the_same_figures_share_one_read_only_outcome(cast):
    """Scored gives equal figures the same IndicatorOutcome object (no copy to make or to
    pickle into the score cache): so an outcome cannot be changed in place."""
    full_marks(cast.a1, population=100)
    full_marks(cast.b1, population=100)
    a, b = engine.compute_streets([cast.street_a, cast.street_b], Y)
    first = next(c for c in a.communities if c.community_id == cast.a1.pk)
    second = next(c for c in b.communities if c.community_id == cast.b1.pk)
    assert [i.order for i in first.indicators] == list(range(1, len(first.indicators) + 1))
    shared = [i for i, j in zip(first.indicators, second.indicators, strict=True) if i is j]
    assert len(shared) == len(first.indicators)  # the same figures everywhere, even P
    with pytest.raises(dataclasses.FrozenInstanceError):
        shared[0].points = Decimal("0")


# Points of 0–3 decimals: 2 or fewer take the cents path, 3 the Fraction path.
amounts = st.decimals(min_value=-50, max_value=250, places=3) | st.decimals(
    min_value=0, max_value=250, places=2
)


def plain_sum(values):
    return sum((rules.exact(v) for v in values), Fraction(0))


@given(st.lists(amounts, max_size=4), amounts, amounts, st.decimals(0, 20, places=2))
def test_adjustments_and_total_in_cents_are_the_fraction_sums(cards, plus, minus, cap):
    got = rules.total(cards, plus, minus)
    want = rules.to_points(max(plain_sum([*cards, plus]) - rules.exact(minus), Fraction(0)))
    assert (got, str(got)) == (want, str(want))
    got = rules.bonus(cards, cap)
    want = rules.to_points(min(plain_sum(cards), rules.exact(cap)))
    assert (got, str(got)) == (want, str(want))
    got = rules.deduction(cards)
    want = rules.to_points(plain_sum(cards))
    assert (got, str(got)) == (want, str(want))


def test_a_negative_bonus_cap_is_refused_on_the_cents_path_too():
    with pytest.raises(rules.RuleError, match="加分上限"):
        rules.bonus([Decimal("1.00")], Decimal("-1.00"))
