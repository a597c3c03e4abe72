"""The benchmarks (benchmarks/) import and run at a tiny scale on SQLite, so that they
cannot rot between the runs against PostgreSQL that measure them (benchmarks/run.sh).

Every expected number below is derived from the tiny scale (benchmarks/city.py) or from the
benchmark's own page list, never copied from a run."""

import re
from dataclasses import replace

import pytest
from django.db import connection

from benchmarks import board, cases, city, suite
from benchmarks.measure import table
from communities.models import Community, District

# Each list page is measured twice: for a street's staff and for the city's superuser.
ROLES_PER_LIST = 2
# Besides the lists: the street dashboard, one community's dashboard (for the street's staff
# and for the community's cadre), the ranking of a run, one scorecard and the reporting board,
# and the home page (staff, cadre).
OTHER_PAGES = 8


@pytest.mark.django_db
def test_every_benchmark_runs_at_a_tiny_scale(capsys):
    scale = replace(city.SCALES["tiny"], runs=1)
    size = scale.size
    figures = suite.run(scale, list(suite.KINDS), progress=lambda _m: None, isolate=False)
    by_group = {}
    for f in figures:
        by_group.setdefault(f.group, []).append(f)
    assert set(by_group) == {"考核", "页面", "PDF", "工作簿", "区县", "报送"}

    whole, *rest = by_group["考核"]
    # On PostgreSQL the same run is also held against the raw SQL with JIT off (the engine's
    # statement runs without it); SQLite has no JIT, so no such figure there.
    like_for_like = [f for f in rest if f.reference == "手写 SQL（关闭 JIT）"]
    assert len(like_for_like) == (connection.vendor == "postgresql")
    assert all(f.seconds == whole.seconds and f.reference_seconds for f in like_for_like)
    statement, outside, *steps = [f for f in rest if f not in like_for_like]
    assert whole.name == (
        f"全市 {size.streets} 个街道 {size.streets * size.communities} 个社区，{scale.year} 年"
    )
    # The hand-written SQL counts what the engine counts, and the engine's queries do not
    # grow from one street to two (one figure per step of the scale, so two sizes compared).
    assert whole.extra["disagreements"] == [] and whole.ratio is not None
    assert [s.note for s in steps] == [f"{k} 个街道" for k in scale.steps]
    # Where the engine's time goes: its tally statement, timed inside the engine's runs, and
    # the rest; both against the same raw SQL.
    assert statement.name.startswith("其中：引擎的统计语句") and 0 < statement.seconds
    assert statement.seconds <= whole.seconds  # each statement runs inside its engine run
    assert outside.name.startswith("其中：语句之外")
    assert statement.reference_seconds == outside.reference_seconds == whole.reference_seconds
    assert len(scale.steps) >= 2 and len({s.queries for s in steps}) == 1

    pages = by_group["页面"]
    assert cases.CADRE_LISTS <= {name for _, name in cases.LISTS}
    assert len(pages) == (len(cases.LISTS) * ROLES_PER_LIST + len(cases.CADRE_LISTS) + OTHER_PAGES)
    assert all(p.queries and p.seconds for p in pages)
    (pdf,) = by_group["PDF"]
    # The report of the stored run of the first street: one row per community of it.
    assert pdf.name == f"年度考核报告，{size.communities} 个社区"
    assert pdf.ratio is not None and pdf.peak_mb > 0
    export, traced, created, again = by_group["工作簿"]
    # The export's memory is traced on two sizes: the first street and every exported one.
    t = traced.extra["traced"]
    assert 0 < t["one_rows"] <= t["all_rows"] and t["one"] > 0 and t["all"] > 0
    # With the exported streets renamed away every workbook row is a new record (people and
    # their certificates add more), so at least as many records are created as rows read.
    rows = int(re.search(r"([\d,]+) 行", created.note)[1].replace(",", ""))
    new = int(re.search(r"新建 ([\d,]+) 条", created.note)[1].replace(",", ""))
    assert rows >= scale.workbook_rows and new >= rows
    assert "新建" not in again.note and export.seconds and again.seconds
    assert "| 考核 |" in table(figures)
    # Issue 18: the district pages for a district user (dashboard, two community rankings,
    # street ranking, reporting board), the same queries with the district cut to fewer
    # streets, and the white paper of the first district (all its communities).
    *district_pages, paper = by_group["区县"]
    assert len(district_pages) == 5 and all(p.seconds for p in district_pages)
    for p in district_pages:
        assert p.extra["fewer_streets"] < size.streets
        assert p.queries == p.extra["queries_fewer_streets"], p.note
    assert paper.name == f"区县白皮书，{size.streets * size.communities} 个社区"
    assert paper.ratio is not None
    # The generator's grouping into districts: 合成01区 … in street-name order, of the
    # scale's size (here one district of both streets), idempotent; regrouped into districts
    # of one street every street moves, and back.
    names = [s.name for s in city.streets(size.streets)]
    districts = city.ensure_districts(scale)
    assert len(districts) == scale.districts == 1
    assert _grouping() == {"合成01区": names}
    assert [d.pk for d in city.ensure_districts(scale)] == [d.pk for d in districts]
    assert len(city.ensure_districts(scale, per_district=1)) == size.streets
    assert _grouping() == {f"合成{n + 1:02d}区": [name] for n, name in enumerate(names)}
    city.ensure_districts(scale)
    assert _grouping() == {"合成01区": names, "合成02区": []}
    # Issue 15: the reporting board of the largest street over a year of submissions (of
    # every 20 community-months 17 are sent), its queries again with fewer communities.
    (street_board,) = by_group["报送"]
    assert street_board.extra["communities"] == size.communities
    ids = Community.objects.filter(street=board.largest_street()).values_list("pk", flat=True)
    sent = sum(board.state(pk, m) is not None for pk in ids for m in range(1, 13))
    assert 0 < sent < size.communities * 12
    assert f"{sent} 条报送" in street_board.note
    assert street_board.queries == street_board.extra["queries_fewer"] and street_board.seconds


def _grouping() -> dict[str, list[str]]:
    """{synthetic district: its streets' names}."""
    return {
        d.name: sorted(d.streets.values_list("name", flat=True))
        for d in District.objects.filter(name__regex=r"^合成[0-9]+区$").order_by("name")
    }
