"""Computing the 双百分 assessment of one or many streets; writes nothing.

compute() reads the street's scheme, gathers every metric of every community in ONE query
(metrics.statement, with or without the evidence ids) and scores it (scoring.py). The
number of queries does not depend on the number of streets or communities.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

from communities.models import Community, Street

from . import cache, default_scheme, metrics, statements
from .metrics import statement
from .models import ManualScore
from .outcomes import Assessment
from .scheme import SchemeSpec
from .scoring import Inputs, Scored, score_street

# compute(extra=…): a function of (year, as of) giving {name: expression on the Community
# row}, read in the tally query. A function of those two only, as the statement's SQL is kept
# by them (statements.py): it must read nothing else, e.g. not today's date.
Extra = Callable[[int, dt.date], Mapping[str, Any]]
# The prefix of the extra columns in the statement (apart from the engine's own).
EXTRA = "extra_"

Job = tuple[Street, SchemeSpec]


def year_end(year: int) -> dt.date:
    return dt.date(year, 12, 31)


def resolve_as_of(year: int, as_of: dt.date | None) -> dt.date:
    """D is 31 Dec Y, or an earlier day of Y for a provisional (临时) assessment."""
    if as_of is None:
        return year_end(year)
    if as_of.year != year:
        raise ValidationError(f"截至日期 {as_of:%Y-%m-%d} 不在考核年度 {year} 年内。")
    return as_of


def metric_context(
    year: int, as_of: dt.date, scheme: SchemeSpec, ids: list[int]
) -> metrics.MetricContext:
    """The metrics' context of a run of year Y at D under a scheme (its B5 deadlines)."""
    return metrics.MetricContext(
        community_ids=tuple(ids), year=year, as_of=as_of, cadre=scheme.cadre
    )


def scheme_for(street: Street, year: int) -> SchemeSpec:
    """What ensure_scheme would give, without writing anything (default_scheme.data_for)."""
    return SchemeSpec.of(default_scheme.data_for(street, year))


def compute(
    street: Street,
    year: int,
    as_of: dt.date | None = None,
    *,
    evidence: bool = True,
    extra: Extra | None = None,
) -> Assessment:
    """The assessment of every community of the street for year Y, at D.

    Uses the street's scheme for Y, else (without creating it) the latest earlier one, else
    the default scheme. evidence=False gives the same numbers without the evidence ids (each
    IndicatorOutcome.evidence_ids is empty) — for pages that show the numbers, not the
    records behind them. `extra` (a function of the year and the date giving {name:
    expression on the Community row}) adds the caller's own per-community figures to the
    same query; they come back in Assessment.extra.
    """
    as_of = resolve_as_of(year, as_of)
    return cache.through_own_scheme(
        street,
        year,
        as_of,
        evidence=evidence,
        extra=extra,
        compute=lambda: evaluate(
            street, year, as_of, scheme_for(street, year), evidence=evidence, extra=extra
        ),
    )


def compute_streets(
    streets: list[Street], year: int, as_of: dt.date | None = None, *, evidence: bool = False
) -> list[Assessment]:
    """compute() for many streets at once (a district's or city's portal), in a number of
    queries that does not grow with the streets. Ranks are per street."""
    as_of = resolve_as_of(year, as_of)
    if not streets:
        return []
    data = default_scheme.data_for_streets(streets, year)
    # Streets with the same scheme (a district's published one, the default) share one
    # SchemeSpec: reading a scheme costs milliseconds, and a city has a hundred streets.
    specs: dict[str, SchemeSpec] = {}
    same: dict[int, SchemeSpec] = {}  # by the data's identity (the shared default)
    jobs = []
    for s in streets:
        mine = data[s.pk]
        if id(mine) not in same:
            key = json.dumps(mine, sort_keys=True, default=repr)
            if key not in specs:
                specs[key] = SchemeSpec.of(mine)
            same[id(mine)] = specs[key]
        jobs.append((s, same[id(mine)]))
    return evaluate_many(jobs, year, as_of, evidence=evidence)


def evaluate(
    street: Street,
    year: int,
    as_of: dt.date,
    scheme: SchemeSpec,
    *,
    evidence: bool = True,
    extra: Extra | None = None,
) -> Assessment:
    """Apply a scheme to the street's records."""
    return evaluate_many([(street, scheme)], year, as_of, evidence=evidence, extra=extra)[0]


def evaluate_many(
    jobs: list[Job],
    year: int,
    as_of: dt.date,
    *,
    evidence: bool = True,
    extra: Extra | None = None,
) -> list[Assessment]:
    """Apply each street's scheme to its records, or take the result from the cache when the
    street's data and the scheme have not changed since (cache.py: keyed by the street's data
    version, read here before computing). The streets computed are gathered together, per
    distinct B5 deadlines (a metric's context)."""
    for _street, scheme in jobs:
        _requests(scheme)  # an unknown metric is refused before anything is read
    if not jobs:
        return []
    job_keys = cache.keys(jobs, year, as_of, evidence=evidence, extra=extra)
    return cache.through(
        jobs, job_keys, lambda some: _score(some, year, as_of, evidence=evidence, extra=extra)
    )


def _score(
    jobs: list[Job], year: int, as_of: dt.date, *, evidence: bool, extra: Extra | None
) -> list[Assessment]:
    """evaluate_many() computed: every street's records read and scored."""
    inputs: list[Inputs | None] = [None] * len(jobs)
    groups: dict[metrics.CadreDeadlines, list[int]] = {}
    for n, (_street, scheme) in enumerate(jobs):
        groups.setdefault(scheme.cadre, []).append(n)
    for members in groups.values():
        gathered = _gather([jobs[n] for n in members], year, as_of, evidence=evidence, extra=extra)
        for n, found in zip(members, gathered, strict=True):
            inputs[n] = found
    gathered_all = [found for found in inputs if found is not None]
    assert len(gathered_all) == len(jobs)  # every job is in exactly one group
    manual = _manual_scores(jobs, year, gathered_all)
    scored_before = Scored()
    return [
        score_street(street, year, as_of, scheme, found, manual, scored_before)
        for (street, scheme), found in zip(jobs, gathered_all, strict=True)
    ]


def _requests(scheme: SchemeSpec) -> list[tuple[str, str, Mapping[str, Any]]]:
    """(indicator code, metric key, params) of the scheme's computed indicators."""
    out = []
    for ind in scheme.computed:
        if ind.metric not in metrics.METRICS:
            raise ValidationError(f"指标 {ind.code} 的统计口径“{ind.metric}”不存在。")
        out.append((ind.code, ind.metric, ind.params))
    return out


def _params_key(metric: str, params: Mapping[str, Any]) -> tuple[str, str]:
    return metric, json.dumps(params, sort_keys=True)


def _gather(
    jobs: list[Job],
    year: int,
    as_of: dt.date,
    *,
    evidence: bool,
    extra: Extra | None = None,
) -> list[Inputs]:
    """Every metric, the population, the bonus and the deduction of every community of the
    streets in ONE query on Community (metrics.statement), with the evidence ids or not."""
    # The columns are correlated to each Community row: the context needs no id list.
    ctx = metric_context(year, as_of, jobs[0][1], [])
    requests: list[tuple[str, Mapping[str, Any]]] = []
    index: dict[tuple[str, str], int] = {}
    # {id of a scheme: [(indicator code, its request's number)]}: streets of one scheme
    # share its SchemeSpec (compute_streets), so each scheme's requests are keyed once.
    numbered: dict[int, list[tuple[str, int]]] = {}
    for _street, scheme in jobs:
        if id(scheme) in numbered:
            continue
        mine = numbered[id(scheme)] = []
        for code, metric, params in _requests(scheme):
            key = _params_key(metric, params)
            if key not in index:
                index[key] = len(requests)
                requests.append((metric, params))
            mine.append((code, index[key]))
    levels = sorted({b.level for _, scheme in jobs for b in scheme.bonus_levels})
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
    read_row = statement.reader(measures, requests, columns, evidence=evidence)
    extra_names = [
        (name, name[len(EXTRA) :]) for name in (rows[0] if rows else ()) if name.startswith(EXTRA)
    ]
    for row in rows:
        pk = row["pk"]
        by_street[row["street_id"]].append((pk, row["name"]))
        found[pk] = figures = read_row.figures(row)
        for n, value in enumerate(read_row.values(figures)):
            if value is not None:
                values[n][pk] = value
        pop = statement.population_value(row)
        if pop is not None:
            population[pk] = pop
        wanted[pk] = {own: row[name] for name, own in extra_names}
    out = []
    for street, scheme in jobs:
        inputs = Inputs(communities=by_street[street.pk], population=population, extra=wanted)
        for code, n in numbered[id(scheme)]:
            inputs.values[code] = values[n]
        points = scheme.bonus_points
        for cid, _name in inputs.communities:
            inputs.adjustments[cid] = statement.adjustments(found[cid], levels, points)
        out.append(inputs)
    return out


def _manual_scores(
    jobs: list[Job], year: int, inputs: list[Inputs]
) -> dict[tuple[int, str], ManualScore]:
    """The manual scores of the year's schemes of the streets that have manual items: those
    of the scheme scored (a street of a district has its copy of the district's scheme and
    may keep its own extra one, both with the same codes), found by its name."""
    which, codes, ids = Q(pk__in=[]), set(), []
    for (street, scheme), found in zip(jobs, inputs, strict=True):
        mine = [i.code for i in scheme.manual]
        if mine:
            which |= Q(indicator__scheme__street=street, indicator__scheme__name=scheme.name)
            codes.update(mine)
            ids.extend(pk for pk, _ in found.communities)
    if not codes:
        return {}
    rows = ManualScore.objects.filter(
        which,
        indicator__scheme__year=year,
        indicator__code__in=sorted(codes),
        community_id__in=ids,
    ).select_related("indicator")
    return {(m.community_id, m.indicator.code): m for m in rows}
