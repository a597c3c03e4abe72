"""The dashboard's data: where the street and each community stand against the plan today.

Every figure is read from the assessment engine — services.compute() for the points of each
community (so the dashboard agrees with `assess` for the same as-of date) and the metric
registry (assessments.metrics) for the street-level targets of plan 四 — never counted a
second way. The number of queries is fixed: it does not grow with the communities.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from html import escape
from typing import Any

from django.db.models import Count, Max, Q
from django.utils.safestring import mark_safe

from activities.models import Activity, ActivityStatus
from communities.models import Community, StarRating, StarTarget, Street
from facilities.models import UpgradeProject
from portal import charts
from reports.plan_targets import SummaryLine, as_projects, street_summary
from reports.results import assessment_results

from . import alerts as alert_rules
from . import metrics, pace, services
from .gaps import fmt

# Counts that grow through the year and are judged against its share (时间过半，任务过半).
FLOW_METRICS = frozenset(
    {"culture_activities", "culture_activities_large", "exchange_activities", "sports_activities"}
)
# Ratings given late in the year: "not yet rated" is pending while the year runs.
AWARDED_LATE = frozenset({"star_rating"})
STAR_CHART_YEARS = 5

SORT_KEYS = ("name", "rank", "total")


# --- the period ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Period:
    year: int
    as_of: dt.date
    today: dt.date

    @property
    def provisional(self) -> bool:
        return self.as_of < services.year_end(self.year)

    @property
    def share(self) -> Fraction:
        return pace.year_share(self.as_of, self.year)

    @property
    def share_percent(self) -> str:
        return fmt(self.share * 100)

    @property
    def months_left(self) -> Fraction:
        return pace.remaining_months(self.as_of, self.year)


def period(year: int, today: dt.date, as_of: dt.date | None = None) -> Period:
    """As of today for the running year, 31 Dec for a past one; `as_of` (a day of the year)
    looks back at an earlier date. Raises ValueError with a Chinese message."""
    if year > today.year:
        raise ValueError(f"{year} 年尚未开始，请选择 {today.year} 年或以前的年度。")
    if as_of is None:
        as_of = min(today, services.year_end(year))
    elif as_of.year != year:
        raise ValueError(f"截至日期 {as_of:%Y-%m-%d} 不在 {year} 年内。")
    return Period(year=year, as_of=as_of, today=today)


# --- what the page shows ---------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    code: str
    name: str
    card: str
    max_points: Decimal


class _Status:
    """Label and mark of a `status` (met / on pace / behind / pending)."""

    status: str

    @property
    def label(self) -> str:
        return pace.STATUS_LABELS[self.status]

    @property
    def mark(self) -> str:
        return pace.STATUS_MARKS[self.status]


@dataclass
class Cell(_Status):
    """One indicator of one community: the engine's outcome with its status."""

    code: str
    name: str
    metric: str
    unit: str
    value: Decimal | None
    target: Decimal | None
    points: Decimal | None
    max_points: Decimal
    gap: str
    status: str
    pace: pace.Pace | None = None

    @property
    def points_text(self) -> str:
        return "—" if self.points is None else fmt(self.points)

    @property
    def max_text(self) -> str:
        return fmt(self.max_points)

    @property
    def value_text(self) -> str:
        return "—" if self.value is None else fmt(self.value)

    @property
    def target_text(self) -> str:
        return "—" if self.target is None else fmt(self.target)

    @property
    def advice(self) -> str:
        """ "每月还需 1.5 次" while the year runs (a yearly count short of its target)."""
        return (
            self.pace.advice(self.unit) if self.pace is not None and self.pace.months_left else ""
        )

    @property
    def percent(self) -> float:
        if not self.points or not self.max_points:
            return 0.0
        return float(self.points / self.max_points * 100)

    @property
    def street_td(self) -> str:
        """The cell of the street table, written here: a street has hundreds of cells, and
        rendering their nine variables one by one was a third of the page's time."""
        # html.escape rather than format_html: the latter's lazy-string checks cost ~15 µs a
        # call, a tenth of the page at 600 cells.
        title = f"{self.code} {self.name}：{self.label}" + (f"，{self.gap}" if self.gap else "")
        return mark_safe(
            f'<td class="cell st-{escape(self.status)}" title="{escape(title)}">'
            f"{escape(self.points_text)}/{escape(self.max_text)}"
            f'<span class="mk" aria-hidden="true">{escape(self.mark)}</span></td>'
        )


@dataclass
class PaceLine(_Status):
    """A yearly count of one community against the share of the year passed."""

    code: str
    name: str
    unit: str
    pace: pace.Pace

    @property
    def status(self) -> str:  # type: ignore[override]
        return self.pace.status

    @property
    def value(self) -> str:
        return fmt(self.pace.value)

    @property
    def target(self) -> str:
        return fmt(self.pace.target)

    @property
    def expected(self) -> str:
        return str(self.pace.due)

    @property
    def behind_by(self) -> str:
        return pace.fmt(self.pace.behind_by) if self.pace.behind_by else ""

    @property
    def advice(self) -> str:
        return self.pace.advice(self.unit)


@dataclass
class CommunityRow:
    community_id: int
    name: str
    rank: int | None = None
    grade: str = ""
    grade_gap: str = ""
    total: Decimal | None = None
    cards: dict[str, Decimal] = field(default_factory=dict)
    population: int | None = None
    population_year: int | None = None
    cells: list[Cell] = field(default_factory=list)
    pace: list[PaceLine] = field(default_factory=list)
    error: str = ""
    counted: int = 0  # verified activities of the year so far (culture and sports)
    pending: int = 0

    @property
    def behind(self) -> list[PaceLine]:
        return [p for p in self.pace if p.status == pace.BEHIND]

    @property
    def gaps(self) -> list[Cell]:
        return [c for c in self.cells if c.gap]

    @property
    def total_text(self) -> str:
        return "—" if self.total is None else fmt(self.total)

    @property
    def card_texts(self) -> list[str]:
        """The card scores in the scheme's card order (the engine keeps that order)."""
        return [fmt(v) for v in self.cards.values()]


@dataclass
class Dashboard:
    street: Street
    period: Period
    scheme_name: str
    columns: list[Column]
    cards: list[dict[str, Any]]
    rows: list[CommunityRow]
    targets: list[SummaryLine]
    alerts: list[alert_rules.Alert]
    charts: dict[str, str]
    community: Community | None = None
    sort: str = "rank"
    pace_columns: list[Column] = field(default_factory=list)

    @property
    def row(self) -> CommunityRow | None:
        """The community's row on a community dashboard."""
        return self.rows[0] if self.community is not None and self.rows else None

    @property
    def row_cards(self) -> list[tuple[str, str, str]]:
        """(code, name, score) of each card of the community's row."""
        row = self.row
        if row is None or row.error:
            return []
        return [(c["code"], c["name"], t) for c, t in zip(self.cards, row.card_texts, strict=False)]

    @property
    def behind(self) -> list[CommunityRow]:
        """Communities with a yearly count behind the share of the year."""
        return [r for r in self.rows if r.behind]

    @property
    def target_rows(self) -> list[tuple[SummaryLine, str]]:
        """Each street-level target with its status (pending: nothing to compare against)."""
        status = {True: pace.MET, False: pace.BEHIND, None: pace.PENDING}
        return [(line, status[line.met]) for line in self.targets]

    @property
    def alert_groups(self) -> list[tuple[str, list[alert_rules.Alert]]]:
        return alert_rules.grouped(self.alerts)


# --- building it -----------------------------------------------------------------------------


def _indicator_specs(snapshot: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    return {i["code"]: i for i in snapshot["indicators"]}


def _paced(spec: Mapping[str, Any]) -> bool:
    """A yearly count with a plain target: judged against the share of the year."""
    return spec.get("metric") in FLOW_METRICS and spec.get("rule") == "proportional"


def _cell(outcome: services.IndicatorOutcome, spec: Mapping[str, Any], p: Period) -> Cell:
    metric_key = spec.get("metric", "")
    metric = metrics.METRICS.get(metric_key)
    pace_of = None
    if _paced(spec) and outcome.value is not None and outcome.target:
        pace_of = pace.pace(Fraction(outcome.value), Fraction(outcome.target), p.as_of, p.year)
    awaiting = p.provisional and metric_key in AWARDED_LATE and not outcome.value
    return Cell(
        code=outcome.code,
        name=outcome.name,
        metric=metric_key,
        unit=metric.unit if metric else "",
        value=outcome.value,
        target=outcome.target,
        points=outcome.points,
        max_points=outcome.max_points,
        gap=outcome.gap,
        status=pace.indicator_status(
            outcome.points, outcome.max_points, pace_of=pace_of, awaiting_award=awaiting
        ),
        pace=pace_of,
    )


def _row(outcome: services.CommunityOutcome, specs: Mapping[str, dict], p: Period) -> CommunityRow:
    row = CommunityRow(
        community_id=outcome.community_id,
        name=outcome.name,
        rank=outcome.rank,
        grade=outcome.grade,
        grade_gap=outcome.grade_gap,
        total=outcome.total,
        cards=dict(outcome.cards),
        population=outcome.population,
        population_year=outcome.population_year,
        error=outcome.error,
    )
    for ind in outcome.indicators:
        cell = _cell(ind, specs.get(ind.code, {}), p)
        row.cells.append(cell)
        if cell.pace is not None:
            row.pace.append(PaceLine(cell.code, cell.name, cell.unit, cell.pace))
    return row


def plan_targets(
    assessment: services.Assessment, ctx: metrics.MetricContext, projects: list[UpgradeProject]
) -> list[SummaryLine]:
    """The plan's street-level targets (四) today: the annual report's street summary, read
    from the same computed assessment, so that the dashboard and the PDF never disagree.
    `projects` are the street's upgrade projects planned up to Y (as the alerts read them)."""
    lines, _ = street_summary(
        assessment_results(assessment), assessment.snapshot, ctx, as_projects(projects)
    )
    return lines


# --- charts ----------------------------------------------------------------------------------


MONTHS = [f"{m}月" for m in range(1, 13)]


Months = tuple[dict[int, list[int]], dict[int, list[int]]]
Stars = tuple[list[int], dict[int, dict[int, metrics.MetricValue]]]


def chart_columns(year: int, as_of: dt.date) -> dict[str, Any]:
    """What the charts show besides the assessment, as columns of the Community row (read in
    the assessment's own query, services.compute(extra=…)), a JSON object per table: counted
    (the engine's definition) and pending activities per month of Y up to D; B9's S and T of
    each of the last five years."""
    first = year - STAR_CHART_YEARS + 1
    counted = Q(status=ActivityStatus.VERIFIED)
    waiting = Q(status=ActivityStatus.PENDING)
    per_month = {}
    for m in range(1, 13):
        # A date range rather than date__month: compared as is, no function per row.
        month = Q(date__gte=dt.date(year, m, 1))
        if m < 12:
            month &= Q(date__lt=dt.date(year, m + 1, 1))
        per_month[f"c{m}"] = Count("pk", filter=counted & month)
        per_month[f"p{m}"] = Count("pk", filter=waiting & month)
    per_year = {f"y{y}": Max("stars", filter=Q(year=y)) for y in range(first, year + 1)}
    sources = {
        "chart_months": (
            Activity.objects.filter(date__gte=dt.date(year, 1, 1), date__lte=as_of),
            per_month,
        ),
        "chart_ratings": (StarRating.objects.filter(year__gte=first, year__lte=year), per_year),
        "chart_targets": (StarTarget.objects.filter(year__gte=first, year__lte=year), per_year),
    }
    return {
        name: metrics.figures_of(rows, aggregates) for name, (rows, aggregates) in sources.items()
    }


def chart_figures(
    figures: Mapping[int, Mapping[str, Any]], ids: list[int], year: int
) -> tuple[Months, Stars]:
    """chart_columns' values of the communities `ids`: months counted and pending per
    community; and the recent years that have ratings or targets (and Y), each with B9's
    figures per community (as the star_rating metric gives them, without evidence)."""
    years = range(year - STAR_CHART_YEARS + 1, year + 1)
    months: Months = ({}, {})
    history: dict[int, dict[int, metrics.MetricValue]] = {y: {} for y in years}
    for cid in ids:
        row = figures.get(cid, {})
        found = metrics.decoded(row.get("chart_months"))
        if found:
            months[0][cid] = [found[f"c{m}"] for m in range(1, 13)]
            months[1][cid] = [found[f"p{m}"] for m in range(1, 13)]
        rated = metrics.decoded(row.get("chart_ratings"))
        aimed = metrics.decoded(row.get("chart_targets"))
        for y in years:
            stars, target = rated.get(f"y{y}"), aimed.get(f"y{y}")
            if stars is not None or target is not None:
                history[y][cid] = metrics.MetricValue(stars or 0, (), {"target": target})
    shown = sorted({y for y in years if history[y]} | {year})
    return months, (shown, {y: history[y] for y in shown})


def _short(name: str, n: int = 9) -> str:
    return name if len(name) <= n else name[: n - 1] + "…"


def _attainment(rows: list[CommunityRow], columns: list[Column]) -> list[tuple[str, float]]:
    """Per indicator, the street's points as a share of the points available."""
    out = []
    for k, col in enumerate(columns):
        got = sum((r.cells[k].points or Decimal(0)) for r in rows if not r.error)
        of = sum(r.cells[k].max_points for r in rows if not r.error)
        # Whole percents: the chart leaves room for "100%" beside each bar, not "91.67%".
        out.append((f"{col.code} {_short(col.name)}", round(float(got / of * 100)) if of else 0))
    return out


def street_charts(
    rows: list[CommunityRow],
    columns: list[Column],
    months: Months,
    stars: Stars,
    p: Period,
) -> dict[str, str]:
    counted, pending = months
    names = [r.name for r in rows]
    years, history = stars
    return {
        "by_community": charts.bar_chart(
            names,
            [
                charts.Series("已审核（计入）", [r.counted for r in rows]),
                charts.Series("待审核", [r.pending for r in rows]),
            ],
            title=f"{p.year}年各社区文体活动（截至{p.as_of:%m-%d}）",
            unit="次",
            uid="dash-c",
        ),
        "by_month": charts.bar_chart(
            MONTHS,
            [
                charts.Series("已审核（计入）", _sum_months(counted.values())),
                charts.Series("待审核", _sum_months(pending.values())),
            ],
            title=f"{p.year}年全街道文体活动（按月）",
            unit="次",
            uid="dash-m",
        ),
        "attainment": charts.attainment_bars(
            _attainment(rows, columns), title="各指标得分率（全街道）", uid="dash-a"
        ),
        "stars": charts.line_chart(
            [str(y) for y in years],
            [
                charts.Series(
                    "三星级及以上",
                    [sum(1 for v in history[y].values() if v.value >= 3) for y in years],
                ),
                charts.Series(
                    "四星级及以上",
                    [sum(1 for v in history[y].values() if v.value >= 4) for y in years],
                ),
            ],
            title="星级社区数（按年度）",
            unit="个",
            uid="dash-s",
        ),
    }


def _sum_months(series: Any) -> list[int]:
    total = [0] * 12
    for months in series:
        total = [a + b for a, b in zip(total, months, strict=True)]
    return total


def community_charts(
    row: CommunityRow,
    months: Months,
    stars: Stars,
    p: Period,
) -> dict[str, str]:
    counted, pending = months
    years, history = stars
    cid = row.community_id
    empty = metrics.MetricValue()
    return {
        "by_month": charts.bar_chart(
            MONTHS,
            [
                charts.Series("已审核（计入）", counted.get(cid, [0] * 12)),
                charts.Series("待审核", pending.get(cid, [0] * 12)),
            ],
            title=f"{row.name}{p.year}年文体活动（按月）",
            unit="次",
            uid="dash-m",
        ),
        "attainment": charts.attainment_bars(
            [(f"{c.code} {_short(c.name)}", round(c.percent)) for c in row.cells],
            title="各指标得分率",
            uid="dash-a",
        ),
        "stars": charts.line_chart(
            [str(y) for y in years],
            [
                charts.Series("评定星级", [float(history[y].get(cid, empty).value) for y in years]),
                charts.Series(
                    "目标星级",
                    [float(history[y].get(cid, empty).parts.get("target") or 0) for y in years],
                ),
            ],
            title="星级评定与目标（按年度）",
            unit="星",
            uid="dash-s",
        ),
    }


# --- the two dashboards ----------------------------------------------------------------------


def _sort_key(key: str, codes: list[str], cards: list[str]) -> Any:
    def by(row: CommunityRow) -> Any:
        if key == "name":
            return row.name
        if key == "rank":
            return row.rank if row.rank is not None else 10**6
        if key == "total":
            return row.total if row.total is not None else Decimal(-1)
        if key in cards:
            return row.cards.get(key, Decimal(-1))
        k = codes.index(key)
        return row.cells[k].points if row.cells and row.cells[k].points is not None else -1

    return by


def sort_rows(rows: list[CommunityRow], sort: str, columns: list[Column], cards: list[str]) -> str:
    """Sort in place by "key" or "-key" (descending); unknown keys sort by rank. Communities
    that cannot be scored stay at the end. Returns the sort applied."""
    codes = [c.code for c in columns]
    key = sort.removeprefix("-")
    if key not in (*SORT_KEYS, *codes, *cards):
        sort, key = "rank", "rank"
    scored = [r for r in rows if not r.error]
    failed = [r for r in rows if r.error]
    scored.sort(key=lambda r: r.name)
    scored.sort(key=_sort_key(key, codes, cards), reverse=sort.startswith("-"))
    rows[:] = scored + failed
    return sort


def build(
    street: Street,
    p: Period,
    user: Any,
    *,
    community: Community | None = None,
    sort: str = "rank",
) -> Dashboard:
    """The street's dashboard, or one community's (`community`) — the same computation, as
    the engine always assesses a street as a whole (ranks, shared 文化走亲)."""
    # The numbers without their evidence ids: one query for every metric of the street, which
    # also reads what the charts show.
    assessment = services.compute(street, p.year, p.as_of, evidence=False, extra=chart_columns)
    snapshot = assessment.snapshot
    specs = _indicator_specs(snapshot)
    rows = [_row(o, specs, p) for o in assessment.communities]
    if community is not None:
        rows = [r for r in rows if r.community_id == community.pk]
    ids = [r.community_id for r in rows]
    # The engine's own context: B5's deadlines come from the street's scheme for the year.
    ctx = services.metric_context(p.year, p.as_of, assessment.scheme, ids)

    columns = [
        Column(i["code"], i["name"], i["card"], Decimal(str(i["points"])))
        for i in snapshot["indicators"]
    ]
    card_codes = [c["code"] for c in snapshot["cards"]]
    months, stars = chart_figures(assessment.extra, ids, p.year)
    for r in rows:
        r.counted = sum(months[0].get(r.community_id, []))
        r.pending = sum(months[1].get(r.community_id, []))
    names = {r.community_id: r.name for r in rows}
    populations = {
        r.community_id: metrics.PopulationRow(r.population, r.population_year)
        for r in rows
        if r.population is not None
    }
    projects = alert_rules.planned_projects(ctx)
    found = alert_rules.collect(
        ctx=ctx, names=names, user=user, populations=populations, projects=projects
    )
    if community is None:
        targets = plan_targets(assessment, ctx, projects)
        chart_svgs = street_charts(rows, columns, months, stars, p)
        applied = sort_rows(rows, sort, columns, card_codes)
    else:
        targets = []
        chart_svgs = community_charts(rows[0], months, stars, p) if rows else {}
        applied = "rank"
    return Dashboard(
        street=street,
        period=p,
        scheme_name=assessment.scheme_name,
        columns=columns,
        cards=snapshot["cards"],
        rows=rows,
        targets=targets,
        alerts=found,
        charts=chart_svgs,
        community=community,
        sort=applied,
        pace_columns=[c for c in columns if _paced(specs[c.code])],
    )
