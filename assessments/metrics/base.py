"""What a metric is: one declaration from which both of the engine's readings are derived.

A metric names, per community, a few *measures* over a *source* (a table's rows that count,
before the community filter; sources.py): how many rows meet a condition, the sum or the
highest value of a field. A measure that has evidence also says where the ids of the rows it
counted go: the metric's own ids (what the scorecard clicks through to) or a named part
("lacking_ids", "excellent_ids"). The metric's `value` function turns a community's figures
into its MetricValue (None: nothing counted).

From that, statement.py builds ONE query on Community for every measure of every metric;
with evidence, the same query also returns each evidence measure's ids (a JSON array
aggregate next to the count). So the street-wide figures and one community's evidence can
never disagree: they are the same aggregate, and tests/assessments/test_declarations.py
asserts for every registered metric that each counted figure equals the number of its ids.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Aggregate, Count, JSONField, Max, Q, Sum
from django.db.models.functions import JSONArray


@dataclass(frozen=True)
class CadreDeadlines:
    """B5's parameters (scheme data): ≥ basic_years → basic level, ≥ senior_years → senior."""

    basic_years: int = 1
    basic_level: str = "三级"
    senior_years: int = 3
    senior_level: str = "一级"


@dataclass(frozen=True)
class MetricContext:
    community_ids: tuple[int, ...]
    year: int
    as_of: dt.date
    cadre: CadreDeadlines = field(default_factory=CadreDeadlines)

    @property
    def year_start(self) -> dt.date:
        return dt.date(self.year, 1, 1)


@dataclass(frozen=True)
class MetricValue:
    """A metric's reading for one community, before any rule scores it."""

    value: int | Decimal = 0
    ids: tuple[int, ...] = ()  # the evidence: primary keys of the metric's `model`
    # Secondary figures a rule or a gap needs (the excellent teams, the denominator of a
    # ratio, which items are present…) and, with evidence, the ids behind them; JSON-safe.
    parts: Mapping[str, Any] = field(default_factory=dict)


IDS = "ids"  # a measure whose rows are the metric's own evidence


class JSONList(Aggregate):
    """The values of the expression over the group, as a JSON array (NULL or [] for none)."""

    function = "JSON_GROUP_ARRAY"  # SQLite
    output_field = JSONField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, function="JSON_AGG", **extra)


@dataclass(frozen=True)
class Measure:
    """One figure of a community: an aggregate over its rows of `source` that meet `where`.

    kind: "count" (rows; or distinct values of `distinct`), "sum" or "max" of `field`.
    evidence: where the ids of the rows it counts go (IDS, a part name, or "" for none);
    `id_field` is the id to report (the row's pk, or e.g. the activity of a partner row).
    For a distinct count or a maximum, one row stands for each counted value: the one that
    ranks highest by `rank` (a function of the row's `rank_field`), then the lowest id.
    """

    source: str
    kind: str = "count"
    where: Q | None = None
    field: str = "pk"
    distinct: str = ""
    evidence: str = ""
    id_field: str = "pk"
    rank_field: str = ""
    rank: Callable[[Any], Any] | None = None

    def aggregate(self) -> Aggregate:
        if self.kind == "count":
            target = self.distinct or self.field
            return Count(target, filter=self.where, distinct=bool(self.distinct))
        if self.kind == "sum":
            return Sum(self.field, filter=self.where)
        if self.kind == "max":
            return Max(self.field, filter=self.where)
        raise ValueError(f"未知的度量方式：{self.kind}")

    def evidence_aggregate(self) -> Aggregate:
        """Each counted row as [id, group, rank] (group: the distinct value, or the field of a
        maximum; rank: rank_field), read back by rows_behind()."""
        group = self.distinct or (self.field if self.kind == "max" else self.id_field)
        rank = self.rank_field or self.id_field
        return JSONList(JSONArray(self.id_field, group, rank), filter=self.where)

    def rows_behind(self, rows: list[list[Any]] | None) -> list[int]:
        """The ids this measure counted, by id, from evidence_aggregate()'s rows."""
        rows = rows or []
        if self.kind == "max":
            if not rows:
                return []
            top = max(r[1] for r in rows)
            return [min(r[0] for r in rows if r[1] == top)]
        if self.distinct:
            best: dict[Any, tuple[Any, int]] = {}
            rank = self.rank or (lambda x: 0)
            for pk, group, r in sorted(rows, key=lambda r: r[0]):
                if group not in best or rank(r) > best[group][0]:
                    best[group] = (rank(r), pk)
            return sorted(pk for _, pk in best.values())
        return sorted({r[0] for r in rows})


Measures = dict[str, Measure]
MeasuresOf = Callable[[MetricContext, Mapping[str, Any]], Measures]
Figures = Mapping[str, Any]


def count(source: str, where: Q | None = None, *, evidence: str = "", **options: Any) -> Measure:
    return Measure(source, "count", where, evidence=evidence, **options)


def total(source: str, field_name: str, where: Q | None = None) -> Measure:
    return Measure(source, "sum", where, field=field_name)


def highest(source: str, field_name: str, where: Q | None = None, *, evidence: str = "") -> Measure:
    return Measure(source, "max", where, field=field_name, evidence=evidence)


@dataclass(frozen=True)
class Metric:
    """An indicator's metric, declared once (see the module's docstring)."""

    key: str
    label: str
    model: str  # app_label.model_name of the evidence ids
    unit: str
    measures: MeasuresOf
    value: Callable[[Figures, Mapping[str, Any]], MetricValue | None]
    # How a shortfall reads, with {n} the missing amount ("还差{n}次文化活动").
    gap: str = ""
    gap_extra: str = ""  # the second part of a two-part rule (excellent teams)
    gap_none: str = ""  # a ratio with nothing to count

    def compute(self, ctx: MetricContext, params: Mapping[str, Any]) -> dict[int, MetricValue]:
        """{community id: MetricValue} with evidence for every community of ctx, from one
        query (communities with nothing counted are absent)."""
        from .statement import read

        return read(ctx, [(self.key, params)], evidence=True)[0]


METRICS: dict[str, Metric] = {}


def register(*metrics: Metric) -> None:
    for metric in metrics:
        METRICS[metric.key] = metric


def choices() -> list[tuple[str, str]]:
    return [(k, m.label) for k, m in METRICS.items()]


def with_evidence(
    value: MetricValue | None, measures: Measures, ids: Mapping[str, list[int]]
) -> MetricValue | None:
    """A MetricValue read without evidence, given the ids of its evidence measures."""
    if value is None:
        return None
    own: set[int] = set()
    parts = dict(value.parts)
    for name, measure in measures.items():
        if measure.evidence == IDS:
            own.update(ids.get(name, []))
        elif measure.evidence:
            parts[measure.evidence] = ids.get(name, [])
    return MetricValue(value.value, tuple(sorted(own)), parts)


# --- value functions shared by several declarations ------------------------------------------


def counted(figures: Figures, params: Mapping[str, Any]) -> MetricValue | None:
    """The number of rows of measure "n"; nothing counted when none."""
    return MetricValue(figures["n"]) if figures["n"] else None


def share(figures: Figures, params: Mapping[str, Any]) -> MetricValue | None:
    """A ratio's numerator "n" with the denominator n + "lacking" in parts."""
    whole = (figures["n"] or 0) + (figures["lacking"] or 0)
    return MetricValue(figures["n"] or 0, (), {"total": whole}) if whole else None


def exact_sum(x: Any, places: int) -> Decimal:
    """A SUM read back from JSON (a float on SQLite) as the exact sum of `places`-decimal
    values it is."""
    return Decimal(str(x or 0)).quantize(Decimal(1).scaleb(-places))
