"""The district pages' tables as Excel rows (headers first)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from reporting.models import Cadence

from .periods import DistrictBoard, StreetRow, Tally
from .rankings import TOTAL, Ranked, rank

if TYPE_CHECKING:
    from .board import Overview
    from .selectors import DistrictYear


def ranking_rows(rows: Sequence[Ranked], label: str) -> Iterator[list[Any]]:
    yield ["名次", "全区名次", "街道", "社区", "社区类型", label, "总分", "等次"]
    for r in rows:
        e = r.entry
        yield [r.rank, r.district_rank, e.street, e.name, e.kind, r.value, e.total, e.grade]


def street_rows(overview: Overview) -> Iterator[list[Any]]:
    grades = list(overview.grades)
    yield [
        "名次",
        "街道",
        "社区数",
        "可计分",
        "平均分",
        "极差",
        "标准差",
        *[f"{g}（个）" for g in grades],
        "星级目标（个）",
        "达到目标（个）",
        "超期待审核活动",
        "报送率",
        "及时率",
    ]
    for s in overview.streets:
        line = s.line
        yield [
            line.rank,
            line.street,
            line.count,
            line.scored,
            line.average,
            line.spread,
            line.deviation,
            *[line.grades.get(g, 0) for g in grades],
            s.targets,
            s.targets_met,
            s.overdue,
            *_rates(s.reporting),
        ]


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value}%"


def _rates(t: Tally | None) -> list[str]:
    return ["—", "—"] if t is None else [_pct(t.reporting_rate), _pct(t.on_time_rate)]


def reporting_rows(board: DistrictBoard) -> Iterator[list[Any]]:
    """The district's reporting board, one row per street and period and one per year."""
    yield [
        "街道",
        "报送周期",
        "期间",
        "社区数",
        "已审核",
        "待审核",
        "已退回",
        "未报送（已逾期）",
        "迟报",
        "应报",
        "已报",
        "按时",
        "报送率",
        "及时率",
    ]

    def line(row: StreetRow, label: str, t: Tally) -> list[Any]:
        r = t.rates
        counts = [t.approved, t.pending, t.returned, t.missing, t.late]
        return [row.name, Cadence(row.cadence).label, label, row.communities, *counts] + [
            r.owed,
            r.reported,
            r.on_time,
            *_rates(t),
        ]

    for row in board.rows:
        for p in row.periods:
            yield line(row, p.period.label, p.tally)
        yield line(row, f"{board.year}年全年", row.year)


def all_rankings(data: DistrictYear, overview: Overview) -> Iterator[tuple[str, Any]]:
    """(sheet, rows) of every ranking: overall, each card, each indicator, the streets."""
    yield "总分排名", ranking_rows(rank(data.entries, TOTAL), "总分")
    for c in (*data.cards, *data.indicators):
        label = f"{c.code} {c.name}"
        yield f"{c.code}排名", ranking_rows(rank(data.entries, c.key), label)
    yield "街道排名", street_rows(overview)
