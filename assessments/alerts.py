"""Dashboard alerts, each pointing at the record to fix.

- 活动待审核超过7天: pending since activities.models.waiting_since() (the last submission, else
  when it was recorded), measured against now — the queue is a present-day matter;
- 干部持证期限: cadres who, at the dashboard's date, miss the certificate their years in
  office require (B5's own metric, with the deadlines of the street's scheme), or will within
  60 days (a deadline coming up, or a certificate about to lapse);
- 提升工程逾期: upgrade projects not done in their planned year (a warning while it runs);
- 缺少人口: communities without a 常住人口 figure for the year.

Links are reversed safely (communities' `url_if`): a page that does not exist yet gives an
alert without a link rather than an error.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from itertools import groupby
from typing import TYPE_CHECKING

from django.db.models import (
    BooleanField,
    ExpressionWrapper,
    Q,
)
from django.utils import timezone

from activities.models import Activity, ActivityStatus, waiting_since
from facilities.models import ProjectStatus, UpgradeProject
from portal.links import url_if
from teams.models import LEVEL_RANK

from . import metrics, pace, rules

if TYPE_CHECKING:
    from communities.scope import User

WAIT_DAYS = 7
CERTIFICATE_WINDOW_DAYS = 60

WAITING = "activity_waiting"
CERTIFICATE = "cadre_certificate"
UPGRADE = "upgrade_late"
POPULATION = "population_missing"
# Raised by the service app's instructor rules (dashboard/build.py adds them).
INSTRUCTOR_EXPIRY = "instructor_expiry"
INSTRUCTOR_PROMOTION = "instructor_promotion"

KIND_LABELS = {
    WAITING: f"活动待审核超过{WAIT_DAYS}天",
    CERTIFICATE: "文体干部持证期限",
    UPGRADE: "提升工程未按计划完成",
    POPULATION: "缺少常住人口",
    INSTRUCTOR_EXPIRY: "社会体育指导员证书到期",
    INSTRUCTOR_PROMOTION: "社会体育指导员可申报晋升",
}
KIND_ORDER = (WAITING, CERTIFICATE, UPGRADE, POPULATION, INSTRUCTOR_EXPIRY, INSTRUCTOR_PROMOTION)

BAD = "bad"
WARN = "warn"

LEVEL_OF_RANK = {rank: level for level, rank in LEVEL_RANK.items()}


@dataclass(frozen=True)
class Alert:
    kind: str
    severity: str  # bad | warn
    community_id: int
    community: str
    subject: str  # the record, as people name it
    message: str
    url: str = ""
    day: dt.date | None = None  # the date it is about (for ordering)

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]


def grouped(alerts: Iterable[Alert]) -> list[tuple[str, list[Alert]]]:
    """Alerts by kind in a fixed order, each group keeping its own order."""
    by_kind = {k: list(g) for k, g in groupby(sorted(alerts, key=_order), key=lambda a: a.kind)}
    return [(k, by_kind[k]) for k in KIND_ORDER if k in by_kind]


def _order(a: Alert) -> tuple[int, int, dt.date, str, str]:
    return (
        KIND_ORDER.index(a.kind),
        0 if a.severity == BAD else 1,
        a.day or dt.date.min,
        a.community,
        a.subject,
    )


# --- activities waiting for verification ------------------------------------------------------


def waiting_activities(
    ids: Iterable[int], names: Mapping[int, str], now: dt.datetime
) -> list[Alert]:
    cutoff = now - dt.timedelta(days=WAIT_DAYS)
    rows = (
        Activity.objects.filter(community_id__in=list(ids), status=ActivityStatus.PENDING)
        .annotate(since=waiting_since())
        .filter(since__lt=cutoff)
        .order_by("since", "pk")
        .values_list("pk", "name", "date", "community_id", "since")
    )
    out = []
    for pk, name, day, cid, since in rows:
        days = (now - since).days
        out.append(
            Alert(
                WAITING,
                BAD if days > 4 * WAIT_DAYS else WARN,
                cid,
                names[cid],
                f"{day:%Y-%m-%d} {name}",
                f"{timezone.localtime(since):%Y-%m-%d} 提交，已等待 {days} 天",
                url_if("activities:detail", pk),
                day,
            )
        )
    return out


# --- cadre certificate deadlines --------------------------------------------------------------


def _required(appointed_on: dt.date, day: dt.date, d: metrics.CadreDeadlines) -> tuple[int, int]:
    """(rank, years in office) of B5's requirement in force at `day`; rank 0 for none."""
    rank = rules.cadre_required_rank(
        appointed_on,
        day,
        d.basic_years,
        LEVEL_RANK[d.basic_level],
        d.senior_years,
        LEVEL_RANK[d.senior_level],
    )
    senior = rules.whole_years(appointed_on, day) >= d.senior_years
    return rank, d.senior_years if senior else d.basic_years


def cadre_certificates(ctx: metrics.MetricContext, names: Mapping[int, str]) -> list[Alert]:
    """Cadres failing B5 at the date (overdue) or within the next 60 days (due): B5's own
    compliance (metrics.cadre_compliant) at both dates, for every active cadre, one query."""
    later = ctx.as_of + dt.timedelta(days=CERTIFICATE_WINDOW_DAYS)

    def flag(condition: Q) -> ExpressionWrapper:
        return ExpressionWrapper(condition, output_field=BooleanField())

    rows = (
        metrics.cadres_in_office(ctx.as_of)
        .filter(community_id__in=ctx.community_ids)
        .annotate(
            ok_now=flag(metrics.cadre_compliant(ctx.as_of, ctx.cadre)),
            ok_later=flag(metrics.cadre_compliant(later, ctx.cadre)),
            stays=flag(Q(left_on__isnull=True) | Q(left_on__gt=later)),
        )
        # Only the cadres the loop below keeps (none of the three is ever NULL: appointed_on
        # is required and the certificates are EXISTS), so a street's hundreds of compliant
        # cadres are not built as model instances.
        .filter(Q(ok_now=False) | Q(ok_later=False, stays=True))
        .select_related("person")
        .order_by("pk")
    )
    overdue = set()
    cadres = []
    for cadre in rows:
        if not cadre.ok_now:
            overdue.add(cadre.pk)
        elif cadre.ok_later or not cadre.stays:
            continue  # compliant now and still in 60 days (or gone by then)
        cadres.append(cadre)
    out = []
    for cadre in cadres:
        late = cadre.pk in overdue
        day = ctx.as_of if late else later
        rank, years = _required(cadre.appointed_on, day, ctx.cadre)
        level = LEVEL_OF_RANK[rank]
        deadline = pace.anniversary(cadre.appointed_on, years)
        if late:
            message = (
                f"任职满{years}年须持{level}及以上社会体育指导员证书，"
                f"期限 {deadline:%Y-%m-%d} 已过 {(ctx.as_of - deadline).days} 天"
            )
        elif deadline > ctx.as_of:
            message = (
                f"须于 {deadline:%Y-%m-%d} 前取得{level}及以上社会体育指导员证书"
                f"（还剩 {(deadline - ctx.as_of).days} 天）"
            )
        else:
            message = f"所持{level}及以上证书将在{CERTIFICATE_WINDOW_DAYS}天内失效，须及时续证"
        out.append(
            Alert(
                CERTIFICATE,
                BAD if late else WARN,
                cadre.community_id,
                names[cadre.community_id],
                f"{cadre.person.name}（{cadre.post}，{cadre.appointed_on:%Y-%m-%d} 任职）",
                message,
                url_if("teams:cadre_detail", cadre.pk),
                deadline,
            )
        )
    return out


# --- upgrade projects -------------------------------------------------------------------------


def planned_projects(ctx: metrics.MetricContext) -> list[UpgradeProject]:
    """The communities' upgrade projects planned up to Y, in the order alerts list them."""
    return list(
        UpgradeProject.objects.filter(
            community_id__in=ctx.community_ids, planned_year__lte=ctx.year
        ).order_by("planned_year", "pk")
    )


def late_projects(
    ctx: metrics.MetricContext,
    names: Mapping[int, str],
    rows: list[UpgradeProject] | None = None,
) -> list[Alert]:
    """Not done at the date although planned for this year (warning) or an earlier one.
    `rows` are planned_projects(ctx) when the caller has read them already."""
    if rows is None:
        rows = planned_projects(ctx)
    out = []
    for project in rows:
        done = project.status == ProjectStatus.DONE and (
            project.completed_on is None or project.completed_on <= ctx.as_of
        )
        if done:
            continue
        over = ctx.as_of >= dt.date(project.planned_year, 12, 31)
        if not over and project.planned_year != ctx.as_of.year:
            continue
        state = project.get_status_display()
        if project.status == ProjectStatus.DONE:
            state = f"{project.completed_on:%Y-%m-%d} 才完成"
        planned = f"计划 {project.planned_year} 年完成" if over else "计划本年度完成"
        message = f"{planned}，截至 {ctx.as_of:%Y-%m-%d} 尚未完成（{state}）"
        out.append(
            Alert(
                UPGRADE,
                BAD if over else WARN,
                project.community_id,
                names[project.community_id],
                project.name,
                message,
                url_if("facilities:project_detail", project.pk),
                dt.date(project.planned_year, 12, 31),
            )
        )
    return out


# --- population -------------------------------------------------------------------------------


def missing_population(
    ctx: metrics.MetricContext,
    names: Mapping[int, str],
    user: User,
    found: Mapping[int, metrics.PopulationRow] | None = None,
) -> list[Alert]:
    """No 常住人口 for the year: the assessment falls back on an earlier year, or cannot score.
    `found` is P per community when the caller has it already (an assessment's outcomes)."""
    if found is None:
        found = metrics.populations(ctx)
    # Population rows are edited in the admin (the community page holds them inline).
    can_open = bool(getattr(user, "is_staff", False))
    out = []
    for cid in ctx.community_ids:
        row = found.get(cid)
        if row is not None and row.year == ctx.year:
            continue
        message = (
            f"没有 {ctx.year} 年的常住人口，考核沿用 {row.year} 年的 {row.residents} 人"
            if row is not None
            else f"没有 {ctx.year} 年及以前的常住人口，该社区无法计分"
        )
        out.append(
            Alert(
                POPULATION,
                WARN if row is not None else BAD,
                cid,
                names[cid],
                f"{ctx.year} 年常住人口",
                message,
                url_if("admin:communities_community_change", cid) if can_open else "",
            )
        )
    return out


def collect(
    *,
    ctx: metrics.MetricContext,
    names: Mapping[int, str],
    user: User,
    now: dt.datetime | None = None,
    populations: Mapping[int, metrics.PopulationRow] | None = None,
    projects: list[UpgradeProject] | None = None,
    cadre_alerts: list[Alert] | None = None,
) -> list[Alert]:
    """Every alert of the communities in `ctx`, in display order (`projects`, `cadre_alerts`:
    already read by the caller)."""
    now = now or timezone.now()
    found = [
        *waiting_activities(ctx.community_ids, names, now),
        *(cadre_certificates(ctx, names) if cadre_alerts is None else cadre_alerts),
        *late_projects(ctx, names, projects),
        *missing_population(ctx, names, user, populations),
    ]
    return sorted(found, key=_order)
