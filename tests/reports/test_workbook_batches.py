"""Batch boundaries of the import's writes and the export's hand-off (issue 20).

The import writes new and changed records WRITE_CHUNK at a time and the export hands rows
to its writer thread BATCH at a time; the sizes are made tiny here so that a handful of rows
fall on, before and after a boundary.
"""

import datetime as dt
import io

import pytest

from activities.models import Activity, ActivityStatus, ActivityTransition
from reports.workbook import exporter
from reports.workbook import plan as plan_module
from reports.workbook.importer import Counts, WorkbookRejected, apply, parse_workbook
from teams.models import Team

from .workbook_util import activity, build, community, read_back, team

COMMUNITIES = [community(), community("二社区"), community("三社区")]


def activities(n: int, status: str = "已审核", partners: str = "二社区") -> list[dict]:
    return [
        activity(
            活动名称=f"活动{i:02d}",
            活动日期=dt.date(2014, 5, 1 + i),
            文化走亲="是",
            走亲社区=partners,
            审核状态=status,
        )
        for i in range(n)
    ]


def load(sheets: dict) -> dict[str, Counts]:
    parsed = parse_workbook(build(sheets))
    assert parsed.ok, [str(e) for e in parsed.errors]
    return apply(parsed)


def partner_names() -> dict[str, list[str]]:
    return {
        a.name: sorted(c.name for c in a.partners.all())
        for a in Activity.objects.prefetch_related("partners")
    }


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [2, 3, 4, 5])  # one chunk, one and a bit, two exactly, more
def test_new_and_changed_records_are_written_whole_across_write_chunks(monkeypatch, rows):
    monkeypatch.setattr(plan_module, "WRITE_CHUNK", 2)
    assert load({"社区": COMMUNITIES, "活动": activities(rows)})["活动"] == Counts(rows, 0, 0)
    assert partner_names() == {f"活动{i:02d}": ["二社区"] for i in range(rows)}
    assert Activity.history.filter(history_type="+").count() == rows

    sheets = {"社区": COMMUNITIES, "活动": activities(rows, "待审核", "二社区，三社区")}
    assert load(sheets)["活动"] == Counts(0, rows, 0)
    assert partner_names() == {f"活动{i:02d}": ["三社区", "二社区"] for i in range(rows)}
    assert set(Activity.objects.values_list("status", flat=True)) == {ActivityStatus.PENDING}
    assert ActivityTransition.objects.count() == rows
    assert Activity.history.filter(history_type="~").count() == rows
    assert load(sheets)["活动"] == Counts(0, 0, rows)  # the same again: nothing written


@pytest.mark.django_db
def test_teams_created_in_one_chunk_are_found_by_rows_of_a_later_sheet(monkeypatch):
    monkeypatch.setattr(plan_module, "WRITE_CHUNK", 2)
    teams = [team(团队名称=f"队{i}") for i in range(3)]
    honours = [
        {
            "街道": t["街道"],
            "社区": t["社区"],
            "团队名称": t["团队名称"],
            "年度": 2014,
            "荣誉称号": "先进",
        }
        for t in teams
    ]
    counts = load({"社区": COMMUNITIES, "团队": teams, "团队荣誉": honours})
    assert (counts["团队"], counts["团队荣誉"]) == (Counts(3, 0, 0), Counts(3, 0, 0))
    assert sorted(Team.objects.values_list("name", flat=True)) == ["队0", "队1", "队2"]


@pytest.mark.django_db
def test_bad_rows_on_both_sides_of_a_chunk_boundary_are_all_reported_and_nothing_written(
    monkeypatch,
):
    monkeypatch.setattr(plan_module, "WRITE_CHUNK", 2)
    rows = activities(4)
    rows[1]["活动日期"] = "2014-13-01"  # the last row of the first chunk (Excel row 3)
    rows[2]["规模"] = "巨型"  # the first row of the second chunk (Excel row 4)
    parsed = parse_workbook(build({"社区": COMMUNITIES, "活动": rows}))
    assert [(e.sheet, e.row, e.column) for e in parsed.errors] == [
        ("活动", 3, "活动日期"),
        ("活动", 4, "规模"),
    ]
    with pytest.raises(WorkbookRejected):
        apply(parsed)
    assert not Activity.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("rows", [1, 2, 3, 4])
def test_the_export_is_the_same_whatever_the_hand_off_batch(monkeypatch, rows):
    load({"社区": COMMUNITIES, "活动": activities(rows)})
    whole = io.BytesIO()
    exporter.export_workbook(whole)
    monkeypatch.setattr(exporter, "BATCH", 2)
    batched = io.BytesIO()
    exporter.export_workbook(batched)
    assert read_back(batched.getvalue()) == read_back(whole.getvalue())
    assert len(read_back(batched.getvalue())["活动"]) == rows + 1


@pytest.mark.django_db
def test_an_error_while_writing_a_sheet_reaches_the_caller(monkeypatch):
    load({"社区": COMMUNITIES, "活动": activities(3)})
    monkeypatch.setattr(exporter, "BATCH", 2)

    def broken(text):
        raise ValueError("坏的选项")

    monkeypatch.setattr(exporter, "_display", lambda column, as_bytes: broken)
    with pytest.raises(ValueError, match="坏的选项"):
        exporter.export_workbook(io.BytesIO())
