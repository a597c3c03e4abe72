"""The one query that reads every metric of every community, with or without the evidence.

Per source (sources.SOURCES), ONE correlated subquery on the Community row returns all the
wanted aggregates of that source as a JSON object, so each table is read once per community
whatever the number of metrics. Columns are named m<n>_<measure> for the n-th requested
metric; with evidence, each evidence measure adds m<n>_<measure>__ids next to its figure.
The population, the bonus and the deduction of year Y are columns of the same row.
"""

from __future__ import annotations

import functools
import json
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from django.db.models import Aggregate, Count, JSONField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import JSONObject

from communities.models import Community, Deduction, Population

from .base import (
    IDS,
    METRICS,
    Measure,
    Measures,
    MetricContext,
    MetricValue,
    exact_sum,
    with_evidence,
)
from .sources import SOURCES

Request = tuple[str, Mapping[str, Any]]  # (metric key, the indicator's params)
IDS_SUFFIX = "__ids"


class Column(NamedTuple):
    source: str  # a key of SOURCES
    aggregate: Aggregate  # over that source's rows of one community


Columns = dict[str, Column]


def measures_of(ctx: MetricContext, requests: Sequence[Request]) -> list[Measures]:
    out = []
    for key, params in requests:
        metric = METRICS.get(key)
        if metric is None:
            raise ValueError(f"统计口径“{key}”不存在。")
        out.append(metric.measures(ctx, params))
    return out


def metric_columns(measures: Sequence[Measures], evidence: bool) -> Columns:
    """The columns of each requested metric's measures (and their evidence)."""
    columns: Columns = {}
    for n, mine in enumerate(measures):
        for name, measure in mine.items():
            columns[f"m{n}_{name}"] = Column(measure.source, measure.aggregate())
            if evidence and measure.evidence:
                columns[f"m{n}_{name}{IDS_SUFFIX}"] = Column(
                    measure.source, measure.evidence_aggregate()
                )
    return columns


def annotations(ctx: MetricContext, columns: Columns) -> dict[str, Any]:
    """One correlated subquery per source on the Community row (named src_<source>)."""
    by_source: dict[str, dict[str, Aggregate]] = defaultdict(dict)
    for name, column in columns.items():
        by_source[column.source][name] = column.aggregate
    return {
        f"src_{source}": figures_of(SOURCES[source](ctx), aggregates)
        for source, aggregates in by_source.items()
    }


def figures_of(rows: QuerySet, aggregates: Mapping[str, Aggregate]) -> Subquery:
    """The aggregates over the outer Community row's `rows`, as one JSON object (a
    correlated subquery; NULL when the community has no such rows)."""
    one = (
        rows.filter(community_id=OuterRef("pk"))
        .order_by()
        .values("community_id")
        .annotate(_figures=JSONObject(**aggregates))
    )
    return Subquery(one.values("_figures"), output_field=JSONField())


def decoded(figures: Any) -> Any:
    """A JSON column as Python ({} for NULL; text from a backend that hands it so)."""
    if isinstance(figures, str):
        figures = json.loads(figures)
    return figures or {}


def figures(row: Mapping[str, Any], columns: Columns) -> dict[str, Any]:
    """{column name: value} of one Community row (None where its source had no rows)."""
    return reader([], [], columns, evidence=False).figures(row)


def metric_values(
    measures: Sequence[Measures],
    requests: Sequence[Request],
    found: Mapping[str, Any],
    *,
    evidence: bool,
) -> list[MetricValue | None]:
    """Each request's MetricValue from a community's figures (None: nothing counted); with
    the evidence when the figures hold it."""
    return Reader(measures, requests, dict.fromkeys(found, ""), evidence=evidence).values(found)


class Reader:
    """Reads the statement's rows: which column belongs to which request and source is
    worked out once per statement, not once per community row (a city has thousands).
    `source_of`: {column name: its source} (metric_columns' and adjustment_columns')."""

    def __init__(
        self,
        measures: Sequence[Measures],
        requests: Sequence[Request],
        source_of: Mapping[str, str],
        *,
        evidence: bool,
    ) -> None:
        self.source_of = dict(source_of)
        self.sources = [("src_" + s, s) for s in sorted(set(self.source_of.values()))]
        # Per request: its value function, its params, [(own name, column name)] and, with
        # evidence, [(evidence measure name, the measure, its ids column)].
        self.requests: list[tuple[Any, Mapping[str, Any], list, list]] = []
        for n, (key, params) in enumerate(requests):
            evidenced = [
                (name, measure, f"m{n}_{name}{IDS_SUFFIX}")
                for name, measure in measures[n].items()
                if evidence and measure.evidence
            ]
            self.requests.append((METRICS[key].value, params, [], evidenced))
        for name in self.source_of:
            if name.startswith("m") and self.requests:
                n, _, own = name[1:].partition("_")
                self.requests[int(n)][2].append((own, name))
        self.measures = measures
        # Without evidence a request's MetricValue is a function of its figures alone (and
        # its params): communities with the same figures share one, computed once.
        self.known: list[dict[tuple, MetricValue | None]] = [{} for _ in self.requests]

    def figures(self, row: Mapping[str, Any]) -> dict[str, Any]:
        """figures(row, columns): {column name: value} of one Community row."""
        raw = [row.get(column) for column, _ in self.sources]
        if all(type(text) is str or text is None for text in raw):
            # The driver's JSON texts (PostgreSQL's jsonb, SQLite's json) parsed in ONE
            # json.loads per row rather than one per source: the same values.
            found = json.loads("[" + ",".join("null" if t is None else t for t in raw) + "]")
        else:
            found = raw
        sources = {
            source: decoded(value) for (_, source), value in zip(self.sources, found, strict=True)
        }
        return {name: sources[source].get(name) for name, source in self.source_of.items()}

    def values(self, found: Mapping[str, Any]) -> list[MetricValue | None]:
        """metric_values(…, found): each request's MetricValue from a row's figures."""
        out: list[MetricValue | None] = []
        get = found.get
        for n, (value_of, params, names, evidenced) in enumerate(self.requests):
            if not evidenced:
                known = self.known[n]
                key = tuple([get(name) for _own, name in names])
                try:
                    value = known[key]
                except KeyError:
                    value = known[key] = value_of({own: get(name) for own, name in names}, params)
                except TypeError:  # a figure that cannot be a key (a list)
                    value = value_of({own: get(name) for own, name in names}, params)
                out.append(value)
                continue
            value = value_of({own: get(name) for own, name in names}, params)
            if value is not None and evidenced:
                ids = {
                    name: measure.rows_behind(decoded(get(column)) or [])
                    for name, measure, column in evidenced
                }
                value = with_evidence(value, self.measures[n], ids)
            out.append(value)
        return out


def reader(
    measures: Sequence[Measures], requests: Sequence[Request], columns: Columns, *, evidence: bool
) -> Reader:
    """The Reader of a statement of these columns."""
    return Reader(
        measures, requests, {name: c.source for name, c in columns.items()}, evidence=evidence
    )


def read(
    ctx: MetricContext, requests: Sequence[Request], *, evidence: bool
) -> list[dict[int, MetricValue]]:
    """Each requested metric for every community of ctx, from ONE query."""
    measures = measures_of(ctx, requests)
    columns = metric_columns(measures, evidence)
    rows = (
        Community.objects.filter(pk__in=ctx.community_ids)
        .order_by()
        .values("pk", **annotations(ctx, columns))
    )
    out: list[dict[int, MetricValue]] = [{} for _ in requests]
    read_row = reader(measures, requests, columns, evidence=evidence)
    for row in rows:
        for n, value in enumerate(read_row.values(read_row.figures(row))):
            if value is not None:
                out[n][row["pk"]] = value
    return out


# --- inputs of a run that are not indicators: P, the bonus and the deduction ------------------


@dataclass(frozen=True)
class PopulationRow:
    residents: int
    year: int
    pk: int | None = None  # None when read from an assessment's outcome


def population_annotation(ctx: MetricContext) -> dict[str, Any]:
    """P: the latest Population row with year ≤ Y and residents set, as a JSON column."""
    latest = (
        Population.objects.filter(
            community_id=OuterRef("pk"), year__lte=ctx.year, residents__isnull=False
        )
        .order_by("-year")
        .values(_row=JSONObject(residents="residents", year="year", pk="pk"))[:1]
    )
    return {"population": Subquery(latest, output_field=JSONField())}


def population_value(row: Mapping[str, Any]) -> PopulationRow | None:
    found = decoded(row["population"])
    if not found:
        return None
    return PopulationRow(found["residents"], found["year"], found["pk"])


def populations(ctx: MetricContext) -> dict[int, PopulationRow]:
    """P of each community of ctx that has one."""
    rows = (
        Community.objects.filter(pk__in=ctx.community_ids)
        .order_by()
        .values("pk", **population_annotation(ctx))
    )
    return {r["pk"]: p for r in rows if (p := population_value(r)) is not None}


@dataclass
class Adjustments:
    """A community's bonus and deduction inputs of year Y."""

    bonus_points: list[Decimal] = field(default_factory=list)
    bonus_ids: list[int] = field(default_factory=list)
    deduction_points: list[Decimal] = field(default_factory=list)
    deduction_ids: list[int] = field(default_factory=list)
    veto: bool = False


# The ids of every row of its column's source (the 获奖/扣分 rows of Y behind the bonus and
# the deduction); a plain count's evidence, whatever source the Column names.
_EVERY_ROW = Measure("", evidence=IDS)


def adjustment_columns(levels: Sequence[str], evidence: bool) -> Columns:
    """The awards of Y per level (the bonus) and the deductions of Y (sum, veto)."""
    columns = {
        f"award_{i}": Column("awards", Count("pk", filter=Q(level=lv)))
        for i, lv in enumerate(levels)
    }
    columns["deduction"] = Column("deductions", Sum("points"))
    columns["veto"] = Column("deductions", Count("pk", filter=Q(veto=True)))
    if evidence:
        columns["award_ids"] = Column("awards", _EVERY_ROW.evidence_aggregate())
        columns["deduction_ids"] = Column("deductions", _EVERY_ROW.evidence_aggregate())
    return columns


@functools.cache
def _deduction_places() -> int:
    return Deduction._meta.get_field("points").decimal_places


def adjustments(
    found: Mapping[str, Any], levels: Sequence[str], points: Mapping[str, Any]
) -> Adjustments:
    """A community's Adjustments from its figures; `points`: the scheme's bonus per level
    (a level the scheme does not list earns nothing)."""
    places = _deduction_places()
    bonus = [
        points[level]
        for i, level in enumerate(levels)
        if level in points
        for _ in range(found[f"award_{i}"] or 0)
    ]
    return Adjustments(
        bonus_points=bonus,
        bonus_ids=_EVERY_ROW.rows_behind(decoded(found.get("award_ids")) or []),
        deduction_points=[exact_sum(found["deduction"], places)],
        deduction_ids=_EVERY_ROW.rows_behind(decoded(found.get("deduction_ids")) or []),
        veto=bool(found["veto"]),
    )
