"""年度考核报告: the annual 双百分 assessment as a finished A4 document.

The data is built once into a plain report model (AnnualReport) and handed to the template
(templates/reports/pdf/annual.html); the notices reuse its community sections.

A stored run prints only from its frozen rows (CommunityResult, IndicatorResult and the
scheme snapshot): editing records after a run never changes its report. The one figure a
run does not hold — 提升工程 done on schedule — is read from the projects' audit history
as it stood when the run was made, and so is the 点单配送 section (delivery.selectors). Without a finalised run, annual_report_for computes a
provisional (临时) assessment now and writes nothing.
Over 500 lines: the report model and its builders are one document's sections, read in
order.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from assessments import metrics, services
from assessments.gaps import fmt
from assessments.models import Run, RunStatus
from assessments.outcomes import CommunityOutcome, IndicatorOutcome
from assessments.plan_targets import SummaryLine, pct, projects_as_of, street_summary
from assessments.results import assessment_results, run_results
from communities.models import Street
from delivery.selectors import Statistics, street_statistics
from portal import charts
from rectification.selectors import Outcome, outcomes

from .advice import advice_for
from .pdf import render_pdf

# --- the report model ------------------------------------------------------------------------


@dataclass(frozen=True)
class CardHead:
    code: str
    name: str  # 文化工作
    short: str  # 文化
    max_points: Decimal


@dataclass(frozen=True)
class IndicatorLine:
    code: str
    name: str
    card: str
    is_manual: bool
    target: str
    actual: str
    points: Decimal | None
    max_points: Decimal
    records: int | None  # records behind the number; None for manual items
    gap: str
    advice: str


@dataclass(frozen=True)
class ManualLine:
    code: str
    name: str
    max_points: Decimal
    self_score: str
    assessed: str
    complete: bool


@dataclass(frozen=True)
class CommunitySection:
    community_id: int
    name: str
    rank: int | None
    grade: str
    grade_gap: str
    veto: bool
    total: Decimal | None
    bonus: Decimal | None
    deduction: Decimal | None
    cards: tuple[tuple[CardHead, Decimal | None], ...]
    population: int | None
    population_year: int | None
    lines: tuple[IndicatorLine, ...]
    manual: tuple[ManualLine, ...]
    error: str = ""

    @property
    def anchor(self) -> str:
        return f"c{self.community_id}"

    @property
    def gaps(self) -> list[IndicatorLine]:
        return [line for line in self.lines if line.gap]

    @property
    def complete(self) -> bool:
        return not self.error and all(m.complete for m in self.manual)

    @property
    def grade_label(self) -> str:
        if self.error:
            return "无法计分"
        if self.veto:
            return f"{self.grade or '不合格'}（一票否决）"
        return self.grade or "待定"


@dataclass(frozen=True)
class Chart:
    title: str
    svg: str
    caption: str = ""


@dataclass
class AnnualReport:
    street: str
    year: int
    status: str  # 定稿 / 草稿 / 临时
    status_line: str
    as_of: dt.date
    version: int | None
    finalised_on: dt.date | None
    scheme_name: str
    cards: list[CardHead]
    bands: list[tuple[str, Decimal]]
    sections: list[CommunitySection]
    summary: list[SummaryLine] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    delivery: Statistics | None = None  # 点单配送 of the year (delivery.selectors)
    # 上年整改落实情况: the previous year's rectification tasks (rectification.selectors)
    rectified: list[Outcome] = field(default_factory=list)

    @property
    def title(self) -> str:
        return f"{self.year}年度社区文体工作“双百分”考核报告"

    @property
    def scored(self) -> list[CommunitySection]:
        return [s for s in self.sections if not s.error]

    @property
    def numbered(self) -> list[tuple[str, CommunitySection]]:
        return [(cn_number(n), s) for n, s in enumerate(self.sections, start=1)]

    @property
    def grade_counts(self) -> list[tuple[str, int]]:
        counts = Counter(s.grade or "待定" for s in self.scored)
        names = [name for name, _ in self.bands] + ["待定"]
        return [(name, counts[name]) for name in names if counts[name]]

    @property
    def bands_text(self) -> str:
        return bands_text(self.bands)

    @property
    def filename(self) -> str:
        tag = f"定稿第{self.version}版" if self.status == "定稿" else self.status
        return f"{self.street}{self.year}年度双百分考核报告（{tag}）.pdf"


# --- formatting ------------------------------------------------------------------------------


def _unit(spec: Mapping[str, Any]) -> str:
    metric = metrics.METRICS.get(spec.get("metric", ""))
    return metric.unit if metric else ""


def _per_label(per: Decimal) -> str:
    return "每千人" if per == 1000 else f"每{fmt(per)}人"


def _display(
    spec: Mapping[str, Any], ind: IndicatorOutcome, population: int | None
) -> tuple[str, str]:
    """(target, actual) as a reader of the report writes them, per the indicator's rule."""
    if ind.is_manual:
        return "人工评分", _assessed(ind)
    v, t = ind.value, ind.target
    if v is None:
        return "—", "—"
    unit, rule, params = _unit(spec), spec.get("rule", ""), spec.get("params", {})
    target = "—" if t is None else f"≥{fmt(t)}{unit}"
    actual = f"{fmt(v)}{unit}"
    if rule == "per_capita" and population:
        per, rate = Decimal(str(params.get("per", 1))), Decimal(str(params.get("target", 0)))
        if per == 1:
            actual += f"（占{pct(v / population, 2)}）"
            target = f"≥{math.ceil(t or 0)}{unit}（常住人口的{pct(rate, 0)}）"
        else:
            actual += f"（{_per_label(per)}{fmt(v / population * per)}{unit}）"
            target = f"≥{math.ceil(t or 0)}{unit}（{_per_label(per)}{fmt(rate)}{unit}）"
    elif rule == "two_part":
        excellent = ind.detail.get("excellent", 0)
        actual += f"（优秀{excellent}{unit}）"
        target += f"（优秀≥{params.get('excellent_target', '')}{unit}）"
    elif rule == "ratio":
        whole = ind.detail.get("total", 0)
        actual = f"{fmt(v)}/{whole}{unit}"
        target = "全部达标" if whole else "—"
    elif rule == "star":
        actual = f"{fmt(v)}星" if v else "未评定"
        target = "—" if t is None else f"{fmt(t)}星"
    elif rule == "per_item":
        actual = f"{fmt(v)}/{fmt(t or 0)}项"
        target = "—" if t is None else f"{fmt(t)}项齐全"
    return target, actual


def _assessed(ind: IndicatorOutcome) -> str:
    if ind.points is None:
        return "待考评"
    letter = ind.detail.get("letter")
    return f"{letter}（{fmt(ind.points)}分）" if letter else f"{fmt(ind.points)}分"


def card_heads(snapshot: Mapping[str, Any]) -> list[CardHead]:
    return [
        CardHead(
            c["code"], c["name"], c["name"].removesuffix("工作"), Decimal(str(c["max_points"]))
        )
        for c in snapshot.get("cards", [])
    ]


def sections_of(
    results: Sequence[CommunityOutcome], snapshot: Mapping[str, Any], cards: Sequence[CardHead]
) -> list[CommunitySection]:
    specs = {i["code"]: i for i in snapshot.get("indicators", [])}
    out = []
    for r in results:
        lines, manual = [], []
        for ind in r.indicators:
            spec = specs.get(ind.code, {})
            target, actual = _display(spec, ind, r.population)
            gap = ind.gap
            lines.append(
                IndicatorLine(
                    code=ind.code,
                    name=ind.name,
                    card=ind.card,
                    is_manual=ind.is_manual,
                    target=target,
                    actual=actual,
                    points=ind.points,
                    max_points=ind.max_points,
                    records=None if ind.is_manual else ind.records,
                    gap=gap,
                    advice=advice_for(
                        spec.get("metric", ""),
                        is_manual=ind.is_manual,
                        scored=ind.points is not None,
                    )
                    if gap
                    else "",
                )
            )
            if ind.is_manual:
                self_score = ind.detail.get("self_score")
                manual.append(
                    ManualLine(
                        code=ind.code,
                        name=ind.name,
                        max_points=ind.max_points,
                        self_score="未自评"
                        if self_score is None
                        else f"{fmt(Decimal(self_score))}分",
                        assessed=_assessed(ind),
                        complete=ind.points is not None,
                    )
                )
        out.append(
            CommunitySection(
                community_id=r.community_id,
                name=r.name,
                rank=r.rank,
                grade=r.grade,
                grade_gap=r.grade_gap,
                veto=r.veto,
                total=r.total,
                bonus=r.bonus,
                deduction=r.deduction,
                cards=tuple((c, r.cards.get(c.code)) for c in cards),
                population=r.population,
                population_year=r.population_year,
                lines=tuple(lines),
                manual=tuple(manual),
                error=r.error,
            )
        )
    return out


# --- charts ----------------------------------------------------------------------------------


def text_width(text: str, size: float = 11) -> float:
    return sum(size if ord(ch) > 0x2E7F else size * 0.56 for ch in text)


def fit_label(text: str, width: float) -> str:
    """Shorten a chart label to the room the chart leaves for it."""
    if text_width(text) <= width:
        return text
    while text and text_width(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"


def report_charts(
    sections: Sequence[CommunitySection],
    cards: Sequence[CardHead],
    bands: Sequence[tuple[str, Decimal]],
) -> list[Chart]:
    scored = [s for s in sections if not s.error]
    if not scored:
        return []
    labels = [s.name for s in scored]
    card_max = max((c.max_points for c in cards), default=Decimal(100))
    # Units and grade lines go in the captions: drawn inside the plot they would cross the
    # value printed above each bar.
    out = [
        Chart(
            "各社区文化、体育工作得分",
            charts.bar_chart(
                labels,
                [
                    charts.Series(c.short, [float(dict(s.cards)[c] or 0) for s in scored])
                    for c in cards
                ],
                title="各社区文化、体育工作得分",
                max_value=float(card_max),
                uid="cards",
            ),
            f"单位：分，按总分名次排列；每张记分卡满分{fmt(card_max)}分。",
        ),
        Chart(
            "各社区总分",
            charts.bar_chart(
                labels,
                [charts.Series("总分", [float(s.total or 0) for s in scored])],
                title="各社区总分",
                uid="totals",
            ),
            f"单位：分。等次：{bands_text(bands)}。" if bands else "单位：分。",
        ),
    ]
    totals: dict[str, list[Decimal]] = {}
    names: dict[str, str] = {}
    for s in scored:
        for line in s.lines:
            if line.points is None:
                continue
            acc = totals.setdefault(line.code, [Decimal(0), Decimal(0)])
            acc[0] += line.points
            acc[1] += line.max_points
            names.setdefault(line.code, line.name)
    rows = [
        (fit_label(f"{code} {names[code]}", 140), float(got / whole * 100) if whole else 0.0)
        for code, (got, whole) in totals.items()
    ]
    out.append(
        Chart(
            "各项指标全街道得分率",
            charts.attainment_bars(rows, title="各项指标全街道得分率", uid="attain"),
            "得分率 = 各社区该项得分之和 ÷ 满分之和；深色为满分，斜线为60%以上，点状为60%以下。",
        )
    )
    return out


# --- building --------------------------------------------------------------------------------


def bands_of(snapshot: Mapping[str, Any]) -> list[tuple[str, Decimal]]:
    return [(b["name"], Decimal(str(b["min_total"]))) for b in snapshot.get("grade_bands", [])]


def bands_text(bands: Sequence[tuple[str, Decimal]]) -> str:
    """优秀≥180分，良好≥160分，合格≥120分，不合格低于120分"""
    ordered = sorted(bands, key=lambda b: -b[1])
    parts = []
    for k, (name, low) in enumerate(ordered):
        if low > 0 or k == 0:
            parts.append(f"{name}≥{fmt(low)}分")
        else:
            parts.append(f"{name}低于{fmt(ordered[k - 1][1])}分")
    return "，".join(parts)


def _notes(sections: Sequence[CommunitySection], live: Sequence[str]) -> list[str]:
    notes = [s.error for s in sections if s.error]
    pending = [
        f"{s.name}（{'、'.join(m.code for m in s.manual if not m.complete)}）"
        for s in sections
        if not s.error and not s.complete
    ]
    if pending:
        notes.append("尚有人工指标未考评：" + "；".join(pending) + "。相关社区等次待定。")
    if live:
        notes.append(
            "本年度考核方案未设以下指标，街道汇总中的相应数字按当前台账统计："
            + "、".join(live)
            + "。"
        )
    return notes


def _assemble(
    *,
    street: Street,
    year: int,
    as_of: dt.date,
    snapshot: Mapping[str, Any],
    results: list[CommunityOutcome],
    projects_at: dt.datetime | None,
    status: str,
    status_line: str,
    version: int | None,
    finalised_on: dt.date | None,
    scheme_name: str,
) -> AnnualReport:
    cards = card_heads(snapshot)
    bands = bands_of(snapshot)
    sections = sections_of(results, snapshot, cards)
    ctx = metrics.MetricContext(tuple(r.community_id for r in results if not r.error), year, as_of)
    summary, live = street_summary(
        results, snapshot, ctx, projects_as_of(street.pk, year, projects_at)
    )
    return AnnualReport(
        street=street.name,
        year=year,
        status=status,
        status_line=status_line,
        as_of=as_of,
        version=version,
        finalised_on=finalised_on,
        scheme_name=scheme_name,
        cards=cards,
        bands=bands,
        sections=sections,
        summary=summary,
        charts=report_charts(sections, cards, bands),
        notes=_notes(sections, live),
        # A stored run prints the deliveries as recorded when it was made, like its projects.
        delivery=street_statistics(street, year, at=projects_at),
        rectified=outcomes(street.pk, year - 1, as_of),
    )


def run_status(run: Run) -> tuple[str, str, dt.date | None]:
    """(status, the cover's status line, finalisation date) of a stored run."""
    as_of = f"{run.as_of:%Y-%m-%d}"
    if run.status == RunStatus.FINAL and run.finalised_at:
        on = timezone.localdate(run.finalised_at)
        return "定稿", f"定稿 · 第{run.version}版 · {on:%Y-%m-%d}定稿", on
    if run.provisional:
        return "临时", f"临时（截至 {as_of}）· 第{run.version}版草稿，未定稿", None
    return "草稿", f"草稿 · 第{run.version}版，未定稿，仅供核对 · 截至 {as_of}", None


def build_from_run(run: Run) -> AnnualReport:
    """The report model of a stored run, from its frozen rows only."""
    status, line, on = run_status(run)
    street = run.street
    return _assemble(
        street=street,
        year=run.year,
        as_of=run.as_of,
        snapshot=run.scheme_snapshot,
        results=run_results(run),
        projects_at=run.created_at,
        status=status,
        status_line=line,
        version=run.version,
        finalised_on=on,
        scheme_name=run.scheme_name,
    )


def build_provisional(street: Street, year: int, as_of: dt.date | None = None) -> AnnualReport:
    """A 临时 report computed now from the records (nothing is stored)."""
    if as_of is None:
        as_of = min(timezone.localdate(), services.year_end(year))
    assessment = services.compute(street, year, as_of)
    return _assemble(
        street=street,
        year=year,
        as_of=assessment.as_of,
        snapshot=assessment.snapshot,
        results=assessment_results(assessment),
        projects_at=None,
        status="临时",
        status_line=f"临时（截至 {assessment.as_of:%Y-%m-%d}）· 按当前台账即时计算，未定稿",
        version=None,
        finalised_on=None,
        scheme_name=assessment.scheme_name,
    )


def latest_final_run(street: Street, year: int) -> Run | None:
    return (
        Run.objects.select_related("street")
        .filter(street=street, year=year, status=RunStatus.FINAL)
        .order_by("-version")
        .first()
    )


def build_for(street: Street, year: int, as_of: dt.date | None = None) -> AnnualReport:
    """The latest finalised run of the year if any (and no other as-of date was asked
    for), else a provisional report computed now."""
    run = latest_final_run(street, year)
    if run is not None and (as_of is None or as_of == run.as_of):
        return build_from_run(run)
    return build_provisional(street, year, as_of)


def render(report: AnnualReport) -> bytes:
    return render_pdf("reports/pdf/annual.html", {"report": report})


def annual_report_pdf(*, run: Run) -> bytes:
    """The annual PDF of a stored run (a finalised run prints only its frozen rows)."""
    return render(build_from_run(run))


def annual_report_for(*, street: Street, year: int, as_of: dt.date | None = None) -> bytes:
    """The annual PDF of the street's latest finalised run of the year, else a provisional
    one computed now (the cover says 临时 and the as-of date)."""
    return render(build_for(street, year, as_of))


_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 23 → 二十三 (section numbers up to 99)."""
    if n < 10:
        return _DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _DIGITS[tens]) + "十" + ("" if ones == 0 else _DIGITS[ones])
