"""The benchmarks (benchmarks/) import and run at a tiny scale on SQLite, so that they
cannot rot between the runs against PostgreSQL that measure them (benchmarks/run.sh)."""

from dataclasses import replace

import pytest

from benchmarks import city, suite
from benchmarks.measure import table


@pytest.mark.django_db
def test_every_benchmark_runs_at_a_tiny_scale(capsys):
    scale = replace(city.SCALES["tiny"], runs=1)
    figures = suite.run(scale, list(suite.KINDS), progress=lambda _m: None, isolate=False)
    by_group = {}
    for f in figures:
        by_group.setdefault(f.group, []).append(f)
    assert set(by_group) == {"考核", "页面", "PDF", "工作簿"}

    whole, *steps = by_group["考核"]
    # The hand-written SQL counts what the engine counts, and the engine's queries do not
    # grow from one street to two.
    assert whole.extra["disagreements"] == [] and whole.ratio is not None
    assert len({s.queries for s in steps}) == 1

    pages = by_group["页面"]
    assert len(pages) == 27 and all(p.queries and p.seconds for p in pages)
    (pdf,) = by_group["PDF"]
    assert pdf.ratio is not None and pdf.peak_mb > 0
    export, created, again = by_group["工作簿"]
    assert "新建" in created.note and export.seconds and again.seconds
    assert "| 考核 |" in table(figures)
