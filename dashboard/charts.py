"""The dashboard's charts: what they show besides the assessment (read in the assessment's
own query) and the SVG drawn from it (portal.charts)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.db.models import Count, Max, Q

from activities.models import Activity, ActivityStatus
from assessments import metrics
from communities.models import StarRating, StarTarget
from portal import charts

from .period import Period
from .rows import CommunityRow, IndicatorColumn

STAR_CHART_YEARS = 5


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


def short_name(name: str, n: int = 9) -> str:
    return name if len(name) <= n else name[: n - 1] + "…"


def _attainment(
    rows: list[CommunityRow], columns: list[IndicatorColumn]
) -> list[tuple[str, float]]:
    """Per indicator, the street's points as a share of the points available."""
    out = []
    for k, col in enumerate(columns):
        got = sum((r.cells[k].points or Decimal(0)) for r in rows if not r.error)
        of = sum(r.cells[k].max_points for r in rows if not r.error)
        # Whole percents: the chart leaves room for "100%" beside each bar, not "91.67%".
        out.append(
            (f"{col.code} {short_name(col.name)}", round(float(got / of * 100)) if of else 0)
        )
    return out


def street_charts(
    rows: list[CommunityRow],
    columns: list[IndicatorColumn],
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
            [(f"{c.code} {short_name(c.name)}", round(c.percent)) for c in row.cells],
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
