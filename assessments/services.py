"""Running the 双百分 assessment: compute, store a run, finalise, compare; manual scores;
scheme edits. Writes validate and save inside transaction.atomic(); nothing half-written.

compute() gathers every metric once for all communities of the street (a fixed number of
queries whatever their count), applies the scheme's rules and returns an Assessment; it
writes nothing. run_assessment() stores the same as a versioned Run with one result per
community and indicator and the evidence ids behind each number.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone

from communities import scope
from communities.models import Community, Street

from . import default_scheme, gaps, metrics, rules, statements
from .metrics import statement
from .models import (
    BonusLevel,
    Card,
    CommunityResult,
    FinalisedError,
    GradeBand,
    Indicator,
    IndicatorResult,
    LetterGrade,
    ManualScore,
    Run,
    RunStatus,
    Scheme,
)

FOUR = Decimal("0.0001")


# compute(extra=…): a function of (year, as of) giving {name: expression on the Community
# row}, read in the tally query. A function of those two only, as the statement's SQL is kept
# by them (statements.py): it must read nothing else, e.g. not today's date.
Extra = Callable[[int, dt.date], Mapping[str, Any]]
# The prefix of the extra columns in the tally statement (apart from the engine's own).
EXTRA = "extra_"


@dataclass
class IndicatorOutcome:
    code: str
    name: str
    card: str
    order: int
    is_manual: bool
    max_points: Decimal
    points: Decimal | None  # None: a manual item nobody has scored yet
    value: Decimal | None = None
    target: Decimal | None = None
    evidence_model: str = ""
    evidence_ids: tuple[int, ...] = ()
    detail: dict[str, Any] = field(default_factory=dict)
    gap: str = ""

    @property
    def missing(self) -> bool:
        return self.points is None


@dataclass
class CommunityOutcome:
    community_id: int
    name: str
    population: int | None = None
    population_year: int | None = None
    indicators: list[IndicatorOutcome] = field(default_factory=list)
    cards: dict[str, Decimal] = field(default_factory=dict)
    bonus: Decimal | None = None
    bonus_ids: list[int] = field(default_factory=list)
    deduction: Decimal | None = None
    deduction_ids: list[int] = field(default_factory=list)
    veto: bool = False
    total: Decimal | None = None
    grade: str = ""
    grade_gap: str = ""
    rank: int | None = None
    error: str = ""

    @property
    def missing(self) -> list[str]:
        return [i.code for i in self.indicators if i.missing]

    @property
    def complete(self) -> bool:
        return not self.error and not self.missing


@dataclass
class Assessment:
    street: Street
    year: int
    as_of: dt.date
    provisional: bool
    scheme_name: str
    snapshot: dict[str, Any]
    communities: list[CommunityOutcome]  # scored ones by rank then name, then the errors
    # compute(extra=…): the caller's own per-community figures, read in the same query.
    extra: dict[int, dict[str, Any]] = field(default_factory=dict)

    @property
    def scored(self) -> list[CommunityOutcome]:
        return [c for c in self.communities if not c.error]

    @property
    def errors(self) -> list[CommunityOutcome]:
        return [c for c in self.communities if c.error]

    @property
    def missing(self) -> list[dict[str, Any]]:
        return [{"community": c.name, "indicators": c.missing} for c in self.scored if c.missing]

    @property
    def complete(self) -> bool:
        return not self.missing


# --- helpers ---------------------------------------------------------------------------------


def year_end(year: int) -> dt.date:
    return dt.date(year, 12, 31)


def resolve_as_of(year: int, as_of: dt.date | None) -> dt.date:
    """D is 31 Dec Y, or an earlier day of Y for a provisional (临时) assessment."""
    if as_of is None:
        return year_end(year)
    if as_of.year != year:
        raise ValidationError(f"截至日期 {as_of:%Y-%m-%d} 不在考核年度 {year} 年内。")
    return as_of


def _dec(x: rules.Number | None) -> Decimal | None:
    if x is None:
        return None
    f = rules.exact(x)
    # Values and targets are shown, never summed: 4 decimals keep P × 0.005 exact.
    return (Decimal(f.numerator) / Decimal(f.denominator)).quantize(FOUR, rounding=ROUND_HALF_UP)


_PLAIN = (int, str, bool, type(None))


def _json_safe(parts: Mapping[str, Any]) -> dict[str, Any]:
    # Most parts are already plain (counts, flags, id lists): no JSON round trip for them.
    if all(
        type(v) in _PLAIN or (type(v) in (list, tuple) and all(type(x) in _PLAIN for x in v))
        for v in parts.values()
    ):
        return {k: list(v) if type(v) is tuple else v for k, v in parts.items()}
    return json.loads(json.dumps(dict(parts), default=str))


def metric_context(
    year: int, as_of: dt.date, data: Mapping[str, Any], ids: list[int]
) -> metrics.MetricContext:
    """The metrics' context of a run of year Y at D under a scheme (its B5 deadlines)."""
    return metrics.MetricContext(
        community_ids=tuple(ids),
        year=year,
        as_of=as_of,
        cadre=metrics.CadreDeadlines(
            basic_years=int(data["cadre_basic_years"]),
            basic_level=data["cadre_basic_level"],
            senior_years=int(data["cadre_senior_years"]),
            senior_level=data["cadre_senior_level"],
        ),
    )


# --- computing -------------------------------------------------------------------------------


def compute(
    street: Street,
    year: int,
    as_of: dt.date | None = None,
    *,
    evidence: bool = True,
    extra: Extra | None = None,
) -> Assessment:
    """The assessment of every community of the street for year Y, at D; writes nothing.

    Uses the street's scheme for Y, else (without creating it) the latest earlier one, else
    the default scheme. evidence=False gives the same numbers without the evidence ids (each
    IndicatorOutcome.evidence_ids is empty), in one query for all metrics — for pages that
    show the numbers, not the records behind them. With it, `extra` (a function of the year
    and the date giving {name: expression on the Community row}) adds the caller's own
    per-community figures to that query; they come back in Assessment.extra.
    """
    as_of = resolve_as_of(year, as_of)
    data = default_scheme.data_for(street, year)
    return evaluate(street, year, as_of, data, evidence=evidence, extra=extra)


def compute_streets(
    streets: list[Street], year: int, as_of: dt.date | None = None, *, evidence: bool = False
) -> list[Assessment]:
    """compute() for many streets at once (a district's or city's portal), in a number of
    queries that does not grow with the streets: the schemes in one, the records in one
    (evidence=False) or one or two per metric (evidence=True). Ranks are per street."""
    as_of = resolve_as_of(year, as_of)
    if not streets:
        return []
    data = default_scheme.data_for_streets(streets, year)
    return evaluate_many([(s, data[s.pk]) for s in streets], year, as_of, evidence=evidence)


def _computed_indicator(
    ind: dict[str, Any], mv: metrics.MetricValue, population: int
) -> IndicatorOutcome:
    metric = metrics.METRICS[ind["metric"]]
    params = ind.get("params", {})
    inputs = rules.Inputs(value=rules.exact(mv.value), parts=mv.parts, population=population)
    points = rules.score(ind["rule"], inputs, params, ind["points"])
    target = rules.RULES[ind["rule"]].target(inputs, params)
    detail = _json_safe(mv.parts)
    if ind["rule"] == "per_capita":
        detail["population"] = population
    return IndicatorOutcome(
        code=ind["code"],
        name=ind["name"],
        card=ind["card"],
        order=0,
        is_manual=False,
        max_points=rules.to_points(ind["points"]),
        points=points,
        value=_dec(mv.value),
        target=_dec(target),
        evidence_model=metric.model,
        evidence_ids=tuple(mv.ids),
        detail=detail,
        gap=gaps.indicator_gap(
            rule=ind["rule"],
            params=params,
            value=mv.value,
            parts=mv.parts,
            population=population,
            points=points,
            max_points=ind["points"],
            phrases=gaps.Phrases(metric.gap, metric.gap_extra, metric.gap_none),
        ),
    )


# Rules whose points, target and gap do not read the population (rules.RULES); any other
# rule, including one added later, is scored with the community's population in the key.
_WITHOUT_POPULATION = frozenset(
    {"proportional", "capped_multiple", "per_item", "presence", "two_part", "ratio", "star"}
)


def _frozen(parts: Mapping[str, Any]) -> tuple:
    return tuple(
        sorted((k, tuple(v) if isinstance(v, list | tuple) else v) for k, v in parts.items())
    )


class _Scored:
    """Outcomes of computed indicators already scored in this evaluation: communities with
    the same counts get the same outcome, so a city's thousands of communities are scored
    once per distinct (indicator, value, parts) rather than once each."""

    def __init__(self) -> None:
        self.memo: dict[tuple, IndicatorOutcome] = {}
        self.specs: dict[int, str] = {}

    def outcome(
        self, ind: dict[str, Any], mv: metrics.MetricValue, population: int
    ) -> IndicatorOutcome:
        if mv.ids:  # the evidence differs per community
            return _computed_indicator(ind, mv, population)
        spec = self.specs.get(id(ind))
        if spec is None:
            spec = self.specs[id(ind)] = json.dumps(ind, sort_keys=True, default=str)
        key = (
            spec,
            mv.value,
            _frozen(mv.parts),
            None if ind["rule"] in _WITHOUT_POPULATION else population,
        )
        try:
            found = self.memo.get(key)
        except TypeError:  # parts that cannot be a key: score this one on its own
            return _computed_indicator(ind, mv, population)
        if found is None:
            found = self.memo[key] = _computed_indicator(ind, mv, population)
        # A shallow copy with its own detail (dataclasses.replace re-runs __init__: a tenth
        # of a street's scoring time).
        item = object.__new__(IndicatorOutcome)
        item.__dict__.update(found.__dict__)
        item.detail = dict(found.detail)
        return item


def manual_points(ind: Mapping[str, Any], score: ManualScore | None) -> Decimal | None:
    """The points a manual item counts, or None while nobody has scored it."""
    if score is None or not score.is_scored:
        return None
    if ind.get("letter_grades") or score.letter_grade:
        if not score.letter_grade:
            return None
        return rules.letter_grade(
            score.letter_grade, ind["points"], ind.get("params", {}).get("letters")
        )
    return rules.manual(score.assessor_score, ind["points"])


def _manual_indicator(ind: dict[str, Any], score: ManualScore | None) -> IndicatorOutcome:
    points = manual_points(ind, score)
    detail: dict[str, Any] = {}
    if score is not None:
        detail = {
            "self_score": None if score.self_score is None else str(score.self_score),
            "letter": score.letter_grade,
            "manual_score_id": score.pk,
        }
    return IndicatorOutcome(
        code=ind["code"],
        name=ind["name"],
        card=ind["card"],
        order=0,
        is_manual=True,
        max_points=rules.to_points(ind["points"]),
        points=points,
        value=None if score is None or score.assessor_score is None else score.assessor_score,
        evidence_model="assessments.manualscore" if score is not None else "",
        evidence_ids=(score.pk,) if score is not None else (),
        detail=detail,
        gap=gaps.manual_gap(
            scored=points is not None,
            points=points,
            max_points=ind["points"],
            self_score=score.self_score if score is not None else None,
        ),
    )


@dataclass
class _Inputs:
    """What one street's scoring reads, gathered for many streets at once."""

    communities: list[tuple[int, str]] = field(default_factory=list)  # (id, name) by name
    values: dict[str, dict[int, metrics.MetricValue]] = field(default_factory=dict)  # by code
    population: dict[int, metrics.PopulationRow] = field(default_factory=dict)
    adjustments: dict[int, metrics.Adjustments] = field(default_factory=dict)
    extra: dict[int, dict[str, Any]] = field(default_factory=dict)


def _bonus_points(data: Mapping[str, Any]) -> dict[str, Any]:
    return {b["level"]: b["points"] for b in data["bonus_levels"]}


def _requests(data: Mapping[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """(indicator code, metric key, params) of the scheme's computed indicators."""
    out = []
    for ind in data["indicators"]:
        if ind.get("is_manual"):
            continue
        if ind["metric"] not in metrics.METRICS:
            raise ValidationError(f"指标 {ind['code']} 的统计口径“{ind['metric']}”不存在。")
        out.append((ind["code"], ind["metric"], ind.get("params", {})))
    return out


def _params_key(metric: str, params: Mapping[str, Any]) -> tuple[str, str]:
    return metric, json.dumps(params, sort_keys=True)


def _gather(
    jobs: list[tuple[Street, dict[str, Any]]],
    year: int,
    as_of: dt.date,
    *,
    evidence: bool,
    extra: Extra | None = None,
) -> list[_Inputs]:
    """Every metric, the population, the bonus and the deduction of every community of the
    streets in ONE query on Community (metrics.statement), with the evidence ids or not."""
    # The columns are correlated to each Community row: the context needs no id list.
    ctx = metric_context(year, as_of, jobs[0][1], [])
    requests: list[tuple[str, dict[str, Any]]] = []
    index: dict[tuple[str, str], int] = {}
    for _street, data in jobs:
        for _code, metric, params in _requests(data):
            key = _params_key(metric, params)
            if key not in index:
                index[key] = len(requests)
                requests.append((metric, params))
    levels = sorted({b["level"] for _, data in jobs for b in data["bonus_levels"]})
    street_ids = [s.pk for s, _ in jobs]
    measures = statement.measures_of(ctx, requests)
    columns = {
        **statement.metric_columns(measures, evidence),
        **statement.adjustment_columns(levels, evidence),
    }

    def build() -> QuerySet:
        extra_columns = {
            EXTRA + name: e for name, e in (extra(year, as_of) if extra else {}).items()
        }
        return (
            Community.objects.filter(street_id__in=street_ids)
            .order_by("name", "pk")
            .values(
                "pk",
                "name",
                "street_id",
                **statement.annotations(ctx, columns),
                **statement.population_annotation(ctx),
                **extra_columns,
            )
        )

    # Everything build() reads (statements.py keeps its SQL by this key).
    statement_key = ("tally", tuple(street_ids), ctx, tuple(index), tuple(levels), evidence, extra)
    rows = statements.values_rows(statement_key, build)
    values: list[dict[int, metrics.MetricValue]] = [{} for _ in requests]
    by_street: dict[int, list[tuple[int, str]]] = {s.pk: [] for s, _ in jobs}
    population: dict[int, metrics.PopulationRow] = {}
    found: dict[int, dict[str, Any]] = {}
    wanted: dict[int, dict[str, Any]] = {}
    for row in rows:
        by_street[row["street_id"]].append((row["pk"], row["name"]))
        found[row["pk"]] = figures = statement.figures(row, columns)
        for n, value in enumerate(statement.metric_values(measures, requests, figures)):
            if value is not None:
                values[n][row["pk"]] = value
        pop = statement.population_value(row)
        if pop is not None:
            population[row["pk"]] = pop
        wanted[row["pk"]] = {
            name[len(EXTRA) :]: value for name, value in row.items() if name.startswith(EXTRA)
        }
    out = []
    for street, data in jobs:
        inputs = _Inputs(communities=by_street[street.pk], population=population, extra=wanted)
        for code, metric, params in _requests(data):
            inputs.values[code] = values[index[_params_key(metric, params)]]
        points = _bonus_points(data)
        for cid, _name in inputs.communities:
            inputs.adjustments[cid] = statement.adjustments(found[cid], levels, points)
        out.append(inputs)
    return out


def _cadre_key(data: Mapping[str, Any]) -> tuple:
    return tuple(
        data[k]
        for k in (
            "cadre_basic_years",
            "cadre_basic_level",
            "cadre_senior_years",
            "cadre_senior_level",
        )
    )


def evaluate_many(
    jobs: list[tuple[Street, dict[str, Any]]],
    year: int,
    as_of: dt.date,
    *,
    evidence: bool = True,
    extra: Extra | None = None,
) -> list[Assessment]:
    """Apply each street's scheme (as data: DEFAULT_SCHEME's shape) to its records.

    The number of queries does not depend on the number of streets or communities: the
    streets are gathered together, per distinct B5 deadlines (a metric's context).
    With evidence=False the numbers are the same but no evidence ids are fetched, and every
    metric of every community comes from one query (metrics' tallies).
    """
    for _street, data in jobs:
        _requests(data)  # an unknown metric is refused before anything is read
    inputs: list[_Inputs | None] = [None] * len(jobs)
    groups: dict[tuple, list[int]] = {}
    for n, (_street, data) in enumerate(jobs):
        groups.setdefault(_cadre_key(data), []).append(n)
    if extra and evidence:
        raise ValueError("extra figures are read with the tallies (evidence=False) only")
    for members in groups.values():
        group = [jobs[n] for n in members]
        gathered = _gather(group, year, as_of, evidence=evidence, extra=extra)
        for n, found in zip(members, gathered, strict=True):
            inputs[n] = found
    manual = _manual_scores_many(jobs, year, inputs)
    scored_before = _Scored()
    return [
        _score(street, year, as_of, data, found, manual, scored_before)
        for (street, data), found in zip(jobs, inputs, strict=True)
    ]


def evaluate(
    street: Street,
    year: int,
    as_of: dt.date,
    data: dict[str, Any],
    *,
    evidence: bool = True,
    extra: Extra | None = None,
) -> Assessment:
    """Apply a scheme (as data: DEFAULT_SCHEME's shape) to the street's records."""
    return evaluate_many([(street, data)], year, as_of, evidence=evidence, extra=extra)[0]


def _manual_scores_many(
    jobs: list[tuple[Street, dict[str, Any]]], year: int, inputs: list[_Inputs | None]
) -> dict[tuple[int, str], ManualScore]:
    """The manual scores of the year's schemes of the streets that have manual items."""
    streets, codes, ids = [], set(), []
    for (street, data), found in zip(jobs, inputs, strict=True):
        mine = [i["code"] for i in data["indicators"] if i.get("is_manual")]
        if mine and found is not None:
            streets.append(street)
            codes.update(mine)
            ids.extend(pk for pk, _ in found.communities)
    if not streets:
        return {}
    rows = ManualScore.objects.filter(
        indicator__scheme__street__in=streets,
        indicator__scheme__year=year,
        indicator__code__in=sorted(codes),
        community_id__in=ids,
    ).select_related("indicator")
    return {(m.community_id, m.indicator.code): m for m in rows}


def _score(
    street: Street,
    year: int,
    as_of: dt.date,
    data: dict[str, Any],
    found: _Inputs,
    manual: Mapping[tuple[int, str], ManualScore],
    scored_before: _Scored,
) -> Assessment:
    indicators = data["indicators"]
    bands = [(b["name"], b["min_total"]) for b in data["grade_bands"]]
    card_codes = [c["code"] for c in data["cards"]]

    outcomes: list[CommunityOutcome] = []
    for community_id, name in found.communities:
        out = CommunityOutcome(community_id=community_id, name=name)
        outcomes.append(out)
        pop = found.population.get(community_id)
        if pop is None:
            out.error = f"{name}：没有{year}年及以前的常住人口记录，无法计分。"
            continue
        out.population, out.population_year = pop.residents, pop.year
        for order, ind in enumerate(indicators, start=1):
            if ind.get("is_manual"):
                item = _manual_indicator(ind, manual.get((community_id, ind["code"])))
            else:
                item = scored_before.outcome(
                    ind,
                    found.values[ind["code"]].get(community_id, metrics.MetricValue()),
                    pop.residents,
                )
            item.order = order
            out.indicators.append(item)
        # A card is the sum of its rounded indicators (unscored manual items add nothing).
        out.cards = {
            code: sum(
                (i.points for i in out.indicators if i.card == code and i.points is not None),
                Decimal("0.00"),
            )
            for code in card_codes
        }
        adj = found.adjustments.get(community_id, metrics.Adjustments())
        out.bonus = rules.bonus(adj.bonus_points, data["bonus_cap"])
        out.bonus_ids = list(adj.bonus_ids)
        out.deduction = rules.deduction(adj.deduction_points)
        out.deduction_ids = list(adj.deduction_ids)
        out.veto = adj.veto
        out.total = rules.total(out.cards.values(), out.bonus, out.deduction)
        if out.missing:
            # The grade waits for the manual scores: never silently full or zero.
            out.grade_gap = "人工指标未评分（" + "、".join(out.missing) + "），等次待定"
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
        provisional=as_of < year_end(year),
        scheme_name=data.get("name", default_scheme.DEFAULT_NAME),
        snapshot=data,
        communities=scored + failed,
        extra={cid: found.extra[cid] for cid, _ in found.communities if cid in found.extra},
    )


def _num(d: Decimal | None) -> float | None:
    return None if d is None else float(d)


def assessment_json(a: Assessment) -> dict[str, Any]:
    """The `assess --json` object (assessment.md, "Command-line contract")."""
    out: dict[str, Any] = {
        "street": a.street.name,
        "year": a.year,
        "scheme": a.scheme_name,
        "communities": [
            {
                "community": c.name,
                "rank": c.rank,
                "grade": c.grade,
                "cards": {k: _num(v) for k, v in c.cards.items()},
                "bonus": _num(c.bonus),
                "deduction": _num(c.deduction),
                "veto": c.veto,
                "total": _num(c.total),
                "indicators": {i.code: _num(i.points) for i in c.indicators},
            }
            for c in a.scored
        ],
    }
    if a.errors:
        out["errors"] = [{"community": c.name, "error": c.error} for c in a.errors]
    if a.missing:
        out["incomplete"] = a.missing
    return out


# --- runs ------------------------------------------------------------------------------------


def _check_street_user(user: Any, street: Street, allowed: bool, action: str) -> None:
    if user is None:
        return  # the command line: whoever runs manage.py owns the data
    if not allowed or not scope.visible_streets(user).filter(pk=street.pk).exists():
        raise PermissionDenied(f"您无权{action}。")


def run_assessment(*, street: Street, year: int, user: Any, as_of: dt.date | None = None) -> Run:
    """Compute and store a new version (草稿) of the street's assessment for year Y."""
    return run_and_outcome(street=street, year=year, user=user, as_of=as_of)[0]


def run_and_outcome(
    *, street: Street, year: int, user: Any, as_of: dt.date | None = None
) -> tuple[Run, Assessment]:
    """run_assessment, also handing back the computed Assessment (for the command line)."""
    _check_street_user(user, street, user is not None and scope.can_verify(user), "运行考核")
    as_of = resolve_as_of(year, as_of)
    with transaction.atomic():
        scheme = default_scheme.ensure_scheme(street, year)
        data = default_scheme.snapshot(scheme)
        assessment = evaluate(street, year, as_of, data)
        # Lock the street so that two people running at once get distinct versions
        # (PostgreSQL refuses FOR UPDATE together with an aggregate).
        Street.objects.select_for_update().filter(pk=street.pk).first()
        latest = Run.objects.filter(street=street, year=year).aggregate(v=Max("version"))["v"]
        run = Run.objects.create(
            street=street,
            year=year,
            version=(latest or 0) + 1,
            as_of=as_of,
            provisional=assessment.provisional,
            scheme=scheme,
            scheme_name=scheme.name,
            scheme_snapshot=data,
            complete=assessment.complete,
            missing=assessment.missing,
            created_by=user,
        )
        results = CommunityResult.objects.bulk_create(
            CommunityResult(
                run=run,
                community_id=c.community_id,
                community_name=c.name,
                population=c.population,
                population_year=c.population_year,
                cards={k: str(v) for k, v in c.cards.items()},
                bonus=c.bonus,
                bonus_ids=c.bonus_ids,
                deduction=c.deduction,
                deduction_ids=c.deduction_ids,
                veto=c.veto,
                total=c.total,
                grade=c.grade,
                grade_gap=c.grade_gap,
                rank=c.rank,
                complete=c.complete,
                error=c.error,
            )
            for c in assessment.communities
        )
        IndicatorResult.objects.bulk_create(
            IndicatorResult(
                result=result,
                code=i.code,
                name=i.name,
                card=i.card,
                order=i.order,
                is_manual=i.is_manual,
                value=i.value,
                target=i.target,
                points=i.points,
                max_points=i.max_points,
                evidence={"model": i.evidence_model, "ids": list(i.evidence_ids)},
                detail=i.detail,
                gap=i.gap,
            )
            for result, c in zip(results, assessment.communities, strict=True)
            for i in c.indicators
        )
    return run, assessment


def finalise_run(*, run: Run, user: Any) -> Run:
    """定稿: freeze a complete run for good (street admin only)."""
    if user is None or not scope.can_administer(user):
        raise PermissionDenied("只有街道管理员可以定稿。")
    _check_street_user(user, run.street, True, "定稿该考核")
    with transaction.atomic():
        run = Run.objects.select_for_update().get(pk=run.pk)
        if run.is_final:
            raise FinalisedError("该考核已经定稿。")
        if run.provisional:
            raise ValidationError("临时考核（截至日期早于年末）不能定稿。")
        if not run.complete:
            raise ValidationError("还有人工指标未评分，不能定稿。")
        if run.results.exclude(error="").exists():
            raise ValidationError("有社区无法计分（如缺少常住人口），不能定稿。")
        run.status = RunStatus.FINAL
        run.finalised_by = user
        run.finalised_at = timezone.now()
        run.save()
    return run


@dataclass
class IndicatorDiff:
    code: str
    name: str
    old: Decimal | None
    new: Decimal | None

    @property
    def delta(self) -> Decimal | None:
        if self.old is None or self.new is None:
            return None
        return self.new - self.old


@dataclass
class CommunityDiff:
    community_id: int
    name: str
    old: CommunityResult | None
    new: CommunityResult | None
    indicators: list[IndicatorDiff]

    @property
    def total_delta(self) -> Decimal | None:
        if self.old is None or self.new is None or self.old.total is None or self.new.total is None:
            return None
        return self.new.total - self.old.total

    @property
    def changed(self) -> bool:
        if self.old is None or self.new is None:
            return True
        fields = ("total", "grade", "rank", "bonus", "deduction", "veto", "error")
        return bool(self.indicators) or any(
            getattr(self.old, f) != getattr(self.new, f) for f in fields
        )


def _results(run: Run) -> dict[int, CommunityResult]:
    return {r.community_id: r for r in run.results.prefetch_related("indicators")}


def compare_runs(old: Run, new: Run) -> list[CommunityDiff]:
    """Per community, what differs between two runs: totals, grade, rank and the indicators
    whose points changed (an indicator only in one run shows None on the other side)."""
    before, after = _results(old), _results(new)
    diffs = []
    for cid in sorted(
        set(before) | set(after), key=lambda c: (after.get(c) or before[c]).community_name
    ):
        o, n = before.get(cid), after.get(cid)
        o_ind = {i.code: i for i in o.indicators.all()} if o else {}
        n_ind = {i.code: i for i in n.indicators.all()} if n else {}
        changed = []
        for code in sorted(
            set(o_ind) | set(n_ind), key=lambda c: ((n_ind.get(c) or o_ind[c]).order, c)
        ):
            op = o_ind[code].points if code in o_ind else None
            np_ = n_ind[code].points if code in n_ind else None
            if op != np_ or (code in o_ind) != (code in n_ind):
                changed.append(IndicatorDiff(code, (n_ind.get(code) or o_ind[code]).name, op, np_))
        diff = CommunityDiff(cid, (n or o).community_name, o, n, changed)
        if diff.changed:
            diffs.append(diff)
    return diffs


# --- manual scores ---------------------------------------------------------------------------


def _manual_target(indicator: Indicator, community: Community) -> None:
    if not indicator.is_manual:
        raise ValidationError("该指标由系统根据台账计算，不能人工评分。")
    if community.street_id != indicator.scheme.street_id:
        raise ValidationError("社区不属于该方案的街道。")


def _check_score(value: Decimal | None, points: Decimal, label: str) -> None:
    if value is None:
        raise ValidationError(f"请填写{label}。")
    if value < 0 or value > points:
        raise ValidationError(f"{label}必须在0到{points}之间。")
    if value != value.quantize(Decimal("0.01")):
        raise ValidationError(f"{label}最多保留两位小数。")


def manual_self_score(
    *,
    indicator: Indicator,
    community: Community,
    user: Any,
    score: Decimal | None,
    note: str = "",
    evidence: Any = None,
) -> ManualScore:
    """自评: the community (its cadre, or street staff for it) enters a score, note and file
    (`evidence` is a CheckedUpload from activities.uploads.check_upload)."""
    _manual_target(indicator, community)
    if not scope.can_edit_community(user, community):
        raise PermissionDenied("您无权为该社区自评。")
    _check_score(score, indicator.points, "自评分")
    with transaction.atomic():
        ms, _ = ManualScore.objects.select_for_update().get_or_create(
            indicator=indicator, community=community, defaults={"year": indicator.scheme.year}
        )
        ms.self_score = score
        ms.self_note = note.strip()
        if evidence is not None:
            # A CheckedUpload (activities.uploads.check_upload): its type was read from content.
            ms.evidence.save(f"evidence{evidence.extension}", evidence.file, save=False)
            ms.evidence_name = evidence.original_name[:200]
            ms.evidence_type = evidence.content_type
        ms.self_by = user
        ms.self_at = timezone.now()
        ms.save()
    return ms


def manual_assess(
    *,
    indicator: Indicator,
    community: Community,
    user: Any,
    score: Decimal | None = None,
    letter: str = "",
    note: str = "",
) -> ManualScore:
    """考评: street staff enter the score that counts (a letter A–D on letter-graded items)."""
    _manual_target(indicator, community)
    if not scope.can_verify(user) or not scope.can_edit_community(user, community):
        raise PermissionDenied("只有街道工作人员可以考评。")
    if indicator.letter_grades:
        if letter not in LetterGrade.values:
            raise ValidationError("请选择考评等级 A/B/C/D。")
        score = None
    else:
        _check_score(score, indicator.points, "考评分")
        letter = ""
    with transaction.atomic():
        ms, _ = ManualScore.objects.select_for_update().get_or_create(
            indicator=indicator, community=community, defaults={"year": indicator.scheme.year}
        )
        ms.assessor_score = score
        ms.letter_grade = letter
        ms.assessor_note = note.strip()
        ms.scored_by = user
        ms.scored_at = timezone.now()
        ms.save()
    return ms


# --- scheme edits (street admin) -------------------------------------------------------------


def _check_admin(user: Any, street: Street) -> None:
    if user is None or not scope.can_administer(user):
        raise PermissionDenied("只有街道管理员可以修改考核方案。")
    _check_street_user(user, street, True, "修改该街道的考核方案")


def scheme_copy(*, scheme: Scheme, year: int, user: Any) -> Scheme:
    """复制到年度: the scheme for another year of the same street."""
    _check_admin(user, scheme.street)
    if Scheme.objects.filter(street=scheme.street, year=year).exists():
        raise ValidationError(f"{scheme.street}已有{year}年的考核方案。")
    return default_scheme.copy_scheme(scheme, year)


def _validate_indicator(indicator: Indicator) -> None:
    if indicator.points is None or indicator.points <= 0:
        raise ValidationError("分值必须大于0。")
    if indicator.is_manual:
        return
    if indicator.metric not in metrics.METRICS:
        raise ValidationError(f"统计口径“{indicator.metric}”不存在。")
    errors = rules.check_params(indicator.rule, indicator.params, indicator.points)
    if errors:
        raise ValidationError(errors)


def indicator_update(
    *, indicator: Indicator, user: Any, name: str, points: Decimal, params: dict[str, Any]
) -> Indicator:
    """Change an indicator's name, points and rule parameters."""
    _check_admin(user, indicator.scheme.street)
    indicator.name = name.strip() or indicator.name
    indicator.points = points
    indicator.params = params
    _validate_indicator(indicator)
    with transaction.atomic():
        indicator.save()
    return indicator


def manual_indicator_add(
    *,
    scheme: Scheme,
    user: Any,
    card: Card,
    code: str,
    name: str,
    points: Decimal,
    letter_grades: bool,
) -> Indicator:
    """A qualitative indicator scored by people (自评 + 考评)."""
    _check_admin(user, scheme.street)
    code = code.strip().upper()
    if not code or not name.strip():
        raise ValidationError("请填写指标代码和名称。")
    if card.scheme_id != scheme.pk:
        raise ValidationError("记分卡不属于该方案。")
    if scheme.indicators.filter(code=code).exists():
        raise ValidationError(f"指标代码 {code} 已存在。")
    order = (scheme.indicators.aggregate(m=Max("order"))["m"] or 0) + 1
    indicator = Indicator(
        scheme=scheme,
        card=card,
        code=code,
        name=name.strip(),
        points=points,
        metric="",
        rule=rules.LETTER_RULE if letter_grades else rules.MANUAL_RULE,
        params={"letters": dict(rules.DEFAULT_LETTERS)} if letter_grades else {},
        order=order,
        is_manual=True,
        letter_grades=letter_grades,
    )
    _validate_indicator(indicator)
    with transaction.atomic():
        indicator.save()
    return indicator


def indicator_delete(*, indicator: Indicator, user: Any) -> None:
    """Drop an indicator; refused when manual scores were entered for it (nothing is lost)."""
    _check_admin(user, indicator.scheme.street)
    if indicator.manual_scores.exists():
        raise ValidationError("该指标已有人工评分记录，不能删除。")
    with transaction.atomic():
        indicator.delete()


def grade_bands_update(*, scheme: Scheme, user: Any, bands: list[tuple[str, Decimal]]) -> None:
    """Replace the grade bands (name, min_total); one band must start at 0."""
    _check_admin(user, scheme.street)
    names = [n.strip() for n, _ in bands]
    if not bands or any(not n for n in names):
        raise ValidationError("请填写等次名称。")
    if len(set(names)) != len(names) or len({m for _, m in bands}) != len(bands):
        raise ValidationError("等次名称和最低总分不能重复。")
    if min(m for _, m in bands) != 0:
        raise ValidationError("最低的等次须从0分起（总分最低为0）。")
    with transaction.atomic():
        scheme.grade_bands.all().delete()
        GradeBand.objects.bulk_create(
            GradeBand(scheme=scheme, name=n, min_total=m, order=k)
            for k, (n, m) in enumerate(
                sorted(zip(names, (m for _, m in bands), strict=True), key=lambda b: -b[1]), start=1
            )
        )
        scheme.save(update_fields=["updated_at"])


def scheme_settings_update(
    *,
    scheme: Scheme,
    user: Any,
    bonus_cap: Decimal,
    bonus_levels: Mapping[str, Decimal],
    cadre_basic_years: int,
    cadre_basic_level: str,
    cadre_senior_years: int,
    cadre_senior_level: str,
) -> Scheme:
    """The scheme-wide parameters: bonus per 获奖 level and its cap, B5's deadlines."""
    _check_admin(user, scheme.street)
    if bonus_cap < 0 or any(p < 0 for p in bonus_levels.values()):
        raise ValidationError("加分不能为负数。")
    if cadre_senior_years < cadre_basic_years:
        raise ValidationError("期限二的年数不能小于期限一。")
    with transaction.atomic():
        scheme.bonus_cap = bonus_cap
        scheme.cadre_basic_years = cadre_basic_years
        scheme.cadre_basic_level = cadre_basic_level
        scheme.cadre_senior_years = cadre_senior_years
        scheme.cadre_senior_level = cadre_senior_level
        scheme.save()
        for level, points in bonus_levels.items():
            BonusLevel.objects.update_or_create(
                scheme=scheme, level=level, defaults={"points": points}
            )
    return scheme


def scheme_ensure(*, street: Street, year: int, user: Any) -> Scheme:
    """建立年度方案: the street's scheme for the year (copied from the latest, or the default)."""
    _check_admin(user, street)
    return default_scheme.ensure_scheme(street, year)
