"""Broken and random workbooks through the importer and the import_workbook command: a clear
Chinese error (never a traceback, never an English exception message) and nothing written."""

from __future__ import annotations

import datetime as dt
import io
import re
import time
import zipfile
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from reports.workbook.importer import WorkbookRejected, apply, parse_workbook
from reports.workbook.schema import SHEET_BY_NAME, SHEETS
from tests import factories as f
from tests.reports.workbook_util import (
    STREET,
    activity,
    at,
    build,
    cadre,
    community,
    facility,
    instructor,
    member,
    team,
    volunteer,
)

PROJECT_APPS = ("communities", "facilities", "teams", "activities", "assessments", "reports")
CJK = re.compile(r"[\u4e00-\u9fff]")
# What Python, Django, openpyxl or a database say when they fail, in English.
ENGLISH = re.compile(
    r"Traceback|Error\b|Exception|errno|invalid literal|could not|NoneType|object has no|"
    r"expected|must be|not supported|unsupported|violates|constraint|IntegrityError|"
    r"DataError|[A-Za-z]{3,} [a-z]{3,} [a-z]{3,}"
)


def row_counts() -> dict[str, int]:
    return {
        m._meta.label: m._default_manager.count()
        for m in apps.get_models()
        if m._meta.app_label in PROJECT_APPS
    }


def assert_clear_chinese(message: str, quoted: tuple[str, ...] = ()) -> None:
    """Chinese, and no English error text once the user's own cell values are removed."""
    for value in sorted(quoted, key=len, reverse=True):
        if value:
            message = message.replace(value, "")
    assert CJK.search(message), f"not Chinese: {message!r}"
    assert not ENGLISH.search(message), f"English error text: {message!r}"


def run_command(path: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_workbook", path, stdout=out, stderr=err)
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


# ------------------------------------------------------------------ the broken corpus


def _bytes(data: io.BytesIO) -> bytes:
    return data.getvalue()


def _edit_sheet_xml(content: bytes, edit: Callable[[str], str]) -> bytes:
    """The workbook with its first sheet's XML rewritten (e.g. a lying dimension)."""
    source, out = zipfile.ZipFile(io.BytesIO(content)), io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = edit(data.decode()).encode()
            target.writestr(item, data)
    return out.getvalue()


def _merged() -> bytes:
    book = load_workbook(build({"社区": [community(), community("二社区")]}))
    book["社区"].merge_cells("A2:B3")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _plain_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("说明.txt", "不是工作簿")
    return out.getvalue()


def million_row_claim(rows: list[dict[str, Any]]) -> bytes:
    good = _bytes(build({"社区": rows}))

    def claim(xml: str) -> str:
        edited, n = re.subn(r'<dimension ref="[^"]*"\s*/>', '<dimension ref="A1:Z1000000"/>', xml)
        assert n == 1
        return edited

    return _edit_sheet_xml(good, claim)


GOOD = _bytes(build({"社区": [community()], "设施": [facility()]}))
CORPUS: dict[str, bytes] = {
    "not_a_zip": "这不是工作簿，只是一段文字".encode(),
    "empty_file": b"",
    "truncated_zip": GOOD[: len(GOOD) // 2],
    "zip_without_workbook": _plain_zip(),
    "wrong_headers": _bytes(
        build(
            {"社区": [["测试街道", "一社区", 2014]]},
            headers={"社区": ["街道名称", "社区名", "年份"]},
        )
    ),
    "wrong_types": _bytes(
        build({"社区": [community(年度="二〇一四", 常住人口="很多", 户数=-5, 社区类型="别墅区")]})
    ),
    "wrong_dates": _bytes(
        build(
            {
                "社区": [community()],
                "设施": [facility(启用日期="2014-13-45")],
                "团队": [team(成立日期="昨天")],
            }
        )
    ),
    "formulas": _bytes(
        build(
            {
                "社区": [community(常住人口="=1+1")],
                "设施": [facility(设施名称='=HYPERLINK("http://x.test","点我")')],
                "团队": [team(负责人="=cmd|' /C calc'!A0")],
            }
        )
    ),
    "merged_cells": _merged(),
    "million_row_claim_with_bad_row": million_row_claim([community(年度="去年")]),
    "duplicate_keys": _bytes(
        build(
            {
                "社区": [community(), community(常住人口=6000)],
                "设施": [facility(), facility(状态="停用")],
            }
        )
    ),
    "unknown_community": _bytes(
        build(
            {
                "社区": [community()],
                "设施": [facility(社区="不存在的社区")],
                "活动": [activity(社区="也不存在的社区")],
            }
        )
    ),
    "missing_required_sheet": _bytes(build({"设施": [facility()]})),
    "numbers_out_of_range": _bytes(
        build(
            {"社区": [community(年度=99999, 常住人口=10**20)], "星级评定": [at(年度=2014, 星级=9)]}
        )
    ),
    "too_long_text": _bytes(
        build({"社区": [community()], "设施": [facility(设施名称="长" * 5000)]})
    ),
    "excel_errors_and_booleans": _bytes(
        build({"社区": [community(常住人口="#DIV/0!", 户数=True)]})
    ),
    "another_streets_partner": _bytes(
        build({"社区": [community()], "活动": [activity(文化走亲="是", 走亲社区="外街道社区")]})
    ),
}
HEADERS_ONLY = _bytes(build({"社区": []}))


@pytest.fixture
def existing(db) -> None:
    """Records the workbooks could touch: the same street and community names."""
    street = f.StreetFactory(name=STREET)
    one = f.CommunityFactory(street=street, name="一社区")
    f.FacilityFactory(community=one, name="文化活动室")
    f.StreetFactory(name="外街道")


@pytest.mark.parametrize("case", sorted(CORPUS))
def test_broken_workbooks_are_refused_in_chinese_and_write_nothing(existing, tmp_path, case):
    content = CORPUS[case]
    before = row_counts()
    parsed = parse_workbook(io.BytesIO(content))
    assert parsed.errors, f"{case}: no error"
    for error in parsed.errors:
        assert_clear_chinese(error.message)
        assert_clear_chinese(str(error))
    with pytest.raises(WorkbookRejected):
        apply(parsed)
    path = tmp_path / f"{case}.xlsx"
    path.write_bytes(content)
    code, out, err = run_command(str(path))
    assert code == 1 and out == ""
    assert err.strip(), case
    for line in err.splitlines():
        assert_clear_chinese(line)
    assert row_counts() == before


def test_a_million_row_claim_is_neither_trusted_nor_iterated(existing):
    """The declared dimension is ignored: two real rows are read as two rows, at once."""
    content = million_row_claim([community(), community("二社区")])
    assert b'ref="A1:Z1000000"' in zipfile.ZipFile(io.BytesIO(content)).read(
        "xl/worksheets/sheet1.xml"
    )
    started = time.monotonic()
    parsed = parse_workbook(io.BytesIO(content))
    assert time.monotonic() - started < 5
    assert parsed.ok, parsed.errors
    assert len(parsed.rows["社区"]) == 2


def test_a_sheet_with_only_headers_is_the_blank_template_and_writes_nothing(existing, tmp_path):
    """No data rows is not an error (tests/reports pins that the blank template imports with
    nothing to do): it says so in Chinese and writes nothing."""
    before = row_counts()
    parsed = parse_workbook(io.BytesIO(HEADERS_ONLY))
    assert parsed.ok and not any(parsed.rows.values())
    path = tmp_path / "headers.xlsx"
    path.write_bytes(HEADERS_ONLY)
    code, out, err = run_command(str(path))
    assert (code, err) == (0, "")
    assert out.strip() == "社区：新增 0，更新 0，未变 0"
    assert row_counts() == before


# ------------------------------------------------------------------ random rows

CHOICES = [
    "是",
    "否",
    "有",
    "无",
    "文化",
    "体育",
    "在用",
    "文化活动室",
    "三级",
    "大型",
    "已审核",
    "草稿",
    "普通",
    "回迁",
    "区级",
    "两委分管文体",
    "示范文化品牌",
    "男",
    "女",
    "计划",
]
NAMES = ["一社区", "二社区", "舞蹈队", "P001", "ZS-1", STREET, "外街道"]
cell = st.one_of(
    st.none(),
    st.just(""),
    st.text(st.characters(blacklist_categories=("Cs", "Cc", "Co")), max_size=30),
    st.sampled_from(CHOICES + NAMES),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.decimals(
        allow_nan=False,
        allow_infinity=False,
        places=3,
        min_value=Decimal(-(10**6)),
        max_value=Decimal(10**6),
    ),
    st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(2100, 1, 1)),
    st.sampled_from(["2014-05-01", "2014-02-30", "0000-00-00", "2014/05/01", "=1+1", "#N/A"]),
)


@st.composite
def workbooks(draw: Any) -> tuple[dict[str, list[list[Any]]], list[str]]:
    """One valid 社区 row and 1–3 random rows on one to three random sheets."""
    sheets: dict[str, list[list[Any]]] = {"社区": [[STREET, "一社区", 2014, 5000, 1800, "普通"]]}
    names = [s.name for s in SHEETS]
    for name in draw(st.lists(st.sampled_from(names), min_size=1, max_size=3, unique=True)):
        sheet = SHEET_BY_NAME[name]
        rows = draw(
            st.lists(
                st.lists(cell, min_size=len(sheet.columns), max_size=len(sheet.columns)),
                min_size=1,
                max_size=3,
            )
        )
        sheets.setdefault(sheet.name, []).extend(rows)
    texts = [str(v) for rows in sheets.values() for row in rows for v in row if v is not None]
    return sheets, texts


# A valid row of every sheet; the random workbooks below change one or two of its cells.
VALID = {
    "社区": community(),
    "设施": facility(),
    "提升工程": at(项目名称="活动室改造", 计划年度=2014, 状态="计划"),
    "团队": team(),
    "团队荣誉": at(团队名称="舞蹈队", 年度=2014, 荣誉称号="优秀团队"),
    "团队成员": member(),
    "志愿者": volunteer(),
    "社会体育指导员": instructor(),
    "文体干部": cadre(),
    "活动": activity(),
    "品牌": at(品牌名称="广场舞", 类别="示范文化品牌", 认定年度=2013),
    "星级评定": at(年度=2014, 星级=3),
    "星级目标": at(年度=2014, 目标星级=3),
    "获奖": at(年度=2014, 获奖名称="群文奖", 级别="区级"),
    "扣分": at(年度=2014, 事项="台账不全", 扣分=1),
}


def _as_lists(sheets: dict[str, list[dict[str, Any]]]) -> dict[str, list[list[Any]]]:
    return {
        n: [[r.get(h) for h in SHEET_BY_NAME[n].headers] for r in rows]
        for n, rows in sheets.items()
    }


def test_the_valid_rows_are_valid(existing):
    assert set(VALID) == {s.name for s in SHEETS}
    parsed = parse_workbook(build(_as_lists({n: [r] for n, r in VALID.items()})))
    assert parsed.ok, [str(e) for e in parsed.errors]


@st.composite
def nearly_valid_workbooks(draw: Any) -> tuple[dict[str, list[list[Any]]], list[str]]:
    """Every sheet's valid row, with one or two cells of one to three sheets replaced."""
    sheets = _as_lists({n: [r] for n, r in VALID.items()})
    for name in draw(st.lists(st.sampled_from(sorted(VALID)), min_size=1, max_size=3, unique=True)):
        row = sheets[name][0]
        # 街道 and 社区 (columns 0 and 1) are left alone: the random workbooks above cover them.
        for index in draw(st.lists(st.sampled_from(range(2, len(row))), min_size=1, max_size=2)):
            # Blanks half the time: optional columns accept them, required ones must not.
            row[index] = draw(st.one_of(st.none(), st.just("  "), cell, cell))
    texts = [str(v) for rows in sheets.values() for row in rows for v in row if v is not None]
    return sheets, texts


class Rollback(Exception):
    pass


FUZZ = settings(
    max_examples=80,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@FUZZ
@given(case=workbooks())
def test_random_rows_give_chinese_errors_or_import_cleanly(existing, case):
    check_random_workbook(case)


@FUZZ
@given(case=nearly_valid_workbooks())
def test_nearly_valid_rows_give_chinese_errors_or_import_cleanly(existing, case):
    check_random_workbook(case)


def check_random_workbook(case: tuple[dict[str, list[list[Any]]], list[str]]) -> None:
    """Errors: Chinese, and nothing written. No errors: it imports without a database error
    (and is rolled back, so every example starts from the same database)."""
    sheets, texts = case
    quoted = tuple(texts) + tuple(
        c.isoformat()
        for rows in sheets.values()
        for row in rows
        for c in row
        if isinstance(c, dt.date)
    )
    before = row_counts()
    parsed = parse_workbook(build(sheets))
    if parsed.errors:
        for error in parsed.errors:
            assert_clear_chinese(error.message, quoted)
        with pytest.raises(WorkbookRejected):
            apply(parsed)
        assert row_counts() == before
        return
    try:
        with transaction.atomic():
            try:
                apply(parsed)
            except WorkbookRejected as exc:  # a cross-sheet rule the database check found
                for error in exc.errors:
                    assert_clear_chinese(error.message, quoted)
            raise Rollback
    except Rollback:
        pass
    assert row_counts() == before
