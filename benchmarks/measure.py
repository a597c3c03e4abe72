"""Timing, query counting and peak memory for the benchmarks, and how figures are printed.

A benchmark reports; it never fails on a slow machine. Each figure is the median of several
runs; where a reference exists (raw SQL, WeasyPrint alone) it is measured in the same run so
that the ratio cancels out the machine's other load. Peak memory of the PDF and the workbook
is the peak resident size of a fresh worker process that does only that (Django, WeasyPrint,
openpyxl and their C libraries included); in-process (the SQLite smoke test) it is this
process's peak. The assessment's is tracemalloc's peak of Python allocations during one run.
"""

from __future__ import annotations

import importlib
import multiprocessing
import os
import resource
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext


@dataclass
class Figure:
    group: str
    name: str
    seconds: float | None = None  # median
    runs: int = 0
    queries: int | None = None
    peak_mb: float | None = None
    reference: str = ""
    reference_seconds: float | None = None
    limit_seconds: float | None = None
    limit_ratio: float | None = None
    limit_queries: int | None = None
    limit_mb: float | None = None
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float | None:
        if self.seconds is None or not self.reference_seconds:
            return None
        return self.seconds / self.reference_seconds

    @property
    def short_of(self) -> list[str]:
        """The limits this figure misses (empty: it meets all of them)."""
        out = []
        if self.limit_seconds is not None and self.seconds is not None:
            if self.seconds > self.limit_seconds:
                out.append(f"时间>{fmt_s(self.limit_seconds)}")
        if self.limit_ratio is not None and self.ratio is not None:
            if self.ratio > self.limit_ratio:
                out.append(f"倍数>{self.limit_ratio:g}")
        if self.limit_queries is not None and self.queries is not None:
            if self.queries > self.limit_queries:
                out.append(f"查询>{self.limit_queries}")
        if self.limit_mb is not None and self.peak_mb is not None:
            if self.peak_mb > self.limit_mb:
                out.append(f"内存>{self.limit_mb:g}MB")
        return out


def fmt_s(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    if seconds < 1:
        return f"{seconds * 1000:.0f} ms"
    return f"{seconds:.2f} s"


def median_seconds(fn: Callable[[], Any], runs: int, warmup: int = 0) -> float:
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def cold_and_warm(fn: Callable[[], Any], runs: int) -> tuple[float, float]:
    """Median seconds of `fn` with no computed score cached (cold: as every request was before
    the score cache, assessments/cache.py) and right after (warm: what a request costs while
    no write changed the data), alternated in the same run so that the machine's load weighs
    on both alike."""
    from django.core.cache import cache

    cold, warm = [], []
    for _ in range(max(runs, 1)):
        cache.clear()
        started = time.perf_counter()
        fn()
        cold.append(time.perf_counter() - started)
        started = time.perf_counter()
        fn()
        warm.append(time.perf_counter() - started)
    return statistics.median(cold), statistics.median(warm)


def count_queries(fn: Callable[[], Any]) -> tuple[int, Any]:
    with CaptureQueriesContext(connection) as captured:
        result = fn()
    return len(captured.captured_queries), result


def tracemalloc_peak_mb(fn: Callable[[], Any]) -> float:
    """Peak of Python allocations during fn (C libraries' own memory is not seen)."""
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def rss_peak_mb() -> float:
    """This process's peak resident size so far (Linux reports kilobytes)."""
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kb / 1024 if sys.platform != "darwin" else kb / 2**20


def _child(target: str, args: tuple) -> Any:
    """Runs in a fresh interpreter: set Django up, then call module:function(*args)."""
    import django

    django.setup()
    module, name = target.split(":")
    result = getattr(importlib.import_module(module), name)(*args)
    return result, rss_peak_mb()


def isolated(target: str, *args: Any) -> tuple[Any, float]:
    """Run `module:function(*args)` in a fresh process; (its result, its peak RSS in MB)."""
    ctx = multiprocessing.get_context("spawn")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    with ctx.Pool(1, maxtasksperchild=1) as pool:
        return pool.apply(_child, (target, args))


# --- printing --------------------------------------------------------------------------------


def table(figures: list[Figure]) -> str:
    head = ("组", "项目", "中位数", "次数", "查询", "峰值内存", "参照", "倍数", "对照目标")
    rows = [head]
    for f in figures:
        short = f.short_of
        has_limit = any(
            x is not None for x in (f.limit_seconds, f.limit_ratio, f.limit_queries, f.limit_mb)
        )
        verdict = ("未达标：" + "，".join(short)) if short else ("达标" if has_limit else "")
        rows.append(
            (
                f.group,
                f.name + (f"（{f.note}）" if f.note else ""),
                fmt_s(f.seconds),
                str(f.runs or ""),
                "" if f.queries is None else str(f.queries),
                "" if f.peak_mb is None else f"{f.peak_mb:.0f} MB",
                f"{f.reference} {fmt_s(f.reference_seconds)}" if f.reference else "",
                "" if f.ratio is None else f"{f.ratio:.2f}×",
                verdict,
            )
        )
    return (
        "\n".join("| " + " | ".join(r) + " |" for r in rows[:1])
        + "\n"
        + "|---" * len(head)
        + "|\n"
        + "\n".join("| " + " | ".join(r) + " |" for r in rows[1:])
    )
