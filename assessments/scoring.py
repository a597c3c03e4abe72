"""Scoring: a scheme's rules applied to the figures gathered for a street (engine.py).

Pure of the database: what it reads comes in an Inputs, what it gives is an Assessment.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from communities.models import Street

from . import gaps, metrics, rules
from .models import ManualScore
from .outcomes import Assessment, CommunityOutcome, IndicatorOutcome
from .scheme import IndicatorSpec, SchemeSpec

FOUR = Decimal("0.0001")


@dataclass
class Inputs:
    """What one street's scoring reads, gathered for many streets at once."""

    communities: list[tuple[int, str]] = field(default_factory=list)  # (id, name) by name
    values: dict[str, dict[int, metrics.MetricValue]] = field(default_factory=dict)  # by code
    population: dict[int, metrics.PopulationRow] = field(default_factory=dict)
    adjustments: dict[int, metrics.Adjustments] = field(default_factory=dict)
    extra: dict[int, dict[str, Any]] = field(default_factory=dict)


def shown(x: rules.Number | None) -> Decimal | None:
    if x is None:
        return None
    if type(x) is Fraction:  # a target of its own (per capita): hashing costs more
        return _shown(x)
    return _shown_shared(x)


def _shown(f: Fraction) -> Decimal:
    # Values and targets are shown, never summed: 4 decimals keep P × 0.005 exact.
    return (Decimal(f.numerator) / Decimal(f.denominator)).quantize(FOUR, rounding=ROUND_HALF_UP)


# The counts and parameter targets a city shows are a few hundred distinct numbers.
@functools.lru_cache(maxsize=8192, typed=True)
def _shown_shared(x: rules.Number) -> Decimal:
    return _shown(rules.exact(x))


@functools.lru_cache(maxsize=1024)
def _fixed(metric_key: str, points: Decimal) -> tuple[metrics.Metric, gaps.Phrases, Decimal]:
    """What an indicator's outcomes share: its metric, the metric's wording, its maximum."""
    metric = metrics.METRICS[metric_key]
    return (
        metric,
        gaps.Phrases(metric.gap, metric.gap_extra, metric.gap_none),
        rules.to_points(points),
    )


_PLAIN = (int, str, bool, type(None))


def _json_safe(parts: Mapping[str, Any]) -> dict[str, Any]:
    # Most parts are already plain (counts, flags, id lists): no JSON round trip for them.
    if all(
        type(v) in _PLAIN or (type(v) in (list, tuple) and all(type(x) in _PLAIN for x in v))
        for v in parts.values()
    ):
        return {k: list(v) if type(v) is tuple else v for k, v in parts.items()}
    return json.loads(json.dumps(dict(parts), default=str))


def computed_outcome(
    ind: IndicatorSpec, mv: metrics.MetricValue, population: int, order: int = 0
) -> IndicatorOutcome:
    """A computed indicator scored by its rule, with its target, evidence and gap."""
    metric, phrases, max_points = _fixed(ind.metric, ind.points)
    params = ind.params
    inputs = rules.Inputs(value=rules.exact(mv.value), parts=mv.parts, population=population)
    points = rules.score(ind.rule, inputs, params, ind.points)
    target = rules.RULES[ind.rule].target(inputs, params)
    detail = _json_safe(mv.parts)
    if ind.rule == "per_capita":
        detail["population"] = population
    return IndicatorOutcome(
        code=ind.code,
        name=ind.name,
        card=ind.card,
        order=order,
        is_manual=False,
        max_points=max_points,
        points=points,
        value=shown(mv.value),
        target=shown(target),
        evidence_model=metric.model,
        evidence_ids=tuple(mv.ids),
        detail=detail,
        gap=gaps.indicator_gap(
            rule=ind.rule,
            params=params,
            value=mv.value,
            parts=mv.parts,
            population=population,
            points=points,
            max_points=ind.points,
            phrases=phrases,
        ),
    )


# Rules whose points, target and gap do not read the population (rules.RULES); any other
# rule, including one added later, is scored with the community's population in the key.
_WITHOUT_POPULATION = frozenset(
    {"proportional", "capped_multiple", "per_item", "presence", "two_part", "ratio", "star"}
)


def _frozen(parts: Mapping[str, Any]) -> tuple:
    # In the metric's own order (a metric builds its parts alike each time; another order
    # would only miss the memo, never share a wrong outcome).
    return tuple(
        (k, tuple(v) if type(v) is list or type(v) is tuple else v) for k, v in parts.items()
    )


class Scored:
    """Outcomes of computed indicators already scored in this evaluation: communities with
    the same counts get the same outcome, so a city's thousands of communities are scored
    once per distinct (indicator, its place, value, parts) rather than once each. They get
    the same (read-only) object, not a copy: copying 50,000 outcomes, and pickling them one
    by one into the score cache, took a third of a city's scoring."""

    def __init__(self) -> None:
        self.memo: dict[tuple, IndicatorOutcome] = {}

    def outcome(
        self, ind: IndicatorSpec, mv: metrics.MetricValue, population: int, order: int
    ) -> IndicatorOutcome:
        if mv.ids:  # the evidence differs per community
            return computed_outcome(ind, mv, population, order)
        key = (
            ind.key,
            order,
            mv.value,
            _frozen(mv.parts) if mv.parts else (),
            None if ind.rule in _WITHOUT_POPULATION else population,
        )
        try:
            found = self.memo.get(key)
        except TypeError:  # parts that cannot be a key: score this one on its own
            return computed_outcome(ind, mv, population, order)
        if found is None:
            found = self.memo[key] = computed_outcome(ind, mv, population, order)
        return found


def counted_manual(score: ManualScore) -> tuple[str, Decimal | None, str]:
    """Which 考评 counts: the district's (区县考评, on its published scheme's items) when it
    has scored, else the street's. Returns (who, score, letter); who is "district" or
    "street"."""
    if score.district_score is not None or score.district_letter:
        return "district", score.district_score, score.district_letter
    return "street", score.assessor_score, score.letter_grade


def manual_points(ind: IndicatorSpec, score: ManualScore | None) -> Decimal | None:
    """The points a manual item counts, or None while nobody has scored it."""
    if score is None or not score.is_scored:
        return None
    _who, value, letter = counted_manual(score)
    if ind.letter_grades or letter:
        if not letter:
            return None
        return rules.letter_grade(letter, ind.points, ind.params.get("letters"))
    return rules.manual(value, ind.points)


def manual_outcome(
    ind: IndicatorSpec, score: ManualScore | None, order: int = 0
) -> IndicatorOutcome:
    """A manual item: the 考评 counts (the district's over the street's, counted_manual);
    the community's 自评 and, on a district item, the street's 考评 are shown beside it."""
    points = manual_points(ind, score)
    detail: dict[str, Any] = {}
    value = None
    if score is not None:
        who, value, letter = counted_manual(score)
        detail = {
            "self_score": None if score.self_score is None else str(score.self_score),
            "letter": letter,
            "manual_score_id": score.pk,
            "counted_by": who if score.is_scored else "",
            "street_score": None if score.assessor_score is None else str(score.assessor_score),
            "street_letter": score.letter_grade,
            "district_score": None if score.district_score is None else str(score.district_score),
            "district_letter": score.district_letter,
        }
    return IndicatorOutcome(
        code=ind.code,
        name=ind.name,
        card=ind.card,
        order=order,
        is_manual=True,
        max_points=rules.to_points(ind.points),
        points=points,
        value=value,
        evidence_model="assessments.manualscore" if score is not None else "",
        evidence_ids=(score.pk,) if score is not None else (),
        detail=detail,
        gap=gaps.manual_gap(
            scored=points is not None,
            points=points,
            max_points=ind.points,
            self_score=score.self_score if score is not None else None,
        ),
    )


def score_street(
    street: Street,
    year: int,
    as_of: dt.date,
    scheme: SchemeSpec,
    found: Inputs,
    manual: Mapping[tuple[int, str], ManualScore],
    scored_before: Scored,
) -> Assessment:
    """Apply the scheme to what was gathered for the street: points, cards, total, grade,
    rank (assessment.md, "Scoring")."""
    bands = scheme.bands
    card_codes = [c.code for c in scheme.cards]

    # Per indicator, once per street: its order, and the figures of its metric (None: manual).
    plan = [
        (order, ind, None if ind.is_manual else found.values[ind.code])
        for order, ind in enumerate(scheme.indicators, start=1)
    ]
    outcome = scored_before.outcome
    nothing = metrics.MetricValue()  # nothing counted (immutable, so shared)
    outcomes: list[CommunityOutcome] = []
    for community_id, name in found.communities:
        out = CommunityOutcome(community_id=community_id, name=name)
        outcomes.append(out)
        pop = found.population.get(community_id)
        if pop is None:
            out.error = f"{name}：没有{year}年及以前的常住人口记录，无法计分。"
            continue
        residents = out.population = pop.residents
        out.population_year = pop.year
        items = out.indicators
        # A card is the sum of its rounded indicators (unscored manual items add nothing),
        # added in the scheme's order.
        cards = out.cards = dict.fromkeys(card_codes, Decimal("0.00"))
        for order, ind, values in plan:
            if values is None:
                item = manual_outcome(ind, manual.get((community_id, ind.code)), order)
            else:
                item = outcome(ind, values.get(community_id, nothing), residents, order)
            items.append(item)
            if item.points is not None and item.card in cards:
                cards[item.card] += item.points
        adj = found.adjustments.get(community_id, metrics.Adjustments())
        out.bonus = rules.bonus(adj.bonus_points, scheme.bonus_cap)
        out.bonus_ids = list(adj.bonus_ids)
        out.deduction = rules.deduction(adj.deduction_points)
        out.deduction_ids = list(adj.deduction_ids)
        out.veto = adj.veto
        out.total = rules.total(out.cards.values(), out.bonus, out.deduction)
        missing = [i.code for i in items if i.points is None]  # out.missing
        if missing:
            # The grade waits for the manual scores: never silently full or zero.
            out.grade_gap = "人工指标未评分（" + "、".join(missing) + "），等次待定"
        else:
            out.grade = rules.grade(out.total, bands, out.veto)
            out.grade_gap = gaps.grade_gap(out.total, bands, out.veto)

    ranks = rules.competition_rank({o.community_id: o.total for o in outcomes if not o.error})
    for o in outcomes:
        o.rank = ranks.get(o.community_id)
    scored = sorted((o for o in outcomes if not o.error), key=lambda o: (o.rank, o.name))
    failed = [o for o in outcomes if o.error]
    return Assessment(
        street=street,
        year=year,
        as_of=as_of,
        provisional=as_of < dt.date(year, 12, 31),
        scheme_name=scheme.name,
        scheme=scheme,
        communities=scored + failed,
        extra={cid: found.extra[cid] for cid, _ in found.communities if cid in found.extra},
    )
