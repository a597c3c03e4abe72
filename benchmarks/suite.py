"""Run the chosen benchmarks at a scale and collect their figures (used by __main__ and by
the smoke test, tests/test_benchmarks_smoke.py)."""

from __future__ import annotations

import os
import time
from collections.abc import Callable

from django.db import connection

from . import board, city
from . import cases as cases_module
from . import district as district_cases
from .measure import Figure

KINDS = ("assess", "pages", "pdf", "workbook", "district", "board")


def load() -> str:
    """The machine's load average (other engineers' tests run on it too)."""
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


def run(
    scale: city.Scale,
    only: list[str],
    progress: Callable[[str], None] = print,
    isolate: bool | None = None,
    cases: list[str] | None = None,
) -> list[Figure]:
    """The figures of the benchmarks `only`. isolate: measure the PDF and the workbook in
    fresh processes (the default, except on an in-memory SQLite database, which a child
    cannot see; a test passes False, as its data is not committed). cases: only these of the
    workbook's (cases.WORKBOOK_CASES; None: all)."""
    unknown = set(only) - set(KINDS)
    if unknown:
        raise ValueError(f"未知的基准：{'、'.join(sorted(unknown))}")
    unknown = set(cases or ()) - set(cases_module.WORKBOOK_CASES)
    if unknown:
        raise ValueError(f"未知的工作簿情形：{'、'.join(sorted(unknown))}")
    generated = city.ensure_city(scale, progress=lambda m: progress("  " + m))
    if generated is not None:
        size = scale.size
        progress(
            f"生成合成数据：{size.streets} 街道 × {size.communities} 社区 × {size.years} 年，"
            f"{generated:.0f} 秒"
        )
    cast = city.ensure_cast(scale)
    if isolate is None:
        isolate = connection.vendor != "sqlite"
    figures: list[Figure] = []
    for kind in only:
        started = time.perf_counter()
        if kind == "assess":
            figures += cases_module.assess(scale)
        elif kind == "pages":
            figures += cases_module.pages(scale, cast)
        elif kind == "pdf":
            figures += cases_module.pdf(scale, cast, isolate)
        elif kind == "district":
            figures += district_cases.cases(scale, isolate)
        elif kind == "board":
            figures += board.cases(scale)
        else:
            figures += cases_module.workbook(scale, isolate, cases)
        progress(f"  {kind} 完成（{time.perf_counter() - started:.0f} 秒，负载 {load()}）")
    return figures
