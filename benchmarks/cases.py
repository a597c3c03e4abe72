"""The benchmarks: assessing the city, the pages, the annual PDF, the workbook.

Each function returns Figures (measure.py). The limits are issue 20's where it set one
(assessing 3,000 communities ≤1.2× the raw SQL; the street dashboard ≤100 ms median; exporting
116k rows ≤2 s; importing 100,000 rows ≤20 s and ≤300 MB), else the first performance issue's
(assessing ≤10 s; pages ≤150 ms median and ≤12 queries; the PDF ≤1.5× WeasyPrint alone and
≤500 MB).
"""

from __future__ import annotations

import contextlib
import io
import os
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from typing import Any

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Value
from django.db.models.functions import Concat
from django.test import Client
from django.urls import reverse

from assessments import services, statements
from assessments.models import Run
from communities.models import Community, Street
from reports import annual
from reports.pdf import SANS, SERIF
from reports.workbook import exporter, importer
from teams.models import Certificate

from . import city, floor
from .measure import (
    Figure,
    cold_and_warm,
    count_queries,
    fmt_s,
    isolated,
    median_seconds,
    rss_peak_mb,
    tracemalloc_peak_mb,
)

# --- assessing the city ----------------------------------------------------------------------


def assess(scale: city.Scale) -> list[Figure]:
    streets = city.streets(scale.size.streets)
    year = scale.year
    n = len(streets) * scale.size.communities

    # Both sides warm once (caches of the database and of Python), then alternate runs. The
    # engine computes every time: the score cache (assessments/cache.py) is emptied first,
    # else every run after the first would read the stored result.
    def engine() -> list[services.Assessment]:
        cache.clear()
        return services.compute_streets(streets, year)

    raw = lambda: floor.floor_counts(streets, year)  # noqa: E731
    assessments = engine()
    counts = raw()
    wrong = floor.disagreements(counts, assessments)
    statement_times: list[float] = []
    with statement_timer(statement_times):
        engine_s = median_seconds(engine, scale.runs)
    raw_s = median_seconds(raw, scale.runs)
    # The same hand-written SQL with JIT compilation off, as the engine runs its statement
    # (assessments/statements.py): on PostgreSQL the default JIT spends most of the raw SQL's
    # time compiling its plan, so this is the floor that compares like with like.
    raw_no_jit = lambda: floor.floor_counts(streets, year, jit=False)  # noqa: E731
    raw_no_jit_s = (
        median_seconds(raw_no_jit, scale.runs) if connection.vendor == "postgresql" else None
    )
    statement_s = statistics.median(statement_times) if statement_times else None
    figures = [
        Figure(
            "考核",
            f"全市 {len(streets)} 个街道 {n} 个社区，{year} 年",
            engine_s,
            scale.runs,
            queries=count_queries(engine)[0],
            peak_mb=tracemalloc_peak_mb(engine),
            reference="手写 SQL",
            reference_seconds=raw_s,
            limit_seconds=10.0 if n >= 3000 else None,
            limit_ratio=1.2,
            note="SQL 与引擎计数一致" if not wrong else f"SQL 与引擎有 {len(wrong)} 处不一致",
            extra={"disagreements": wrong[:10]},
        )
    ]
    if raw_no_jit_s is not None:
        figures.append(
            Figure(
                "考核",
                "同上，对照关闭 JIT 的手写 SQL",
                engine_s,
                scale.runs,
                reference="手写 SQL（关闭 JIT）",
                reference_seconds=raw_no_jit_s,
                limit_ratio=1.2,
                note="引擎的统计语句同样关闭 JIT",
            )
        )
    if statement_s is not None:
        # Where the engine's time goes: its one tally statement (run by the database) and
        # the rest (Python scoring the rows, and two small queries).
        figures += [
            Figure(
                "考核",
                "其中：引擎的统计语句（数据库执行，含取回）",
                statement_s,
                scale.runs,
                reference="手写 SQL",
                reference_seconds=raw_s,
                note="引擎下限：Python 为零时的倍数",
            ),
            Figure(
                "考核",
                "其中：语句之外（Python 计分及两条小查询）",
                engine_s - statement_s,
                scale.runs,
                reference="手写 SQL",
                reference_seconds=raw_s,
            ),
        ]
    for k in scale.steps:
        some = city.streets(k)
        cache.clear()  # counted computing, not reading the score cache
        queries, _ = count_queries(lambda some=some: services.compute_streets(some, year))
        figures.append(
            Figure(
                "考核",
                f"查询数：{k * scale.size.communities} 个社区",
                queries=queries,
                note=f"{k} 个街道",
            )
        )
    return figures


@contextlib.contextmanager
def statement_timer(into: list[float]) -> Iterator[None]:
    """The seconds of each of the engine's tally statements run inside the block
    (assessments.statements.values_rows: executing and fetching), appended to `into`. An
    assessment runs one statement per group of streets with the same B5 deadlines: one for
    the synthetic city, whose streets all have the default scheme."""
    original = statements.values_rows
    spent: list[float] = []

    def timed(key: Any, build: Callable[[], Any]) -> Any:
        started = time.perf_counter()
        try:
            return original(key, build)
        finally:
            spent.append(time.perf_counter() - started)

    statements.values_rows = timed
    try:
        yield
    finally:
        statements.values_rows = original
    into.extend(spent)


# --- pages -----------------------------------------------------------------------------------


# (label, URL name) of every list page; each is measured for street staff and for the
# city's superuser.
LISTS = (
    ("设施", "facilities:list"),
    ("提升工程", "facilities:project_list"),
    ("团队", "teams:list"),
    ("人员", "teams:person_list"),
    ("志愿者", "teams:volunteer_list"),
    ("指导员", "teams:certificate_list"),
    ("文体干部", "teams:cadre_list"),
    ("活动", "activities:list"),
    ("待审核", "activities:queue"),
    ("品牌", "activities:brand_list"),
    ("配送", "delivery:order_list"),
)


# The lists of the month-end mix that a community cadre reads (loadtest/locustfile.py).
CADRE_LISTS = {"facilities:list", "teams:list", "teams:person_list", "activities:list"}

STREET_DASHBOARD = "看板·街道"


def _pages(cast: city.Cast, year: int) -> list[tuple[str, str, Any]]:
    """(name, url, user) of every list page, the dashboards, the ranking and a scorecard."""
    result = cast.run.results.filter(error="").order_by("rank", "pk").first()
    q = f"?year={year}"
    pages = [(f"列表·{label}（街道工作人员）", reverse(name), cast.staff) for label, name in LISTS]
    pages += [(f"列表·{label}（全市超级用户）", reverse(name), cast.root) for label, name in LISTS]
    # A community's cadre reads the same pages narrowed to one community: a query that is
    # cheap for a street can scan the whole city for one community (the persons once did).
    pages += [
        (f"列表·{label}（社区管理员）", reverse(name), cast.cadre)
        for label, name in LISTS
        if name in CADRE_LISTS
    ]
    pages += [
        ("首页（街道工作人员）", reverse("home") + q, cast.staff),
        ("首页（社区管理员）", reverse("home") + q, cast.cadre),
    ]
    pages += [
        (STREET_DASHBOARD, reverse("dashboard:index") + q, cast.staff),
        ("看板·社区", reverse("dashboard:community", args=[cast.community.pk]) + q, cast.staff),
        (
            "看板·社区（社区管理员）",
            reverse("dashboard:community", args=[cast.community.pk]) + q,
            cast.cadre,
        ),
        ("报送情况（社区×月份）", reverse("yearcycle:board") + q, cast.staff),
        ("排名（考核结果）", reverse("assessments:run", args=[cast.run.pk]), cast.staff),
        ("记分卡", reverse("assessments:result", args=[result.pk]), cast.staff),
    ]
    return pages


def pages(scale: city.Scale, cast: city.Cast) -> list[Figure]:
    figures = []
    clients: dict[int, Client] = {}
    for name, url, user in _pages(cast, scale.year):
        client = clients.get(user.pk)
        if client is None:
            # A host the settings allow, so that the benchmark needs no test environment.
            client = clients[user.pk] = Client(SERVER_NAME="localhost")
            client.force_login(user)

        def get(client: Client = client, url: str = url) -> None:
            response = client.get(url)
            if response.status_code != 200:
                raise RuntimeError(f"{url}: HTTP {response.status_code}")

        # Cold (no computed score cached: it scores the street) and warm requests,
        # alternated; the figure is the warm median, the cold one is in the note; the
        # queries are a warm request's (every request while no write changed the data).
        cache.clear()
        get()  # templates compiled, the database's caches filled
        cold, warm = cold_and_warm(get, scale.runs)
        queries, _ = count_queries(get)
        figures.append(
            Figure(
                "页面",
                name,
                warm,
                scale.runs,
                queries=queries,
                limit_seconds=0.100 if name == STREET_DASHBOARD else 0.150,
                limit_queries=12,
                note=f"无缓存 {fmt_s(cold)}，{cold / warm:.1f}×",
                extra={"cold_seconds": cold},
            )
        )
    return figures


# --- the annual PDF --------------------------------------------------------------------------


def against_weasyprint(
    template: str, context: dict[str, Any], full: Callable[[], bytes], runs: int
) -> dict[str, float]:
    """Median seconds of `full` (the whole document, reading included) and of WeasyPrint alone
    on the same HTML (the template rendered with `context`) and stylesheet."""
    from django.template.loader import render_to_string
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    from reports.pdf import _url_fetcher

    html = render_to_string(template, {**context, "serif": SERIF, "sans": SANS})
    css = render_to_string("reports/pdf/base.css", {"serif": SERIF, "sans": SANS})

    def weasy_alone() -> bytes:
        fonts = FontConfiguration()
        base = CSS(string=css, font_config=fonts)
        return HTML(string=html, url_fetcher=_url_fetcher(), base_url=".").write_pdf(
            stylesheets=[base], font_config=fonts
        )

    if runs > 1:  # warm: fonts loaded once per process, as in a worker
        full()
        weasy_alone()
    times: dict[str, list[float]] = {"full": [], "weasy": []}
    size = 0
    for _ in range(runs):  # alternated, so that both see the same load
        for key, fn in (("full", full), ("weasy", weasy_alone)):
            started = time.perf_counter()
            size = len(fn())
            times[key].append(time.perf_counter() - started)
    times_sorted = {k: sorted(v)[len(v) // 2] for k, v in times.items()}
    return {**times_sorted, "bytes": size, "html_kb": len(html.encode()) / 1024}


def pdf_times(run_id: int, runs: int) -> dict[str, float]:
    """annual_report_pdf of the run, and WeasyPrint alone on the same HTML and stylesheet."""
    run = Run.objects.select_related("street").get(pk=run_id)

    def full() -> bytes:
        return annual.annual_report_pdf(run=Run.objects.select_related("street").get(pk=run_id))

    return against_weasyprint(
        "reports/pdf/annual.html", {"report": annual.build_from_run(run)}, full, runs
    )


def pdf(scale: city.Scale, cast: city.Cast, isolate: bool) -> list[Figure]:
    runs = min(scale.runs, 3)
    if isolate:
        out, peak = isolated("benchmarks.cases:pdf_times", cast.run.pk, runs)
    else:  # the peak of this whole process (tracemalloc would slow WeasyPrint tenfold)
        out, peak = pdf_times(cast.run.pk, runs), rss_peak_mb()
    communities = cast.run.results.count()
    return [
        Figure(
            "PDF",
            f"年度考核报告，{communities} 个社区",
            out["full"],
            runs,
            peak_mb=peak,
            reference="WeasyPrint 单独渲染同一 HTML",
            reference_seconds=out["weasy"],
            limit_ratio=1.5,
            limit_mb=500,
            note=f"{out['bytes'] / 1024:.0f} KB，HTML {out['html_kb']:.0f} KB",
        )
    ]


# --- the workbook ----------------------------------------------------------------------------


def _rows_of(street: Street) -> int:
    total = 0
    for model, path, _fields, _order in exporter.SOURCES.values():
        total += model._default_manager.filter(**{f"{path}__street": street}).count()
    return total


def workbook_streets(target_rows: int) -> tuple[list[int], int]:
    """The fewest synthetic streets whose records make at least `target_rows` rows."""
    chosen, rows = [], 0
    for street in city.streets(10**6):
        chosen.append(street.pk)
        rows += _rows_of(street)
        if rows >= target_rows:
            break
    return chosen, rows


class _Rollback(Exception):
    pass


def _as_new(street_ids: list[int], fn: Callable[[], Any]) -> Any:
    """Run fn with the exported streets renamed away (and their certificate numbers, the one
    city-wide key), so that importing the workbook creates every record; then roll back."""
    result = None
    try:
        with transaction.atomic():
            Street.objects.filter(pk__in=street_ids).update(name=Concat("name", Value("·旧")))
            Certificate.objects.filter(community__street__in=street_ids).update(
                number=Concat(Value("旧"), "number")
            )
            result = fn()
            raise _Rollback
    except _Rollback:
        pass
    return result


def _import(path: str) -> dict[str, Any]:
    parsed = importer.parse_workbook(path)
    if not parsed.ok:
        raise RuntimeError("；".join(str(e) for e in parsed.errors[:5]))
    counts = importer.apply(parsed)
    return {k: tuple(v) for k, v in counts.items()}


def workbook_times(street_ids: list[int], runs: int, mode: str) -> dict[str, Any]:
    """Median seconds of exporting the streets, or of importing that export (mode
    "new": every record created; "same": the database already holds it, nothing written)."""
    communities = list(Community.objects.filter(street__in=street_ids).values_list("pk", flat=True))
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "benchmark.xlsx")
        exporter.export_workbook(path, communities)
        size = os.path.getsize(path)
        if mode == "export":
            seconds = median_seconds(
                lambda: exporter.export_workbook(io.BytesIO(), communities), runs
            )
            # Memory flat in rows: tracemalloc's peak exporting the first street alone and
            # all of them, each to a file (the archive is on disk, not in memory).
            first = list(
                Community.objects.filter(street=street_ids[0]).values_list("pk", flat=True)
            )
            traced = {}
            for label, scope in (("one", first), ("all", communities)):
                traced[label] = tracemalloc_peak_mb(
                    lambda scope=scope: exporter.export_workbook(
                        os.path.join(folder, "traced.xlsx"), scope
                    )
                )
                traced[f"{label}_rows"] = _rows_in(scope)
            return {"seconds": seconds, "bytes": size, "traced": traced}
        times, counts = [], {}
        for _ in range(runs):
            if mode == "new":
                seconds, counts = _as_new(street_ids, lambda: _timed(_import, path))
            else:
                seconds, counts = _timed(_import, path)
            times.append(seconds)
        return {"seconds": sorted(times)[len(times) // 2], "bytes": size, "counts": counts}


def _rows_in(communities: list[int]) -> int:
    total = 0
    for model, path, _fields, _order in exporter.SOURCES.values():
        total += model._default_manager.filter(**{f"{path}__in": communities}).count()
    return total


def _timed(fn: Callable[..., Any], *args: Any) -> tuple[float, Any]:
    started = time.perf_counter()
    result = fn(*args)
    return time.perf_counter() - started, result


WORKBOOK_CASES = {
    "export": ("导出", {"limit_seconds": 2.0}),
    "new": ("导入（全部新建）", {"limit_seconds": 20.0, "limit_mb": 300}),
    "same": ("导入（重复导入，无变化）", {"limit_seconds": 20.0, "limit_mb": 300}),
}


def workbook(scale: city.Scale, isolate: bool, cases: list[str] | None = None) -> list[Figure]:
    """The workbook's cases (WORKBOOK_CASES, in that order; `cases`: only those)."""
    street_ids, rows = workbook_streets(scale.workbook_rows)
    runs = min(scale.runs, 3)
    figures = []
    for mode, (label, limits) in WORKBOOK_CASES.items():
        if cases is not None and mode not in cases:
            continue
        if isolate:
            out, peak = isolated("benchmarks.cases:workbook_times", street_ids, runs, mode)
        else:  # the peak of this whole process
            out, peak = workbook_times(street_ids, runs, mode), rss_peak_mb()
        created = sum(c[0] for c in out.get("counts", {}).values())
        note = f"{len(street_ids)} 个街道，{rows:,} 行，{out['bytes'] / 2**20:.1f} MB"
        if mode == "new":
            note += f"，新建 {created:,} 条"
        figures.append(
            Figure("工作簿", label, out["seconds"], runs, peak_mb=peak, note=note, **limits)
        )
        if "traced" in out:
            t = out["traced"]
            figures.append(
                Figure(
                    "工作簿",
                    "导出内存（tracemalloc 峰值，Python 分配）",
                    peak_mb=t["all"],
                    note=(
                        f"1 个街道 {t['one_rows']:,} 行 {t['one']:.1f} MB；"
                        f"{len(street_ids)} 个街道 {t['all_rows']:,} 行 {t['all']:.1f} MB"
                    ),
                    extra={"traced": t},
                )
            )
    return figures
