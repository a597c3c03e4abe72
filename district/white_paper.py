"""区县社区文体工作白皮书: the district's year in one PDF, in the annual report's house style
(reports/pdf.py: A4, Noto CJK, inline SVG charts). Cover, summary, the distribution of
scores and grades, rankings (overall, by card, by indicator: top and bottom ten), a page
per street, the indicators most often missed with what they would take, and the scheme."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from portal.charts import Series, bar_chart
from reports.pdf import render_pdf

from .board import Overview, overview
from .charts import strip_chart
from .rankings import TOTAL, Entry, Ranked, StreetLine, rank, round2, top_and_bottom
from .selectors import Column, DistrictYear

TOP = 10
Progress = Callable[[int, str], None]


@dataclass
class RankingSection:
    title: str
    top: list[Ranked]
    bottom: list[Ranked]


@dataclass
class StreetPage:
    line: StreetLine
    rows: list[Ranked]
    chart: str
    targets: str
    overdue: int


@dataclass
class Missed:
    column: Column
    missed: int
    scored: int
    share: Decimal  # average share of points reached
    gaps: list[tuple[str, int]]  # the most frequent 还差… phrases and how many communities


@dataclass
class WhitePaper:
    data: DistrictYear
    board: Overview
    average: Decimal | None
    overall: RankingSection
    cards: list[RankingSection]
    indicators: list[RankingSection]
    streets: list[StreetPage]
    missed: list[Missed]
    charts: dict[str, str] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return f"{self.data.year}年度社区文体工作白皮书"


def _section(title: str, rows: list[Ranked]) -> RankingSection:
    top, bottom = top_and_bottom(rows, TOP)
    return RankingSection(title, top, list(reversed(bottom)))


def _missed(data: DistrictYear) -> list[Missed]:
    scored = [e for e in data.entries if e.total is not None]
    out = []
    for c in data.indicators:
        got = [e for e in scored if e.indicators.get(c.code) is not None]
        if not got or not c.points:
            continue
        below = [e for e in got if e.indicators[c.code] < c.points]
        if not below:
            continue
        share = round2(sum((e.indicators[c.code] for e in got), Decimal(0)) / len(got) / c.points)
        gaps = Counter(e.gaps[c.code] for e in below if e.gaps.get(c.code))
        out.append(Missed(c, len(below), len(got), share, gaps.most_common(3)))
    out.sort(key=lambda m: (-m.missed, m.share, m.column.code))
    return out


def _distribution_chart(entries: list[Entry], scale: Decimal) -> str:
    """How many communities fall in each band of 20 points."""
    step = 20
    top = int(scale) + step
    labels = [f"{lo}–{lo + step - 1}" for lo in range(0, top, step)]
    counts = [0] * len(labels)
    for e in entries:
        if e.total is not None:
            counts[min(max(int(e.total), 0) // step, len(labels) - 1)] += 1
    return bar_chart(
        labels, [Series("社区数", counts)], title="全区社区总分分布", unit="个", uid="dist"
    )


def build(data: DistrictYear, progress: Progress | None = None) -> WhitePaper:
    say = progress or (lambda _p, _m: None)
    board = overview(data)
    say(20, "正在排名")
    totals = [e.total for e in data.entries if e.total is not None]
    average = round2(sum(totals, Decimal(0)) / len(totals)) if totals else None
    overall_rows = rank(data.entries, TOTAL)
    cards = [_section(f"{c.code} {c.name}", rank(data.entries, c.key)) for c in data.cards]
    indicators = [
        _section(f"{c.code} {c.name}（{c.points.normalize():f}分）", rank(data.entries, c.key))
        for c in data.indicators
    ]
    pages = []
    standing = {s.line.street_id: s for s in board.streets}
    for n, s in enumerate(data.streets):
        say(30 + 40 * n // max(len(data.streets), 1), f"正在整理{s.name}")
        rows = rank(data.entries, TOTAL, street_id=s.pk)
        st = standing[s.pk]
        totals_of = [r.value for r in rows if r.value is not None]
        pages.append(
            StreetPage(
                st.line,
                rows,
                strip_chart(totals_of, board.scale, board.bands, label=f"{s.name}各社区总分"),
                f"{st.targets_met}/{st.targets}" if st.targets else "未设定",
                st.overdue,
            )
        )
    grades = list(board.grades.items())
    charts = {
        "distribution": _distribution_chart(data.entries, board.scale),
        "grades": bar_chart(
            [g for g, _ in grades],
            [Series("社区数", [n for _, n in grades])],
            title="全区等次分布",
            unit="个",
            uid="grades",
        ),
        "streets": bar_chart(
            [p.line.street for p in pages],
            [Series("平均分", [float(p.line.average or 0) for p in pages])],
            title="各街道平均分",
            unit="分",
            uid="streets",
        ),
    }
    return WhitePaper(
        data,
        board,
        average,
        _section("总分", overall_rows),
        cards,
        indicators,
        pages,
        _missed(data),
        charts,
    )


def white_paper_pdf(data: DistrictYear, progress: Progress | None = None) -> bytes:
    paper = build(data, progress)
    if progress:
        progress(75, "正在排版 PDF")
    return render_pdf("district/pdf/white_paper.html", {"paper": paper})
