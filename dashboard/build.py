"""The dashboard's data: where the street and each community stand against the plan today.

Every figure is read from the assessment engine — services.compute() for the points of each
community (so the dashboard agrees with `assess` for the same as-of date) and the metric
registry (assessments.metrics) for the street-level targets of plan 四 — never counted a
second way. The number of queries is fixed: it does not grow with the communities."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.cache import cache
from django.utils.safestring import SafeString

from assessments import alerts as alert_rules
from assessments import cache as score_cache
from assessments import metrics, pace, services
from assessments.plan_targets import SummaryLine, as_projects, street_summary
from assessments.results import assessment_results
from communities.models import Community, Street
from facilities.models import UpgradeProject
from portal.links import url_if
from service import instructors as instructor_rules

from . import html
from .charts import chart_columns, chart_figures, community_charts, street_charts
from .period import Period
from .rows import CommunityRow, IndicatorColumn, community_row, indicator_specs, is_paced

if TYPE_CHECKING:
    from communities.scope import User

T = TypeVar("T")

SORT_KEYS = ("name", "rank", "total")


@dataclass
class Dashboard:
    street: Street
    period: Period
    scheme_name: str
    columns: list[IndicatorColumn]
    cards: list[dict[str, Any]]
    rows: list[CommunityRow]
    targets: list[SummaryLine]
    alerts: list[alert_rules.Alert]
    charts: dict[str, str]
    community: Community | None = None
    sort: str = "rank"
    pace_columns: list[IndicatorColumn] = field(default_factory=list)

    @property
    def by_name(self) -> list[tuple[int, str]]:
        """(pk, name) of the communities shown, by name: what the other blocks of the page
        list, so that they need not read the street's communities again."""
        return sorted(((r.community_id, r.name) for r in self.rows), key=lambda c: c[1])

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

    @property
    def alert_blocks(self) -> list[tuple[str, int, SafeString]]:
        """(kind's label, how many, the list items) of each group of alerts."""
        with_community = self.community is None
        return [
            (items[0].kind_label, len(items), html.alert_items(items, with_community))
            for _kind, items in self.alert_groups
        ]


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


def sort_rows(
    rows: list[CommunityRow], sort: str, columns: list[IndicatorColumn], cards: list[str]
) -> str:
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


def _same_records(
    assessment: services.Assessment, ids: list[int], name: str, read: Callable[[], T]
) -> T:
    """A block read only from records that raise the street's data version (the upgrade
    projects, the cadres and their certificates: communities/versions.py registers them),
    kept under the key of the scores computed from the same records: never stale, and read
    once per data change instead of on every request (the cadres' query is the page's
    slowest). Without a key (not computed through the cache) it is read."""
    if not assessment.cache_key:
        return read()
    key = f"dashboard:{name}:{assessment.cache_key}:{','.join(map(str, ids))}"
    return cache.get_or_set(key, read, score_cache.TIMEOUT)


def build(
    street: Street,
    p: Period,
    user: User,
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
    specs = indicator_specs(snapshot)
    rows = [community_row(o, specs, p) for o in assessment.communities]
    if community is not None:
        rows = [r for r in rows if r.community_id == community.pk]
    ids = [r.community_id for r in rows]
    # The engine's own context: B5's deadlines come from the street's scheme for the year.
    ctx = services.metric_context(p.year, p.as_of, assessment.scheme, ids)

    columns = [
        IndicatorColumn(i["code"], i["name"], i["card"], Decimal(str(i["points"])))
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
    projects = _same_records(assessment, ids, "projects", lambda: alert_rules.planned_projects(ctx))
    certificates = _same_records(
        assessment, ids, "cadres", lambda: alert_rules.cadre_certificates(ctx, names)
    )
    found = alert_rules.collect(
        ctx=ctx,
        names=names,
        user=user,
        populations=populations,
        projects=projects,
        cadre_alerts=certificates,
    )
    found += instructor_alerts(ctx.community_ids, names, p.as_of)
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
        pace_columns=[c for c in columns if is_paced(specs[c.code])],
    )


def instructor_alerts(
    community_ids: list[int], names: dict[int, str], as_of: dt.date
) -> list[alert_rules.Alert]:
    """社会体育指导员: certificates lapsing or lapsed, and who may apply for promotion
    (service/instructors.py decides; this only words them)."""
    communities = Community.objects.filter(pk__in=community_ids)
    found = []
    link = url_if("service:instructors")
    for r in instructor_rules.alert_rows(communities, as_of):
        c = r.certificate
        subject = f"{c.person.name}（{c.level}，{c.number}）"
        if r.expiry != instructor_rules.VALID:
            lapsed = r.expiry == instructor_rules.EXPIRED
            found.append(
                alert_rules.Alert(
                    kind=alert_rules.INSTRUCTOR_EXPIRY,
                    severity=alert_rules.BAD if lapsed else alert_rules.WARN,
                    community_id=c.community_id,
                    community=names.get(c.community_id, c.community.name),
                    subject=subject,
                    message=f"证书{'已于' if lapsed else '将于'} {c.expires_on:%Y-%m-%d} 失效，请组织复训或换证。",
                    url=link,
                    day=c.expires_on,
                )
            )
        if r.due:
            found.append(
                alert_rules.Alert(
                    kind=alert_rules.INSTRUCTOR_PROMOTION,
                    severity=alert_rules.WARN,
                    community_id=c.community_id,
                    community=names.get(c.community_id, c.community.name),
                    subject=subject,
                    message=f"持证已满规定年限，近12个月服务 {r.services_past_year} 次，可申报晋升。",
                    url=link,
                    day=c.issued_on,
                )
            )
    return found
