"""The streaming .xlsx writer (portal/xlsx.py): what openpyxl reads back from it,
both ways the portal reads workbooks (read-only for imports, and the full reader)."""

import datetime as dt
import io
import zipfile
from decimal import Decimal
from enum import IntEnum

import pytest
from django.utils.safestring import SafeString
from openpyxl import load_workbook

from portal.xlsx import StreamingWorkbook, column_letter

ROWS = [
    ["文本", 12, Decimal("200.50"), 1.25, True, False, dt.date(2014, 3, 1), None, ""],
    ["=SUM(A1:A2)", -3, Decimal("0"), 0.0, None, None, dt.date(1900, 3, 1), "#N/A", "  前后空格 "],
    [
        "<b>&\"'</b>",
        10**12,
        Decimal("-1.5"),
        1e-7,
        None,
        None,
        dt.datetime(2014, 3, 1, 8, 30),
        "a\x00b\x1fc",
        "换行\n第二行",
    ],
]


def written(**sheets) -> bytes:
    out = io.BytesIO()
    with StreamingWorkbook(out) as book:
        for name, (headers, rows) in sheets.items():
            sheet = book.add_sheet(name, headers)
            for row in rows:
                sheet.append(row)
    return out.getvalue()


@pytest.mark.parametrize("read_only", [True, False])
def test_openpyxl_reads_back_every_kind_of_value(read_only):
    data = written(
        活动=(["名称", "整数", "小数", "浮点", "是", "否", "日期", "空", "空文本"], ROWS)
    )
    book = load_workbook(io.BytesIO(data), read_only=read_only)
    assert book.sheetnames == ["活动"]
    rows = [list(r) for r in book["活动"].iter_rows(values_only=True)]
    assert rows[0] == ["名称", "整数", "小数", "浮点", "是", "否", "日期", "空", "空文本"]
    first, second, third = (r + [None] * (9 - len(r)) for r in rows[1:])
    assert first == ["文本", 12, 200.5, 1.25, True, False, dt.datetime(2014, 3, 1), None, None]
    # text that looks like a formula or an error value stays text
    assert second[0] == "=SUM(A1:A2)" and second[7] == "#N/A"
    assert second[8] == "  前后空格 "  # spaces kept
    assert second[6] == dt.datetime(1900, 3, 1)
    assert third[0] == "<b>&\"'</b>"
    assert third[1] == 10**12 and third[2] == -1.5 and third[3] == 1e-7
    assert third[6] == dt.datetime(2014, 3, 1, 8, 30)
    assert third[7] == "abc"  # characters XML cannot hold are dropped, as openpyxl does
    assert third[8] == "换行\n第二行"


def test_header_is_bold_and_frozen_and_dates_are_formatted():
    book = load_workbook(io.BytesIO(written(甲=(["日期"], [[dt.date(2015, 1, 2)]]))))
    sheet = book["甲"]
    assert sheet["A1"].font.b is True
    assert sheet.freeze_panes == "A2"
    assert sheet["A2"].number_format == "yyyy-mm-dd"
    assert sheet["A2"].is_date


def test_sheets_in_order_and_an_empty_sheet_has_its_header():
    data = written(甲=(["a", "b"], []), 乙=(["c"], [[1], [2]]))
    book = load_workbook(io.BytesIO(data), read_only=True)
    assert book.sheetnames == ["甲", "乙"]
    assert [list(r) for r in book["甲"].iter_rows(values_only=True)] == [["a", "b"]]
    assert [r[0] for r in book["乙"].iter_rows(values_only=True)] == ["c", 1, 2]
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert "xl/worksheets/sheet2.xml" in names and "[Content_Types].xml" in names


def test_many_rows_stream_in_chunks():
    rows = [[f"行{i}", i, dt.date(2015, 1, 1) + dt.timedelta(days=i % 365)] for i in range(5000)]
    book = load_workbook(io.BytesIO(written(大=(["名称", "序号", "日期"], rows))), read_only=True)
    back = list(book["大"].iter_rows(min_row=2, values_only=True))
    assert len(back) == 5000
    assert back[4999] == ("行4999", 4999, dt.datetime(2015, 1, 1) + dt.timedelta(days=4999 % 365))


def test_bad_sheet_names_and_values_are_refused():
    with pytest.raises(ValueError, match="工作表名称不合规"):
        written(**{"a/b": (["x"], [])})
    with pytest.raises(TypeError, match="不能写入工作簿的值"):
        written(甲=(["x"], [[object()]]))
    with pytest.raises(TypeError, match="带时区"):
        written(甲=(["x"], [[dt.datetime(2015, 1, 1, tzinfo=dt.UTC)]]))


def test_column_letters():
    assert [column_letter(i) for i in (0, 25, 26, 51, 52, 701, 702)] == [
        "A",
        "Z",
        "AA",
        "AZ",
        "BA",
        "ZZ",
        "AAA",
    ]


def test_a_sheet_holds_at_most_excels_rows(monkeypatch):
    from portal import xlsx

    monkeypatch.setattr(xlsx, "MAX_ROWS", 3)  # the header and two rows
    with pytest.raises(xlsx.TooManyRows, match="工作表“甲”超过 Excel 每表 3 行的上限"):
        written(甲=(["x"], [[1], [2], [3]]))
    assert len(list(load_workbook(io.BytesIO(written(甲=(["x"], [[1], [2]])))).active.rows)) == 3


@pytest.mark.parametrize(
    "day", [dt.date(1900, 1, 1), dt.date(1900, 2, 28), dt.date(1900, 3, 1), dt.date(1949, 10, 1)]
)
def test_dates_round_trip_including_before_excels_phantom_29_february_1900(day):
    book = load_workbook(
        io.BytesIO(written(甲=(["日期"], [[day], [dt.datetime.combine(day, dt.time(18))]])))
    )
    assert book["甲"]["A2"].value == dt.datetime.combine(day, dt.time())
    assert book["甲"]["A3"].value == dt.datetime.combine(day, dt.time(18))


def test_numbers_excel_cannot_read_are_refused_and_non_characters_dropped():
    for bad in (float("nan"), float("inf"), Decimal("NaN"), Decimal("-Infinity")):
        with pytest.raises(ValueError, match="Excel 只接受有限数值"):
            written(甲=(["x"], [[bad]]))
    book = load_workbook(io.BytesIO(written(甲=(["x"], [["a\ufffeb\uffffc"]]))))
    assert book["甲"]["A2"].value == "abc"


def test_a_sheet_over_two_gigabytes_is_refused_with_a_message(monkeypatch):
    from portal import xlsx

    monkeypatch.setattr(xlsx, "MAX_SHEET_BYTES", 10_000)
    monkeypatch.setattr(xlsx, "ROWS_PER_WRITE", 10)
    with pytest.raises(xlsx.TooManyRows, match="工作表“甲”的内容超过 2 GB"):
        written(甲=(["x"], [["很长的文本" * 100] for _ in range(100)]))


@pytest.mark.django_db
def test_the_workbook_export_refuses_a_sheet_too_large_before_writing(monkeypatch, cast):
    from portal import xlsx
    from reports.workbook import exporter
    from tests import factories as f

    f.FacilityFactory(community=cast.a1)
    f.FacilityFactory(community=cast.a1)
    monkeypatch.setattr(exporter, "MAX_ROWS", 2)
    target = io.BytesIO()
    with pytest.raises(xlsx.TooManyRows, match="工作表“设施”超过 Excel 每表 2 行的上限"):
        exporter.export_workbook(target, [cast.a1.pk])
    assert target.getvalue() == b""  # nothing written


class Kind(IntEnum):
    ONE = 1


MIXED = [
    *ROWS,
    ["", None, 0, False, True, "", dt.date(2020, 2, 29), Decimal("12.50"), 0.1],
    [SafeString("安全<文本>"), Kind.ONE, 3, "&amp;", dt.datetime(2020, 1, 1, 12), "x\x01y"],
    ["同形", 1, 2.5, True, None, "尾"],
    ["同形", 2, 3.5, False, None, "尾"],
    ["比表头长", 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, "第十二列"],
    [],
    ["短"],
]


def sheet_xml(data: bytes) -> bytes:
    return zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")


@pytest.mark.parametrize("max_shapes", [512, 2])
def test_rows_appended_together_are_the_same_xml_as_one_by_one(monkeypatch, max_shapes):
    from portal import xlsx

    monkeypatch.setattr(xlsx, "MAX_SHAPES", max_shapes)  # past it: cell by cell
    monkeypatch.setattr(xlsx, "ROWS_PER_WRITE", 3)
    headers = ["甲", "乙", "丙", "丁", "戊", "己", "庚", "辛", "壬"]
    together = io.BytesIO()
    with StreamingWorkbook(together) as book:
        sheet = book.add_sheet("表", headers)
        sheet.append_rows(MIXED[:4])
        sheet.append_rows(MIXED[4:])
        assert sheet.rows == 1 + len(MIXED)
    one_by_one = written(表=(headers, MIXED))
    assert sheet_xml(together.getvalue()) == sheet_xml(one_by_one)
    back = [
        list(r) for r in load_workbook(io.BytesIO(one_by_one))["表"].iter_rows(values_only=True)
    ]
    assert back[5][:6] == ["安全<文本>", 1, 3, "&amp;", dt.datetime(2020, 1, 1, 12), "xy"]
    assert back[4][:4] == [None, None, 0, False]


def test_rows_appended_together_are_refused_like_one_by_one(monkeypatch):
    from portal import xlsx

    def together(rows):
        with StreamingWorkbook(io.BytesIO()) as book:
            book.add_sheet("甲", ["x"]).append_rows(rows)

    with pytest.raises(ValueError, match="Excel 只接受有限数值"):
        together([[1.5], [float("inf")]])
    with pytest.raises(TypeError, match="不能写入工作簿的值"):
        together([[object()]])
    monkeypatch.setattr(xlsx, "MAX_ROWS", 3)  # the header and two rows
    together([[1], [2]])
    with pytest.raises(xlsx.TooManyRows, match="工作表“甲”超过 Excel 每表 3 行的上限"):
        together([[1], [2], [3]])


class FailingFile(io.BytesIO):
    def write(self, data):
        if self.tell() > 1000:
            raise OSError("磁盘已满")
        return super().write(data)


# Failing while rows are appended, and failing only when the block ends (the rows still
# buffered are written by close).
@pytest.mark.parametrize("n", [20_000, 1_500])
def test_a_failure_writing_the_archive_is_raised_and_nothing_hangs_or_stays_open(n):
    rows = [[f"行{i}", i] for i in range(n)]
    with pytest.raises(OSError, match="磁盘已满"):
        with StreamingWorkbook(FailingFile()) as book:
            sheet = book.add_sheet("甲", ["名称", "序号"])
            for row in rows:
                sheet.append(row)
    assert book._zip.fp is None  # closed: no "open writing handle" when it is collected


def test_the_sheets_are_the_same_deflated_by_isal_or_by_zlib(monkeypatch):
    from portal import xlsx

    assert xlsx.isal_zlib is not None  # installed (pyproject.toml)
    by_isal = written(表=(["甲"] * 9, MIXED * 50))
    monkeypatch.setattr(xlsx, "isal_zlib", None)
    by_zlib = written(表=(["甲"] * 9, MIXED * 50))
    assert by_isal != by_zlib and sheet_xml(by_isal) == sheet_xml(by_zlib)
    for data in (by_isal, by_zlib):
        info = zipfile.ZipFile(io.BytesIO(data)).getinfo("xl/worksheets/sheet1.xml")
        assert info.compress_type == zipfile.ZIP_DEFLATED and info.compress_size < info.file_size
        rows = load_workbook(io.BytesIO(data), read_only=True)["表"].rows
        assert len(list(rows)) == 1 + len(MIXED) * 50


def test_texts_given_as_utf8_bytes_are_the_same_xml():
    headers = ["甲", "乙", "丙", "丁", "戊", "己", "庚", "辛", "壬"]

    def as_bytes(row):
        return [v.encode() if isinstance(v, str) else v for v in row]

    rows = [as_bytes(row) for row in MIXED] + [["文本", "字节".encode(), 1]]  # both: per cell
    rows += [["末尾\ufffe".encode(), b"a&b", b"", None, 0, True]] * 2
    rows += [["（试行）".encode(), "１２\uffef".encode(), b"x"]] * 2  # \xef, nothing to escape
    together = io.BytesIO()
    with StreamingWorkbook(together) as book:
        sheet = book.add_sheet("表", headers)
        sheet.append_rows(rows)
    assert any(shape and shape.is_bytes for shape in sheet._shapes.values())
    texts = [[v.decode() if isinstance(v, bytes) else v for v in row] for row in rows]
    assert sheet_xml(together.getvalue()) == sheet_xml(written(表=(headers, texts)))
