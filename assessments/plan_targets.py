"""街道层面目标: the plan's street-level targets (seed 000, section 四) against the year.

Figures come from the stored indicator values that measure them (a finalised run never
recounts); 提升工程, which no indicator holds, is read from the projects' audit history as it
stood when the run was made. Only a scheme that lacks one of these metrics makes the summary
count it from the current records, and the report says so.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from facilities.models import ProjectStatus, UpgradeProject

from . import metrics
from .gaps import fmt
from .outcomes import CommunityOutcome

# The plan's street-level targets (seed 000, section 四); star targets are data (StarTarget).
PLAN_ROOM_AREA = Decimal(200)  # 四(一)1 建有200平方米以上的文化活动室 …
PLAN_ROOM_SHARE = Decimal("0.9")  # … 2014年实现90%的社区
PLAN_INSTRUCTORS_PER_K = Decimal(5)  # 四(二)3 每千人拥有各级社会体育指导员5名以上 …
PLAN_SENIOR_PER_COMMUNITY = 1  # … 其中至少1名为一级
PLAN_TEAMS = 5  # 四(二)4 文化团队5支以上，体育团队5支以上 …
PLAN_EXCELLENT = 2  # … 其中优秀文体团队各2支以上
PLAN_VOLUNTEER_SHARE = Decimal("0.03")  # 四(二)2 志愿者人数占社区常住人口3%以上

STAR_WORDS = {1: "一", 2: "二", 3: "三", 4: "四", 5: "五"}


@dataclass(frozen=True)
class SummaryLine:
    clause: str  # the plan clause, 四(一)1
    item: str
    target: str
    actual: str
    met: bool | None  # None: nothing to compare against
    note: str = ""

    @property
    def verdict(self) -> str:
        return {True: "达标", False: "未达标", None: "—"}[self.met]


def pct(x: Decimal | float, places: int = 1) -> str:
    return f"{Decimal(x) * 100:.{places}f}%"


@dataclass(frozen=True)
class _Figure:
    value: Decimal
    detail: Mapping[str, Any]


class _Figures:
    """Per-community values of a metric: from the stored indicators that use it, else (a
    scheme without that metric) counted now from the records with the registry's query."""

    def __init__(
        self,
        results: Sequence[CommunityOutcome],
        snapshot: Mapping[str, Any],
        ctx: metrics.MetricContext,
    ) -> None:
        self.results = [r for r in results if not r.error]
        self.by_metric: dict[str, str] = {}
        for spec in snapshot.get("indicators", []):
            if not spec.get("is_manual"):
                self.by_metric.setdefault(spec.get("metric", ""), spec["code"])
        self.ctx = ctx
        self.live: list[str] = []

    def get(self, metric: str) -> dict[int, _Figure]:
        code = self.by_metric.get(metric)
        if code is not None:
            out = {}
            for r in self.results:
                ind = next((i for i in r.indicators if i.code == code), None)
                if ind is not None and ind.value is not None:
                    out[r.community_id] = _Figure(ind.value, ind.detail)
            return out
        self.live.append(metrics.METRICS[metric].label)
        values = metrics.METRICS[metric].compute(self.ctx, {})
        return {
            r.community_id: _Figure(
                Decimal(values[r.community_id].value) if r.community_id in values else Decimal(0),
                dict(values[r.community_id].parts) if r.community_id in values else {},
            )
            for r in self.results
        }


def _names(results: Sequence[CommunityOutcome], ids: Iterable[int]) -> str:
    wanted = set(ids)
    return "、".join(r.name for r in results if r.community_id in wanted)


def _count_line(
    clause: str, item: str, results: Sequence[CommunityOutcome], passing: set[int], target: str
) -> SummaryLine:
    n = len(results)
    lacking = [r.community_id for r in results if r.community_id not in passing]
    return SummaryLine(
        clause,
        item,
        target,
        f"{len(passing)}/{n}个社区",
        not lacking,
        f"未达到：{_names(results, lacking)}" if lacking else "",
    )


def _star_lines(
    results: Sequence[CommunityOutcome], figures: Mapping[int, _Figure]
) -> list[SummaryLine]:
    targets = {cid: f.detail.get("target") for cid, f in figures.items()}
    achieved = {cid: int(f.value) for cid, f in figures.items()}
    planned = Counter(t for t in targets.values() if t is not None)
    if not planned:
        return [SummaryLine("四(三)4", "星级社区", "本年度未设定目标星级", "—", None)]
    lines = []
    for level in sorted(planned, reverse=True):
        aimed = [cid for cid, t in targets.items() if t == level]
        short = [cid for cid in aimed if achieved.get(cid, 0) < level]
        rated = sum(1 for s in achieved.values() if s == level)
        word = STAR_WORDS.get(level, str(level))
        lines.append(
            SummaryLine(
                "四(三)4",
                f"{word}星级社区",
                f"{planned[level]}个",
                f"评定{word}星{rated}个；目标社区达标{len(aimed) - len(short)}/{len(aimed)}",
                not short,
                f"未达目标星级：{_names(results, short)}" if short else "",
            )
        )
    return lines


@dataclass(frozen=True)
class _Project:
    community_id: int
    name: str
    planned_year: int
    status: str
    completed_on: dt.date | None


def projects_as_of(street_id: int, year: int, at: dt.datetime | None) -> list[_Project]:
    """提升工程 planned up to year Y; as recorded at `at` (the run's time) when given."""
    qs = UpgradeProject.history.as_of(at) if at is not None else UpgradeProject.objects.all()
    return as_projects(qs.filter(community__street_id=street_id, planned_year__lte=year))


def as_projects(rows: Iterable[Any]) -> list[_Project]:
    """Upgrade project rows (current or historical) as the summary reads them."""
    return sorted(
        (_Project(p.community_id, p.name, p.planned_year, p.status, p.completed_on) for p in rows),
        key=lambda p: (p.planned_year, p.name),
    )


def _project_state(p: _Project, late: Sequence[_Project]) -> str:
    if p in late:
        return "逾期完成"
    # Done after the as-of date of a provisional report: not done yet at that date.
    return "未完成" if p.status == ProjectStatus.DONE else p.status


def _project_line(projects: Sequence[_Project], year: int, as_of: dt.date) -> SummaryLine:
    if not projects:
        return SummaryLine("四(一)2", "文体设施提升工程", "按计划年度完成", "无计划项目", None)
    done = [
        p
        for p in projects
        if p.status == ProjectStatus.DONE and (p.completed_on is None or p.completed_on <= as_of)
    ]
    on_time = [p for p in done if p.completed_on is None or p.completed_on.year <= p.planned_year]
    late = [p for p in done if p not in on_time]
    open_ = [p for p in projects if p not in done]
    parts = [f"按期完成{len(on_time)}项"]
    if late:
        parts.append(f"逾期完成{len(late)}项")
    if open_:
        parts.append(f"未完成{len(open_)}项")
    note = "；".join(
        f"{p.name}（计划{p.planned_year}年，{_project_state(p, late)}）" for p in late + open_
    )
    return SummaryLine(
        "四(一)2",
        f"文体设施提升工程（计划{year}年及以前）",
        f"{len(projects)}项按计划年度完成",
        "，".join(parts),
        not late and not open_,
        note,
    )


def street_summary(
    results: Sequence[CommunityOutcome],
    snapshot: Mapping[str, Any],
    ctx: metrics.MetricContext,
    projects: Sequence[_Project],
) -> tuple[list[SummaryLine], list[str]]:
    """The plan's street-level targets against the year's figures; and the metrics that had
    to be counted from current records because the scheme does not hold them."""
    scored = [r for r in results if not r.error]
    if not scored:
        return [], []
    fig = _Figures(results, snapshot, ctx)
    lines: list[SummaryLine] = []

    rooms = fig.get("culture_room_area")
    with_room = {cid for cid, f in rooms.items() if f.value >= PLAN_ROOM_AREA}
    share = Decimal(len(with_room)) / len(scored)
    lacking = [r.community_id for r in scored if r.community_id not in with_room]
    lines.append(
        SummaryLine(
            "四(一)1",
            f"建有{fmt(PLAN_ROOM_AREA)}㎡以上文化活动室的社区",
            f"≥{pct(PLAN_ROOM_SHARE, 0)}",
            f"{len(with_room)}/{len(scored)}个（{pct(share)}）",
            share >= PLAN_ROOM_SHARE,
            f"未达到：{_names(scored, lacking)}" if lacking else "",
        )
    )
    lines.append(_project_line(projects, ctx.year, ctx.as_of))

    residents = sum(r.population or 0 for r in scored)
    instructors = fig.get("instructors")
    total_instructors = sum((f.value for f in instructors.values()), Decimal(0))
    per_k = total_instructors / residents * 1000 if residents else Decimal(0)
    lines.append(
        SummaryLine(
            "四(二)3",
            "每千人社会体育指导员（街道合计）",
            f"≥{fmt(PLAN_INSTRUCTORS_PER_K)}名",
            f"{fmt(per_k)}名（{fmt(total_instructors)}名/{residents}人）",
            per_k >= PLAN_INSTRUCTORS_PER_K,
        )
    )
    senior = fig.get("senior_instructors")
    lines.append(
        _count_line(
            "四(二)3",
            f"有{PLAN_SENIOR_PER_COMMUNITY}名以上一级指导员的社区",
            scored,
            {cid for cid, f in senior.items() if f.value >= PLAN_SENIOR_PER_COMMUNITY},
            "全部社区",
        )
    )
    for metric, label in (("culture_teams", "文化"), ("sports_teams", "体育")):
        teams = fig.get(metric)
        lines.append(
            _count_line(
                "四(二)4",
                f"{label}团队≥{PLAN_TEAMS}支的社区",
                scored,
                {cid for cid, f in teams.items() if f.value >= PLAN_TEAMS},
                "全部社区",
            )
        )
        lines.append(
            _count_line(
                "四(二)4",
                f"优秀{label}团队≥{PLAN_EXCELLENT}支的社区",
                scored,
                {
                    cid
                    for cid, f in teams.items()
                    if Decimal(f.detail.get("excellent", 0)) >= PLAN_EXCELLENT
                },
                "全部社区",
            )
        )
    volunteers = fig.get("volunteers")
    total_volunteers = sum((f.value for f in volunteers.values()), Decimal(0))
    v_share = total_volunteers / residents if residents else Decimal(0)
    short = [
        r.community_id
        for r in scored
        if r.population
        and volunteers.get(r.community_id, _Figure(Decimal(0), {})).value
        < PLAN_VOLUNTEER_SHARE * r.population
    ]
    lines.append(
        SummaryLine(
            "四(二)2",
            "文体志愿者占常住人口（街道合计）",
            f"≥{pct(PLAN_VOLUNTEER_SHARE, 0)}",
            f"{pct(v_share, 2)}（{fmt(total_volunteers)}名/{residents}人）",
            v_share >= PLAN_VOLUNTEER_SHARE,
            f"未达3%的社区：{_names(scored, short)}" if short else "",
        )
    )
    lines.extend(_star_lines(scored, fig.get("star_rating")))
    return lines, fig.live
