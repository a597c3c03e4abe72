"""Reading files the way Excel and openpyxl write them, and the reader's fallback path."""

import datetime as dt
import io
import zipfile

import pytest
from openpyxl import Workbook
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

from reports.workbook import reader
from reports.workbook.importer import parse_workbook

from .workbook_util import STREET, at, build, community, facility

NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PARTS = {
    "[Content_Types].xml": (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"
    ),
    "xl/workbook.xml": (
        f'<workbook {NS} xmlns:r="{REL}"><sheets>'
        '<sheet name="社区" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
        f'<Relationship Id="rId3" Type="{REL}/styles" Target="styles.xml"/>'
        "</Relationships>"
    ),
    "xl/styles.xml": (
        f"<styleSheet {NS}>"
        '<fonts count="1"><font><sz val="11"/><name val="宋体"/></font></fonts>'
        '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
        '<borders count="1"><border/></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
        "</cellXfs>"
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>"
    ),
}
STRINGS = ["街道", "社区", "年度", "常住人口", "户数", "社区类型", STREET, "一社区", "回迁"]


def excel_style_workbook() -> io.BytesIO:
    """A 社区 sheet as Excel saves it: shared strings, a dimension, a date-styled cell."""
    sst = "".join(f"<si><t>{s}</t></si>" for s in STRINGS)
    sheet = (
        f'<worksheet {NS}><dimension ref="A1:F2"/><sheetData>'
        '<row r="1">'
        + "".join(f'<c r="{c}1" t="s"><v>{i}</v></c>' for i, c in enumerate("ABCDEF"))
        + "</row>"
        '<row r="3"><c r="A3" t="s"><v>6</v></c><c r="B3" t="s"><v>7</v></c>'
        '<c r="C3"><v>2014</v></c><c r="D3"><v>5000</v></c><c r="E3" s="1"><v>41640</v></c>'
        '<c r="F3" t="s"><v>8</v></c></row>'
        "</sheetData></worksheet>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, text in PARTS.items():
            archive.writestr(name, text)
        archive.writestr(
            "xl/sharedStrings.xml",
            f'<sst {NS} count="{len(STRINGS)}" uniqueCount="{len(STRINGS)}">{sst}</sst>',
        )
        archive.writestr("xl/worksheets/sheet1.xml", sheet)
    out.seek(0)
    return out


@pytest.mark.django_db
def test_excel_style_file_with_shared_strings():
    parsed = parse_workbook(excel_style_workbook())
    # Row 3 (row 2 is absent from the file); 户数 is a date-styled number: an error there.
    assert [str(e) for e in parsed.errors] == ["工作表「社区」第3行「户数」：应为整数"]
    values = parsed.rows["社区"][0].values
    assert (values["street"], values["community"], values["year"], values["kind"]) == (
        STREET,
        "一社区",
        2014,
        "回迁",
    )


@pytest.mark.django_db
def test_rich_text_cells_read_as_their_text():
    book = Workbook()
    sheet = book.active
    sheet.title = "社区"
    sheet.append(["街道", "社区", "年度"])
    sheet.append(
        [
            CellRichText(TextBlock(InlineFont(b=True), "测试"), "街道"),
            CellRichText("一", TextBlock(InlineFont(i=True), "社区")),
            2014,
        ]
    )
    data = io.BytesIO()
    book.save(data)
    parsed = parse_workbook(data)
    assert parsed.ok, [str(e) for e in parsed.errors]
    assert parsed.rows["社区"][0].values["community"] == "一社区"


@pytest.mark.django_db
def test_public_iter_rows_fallback_reads_the_same(monkeypatch):
    data = build(
        {
            "社区": [community(), [], community("二社区", 常住人口="=1+1")],
            "设施": [facility(启用日期=dt.date(2013, 4, 5)), facility(设施名称="二号", 状态="坏")],
            "扣分": [at(年度=2014, 事项="台账", 扣分="1.5")],
        }
    )
    fast = parse_workbook(data)

    def unavailable(*args, **kwargs):
        raise AttributeError("openpyxl internals changed")

    monkeypatch.setattr(reader, "_Parser", unavailable)
    slow = parse_workbook(data)
    assert slow.errors == fast.errors and len(fast.errors) == 2
    assert slow.rows == fast.rows


@pytest.mark.django_db
def test_broken_sheet_xml_is_refused():
    data = build({"社区": [community()]})
    out = io.BytesIO()
    with zipfile.ZipFile(data) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                content = content[: len(content) // 2]
            target.writestr(item, content)
    parsed = parse_workbook(out)
    # The dimension at the top still opens; the rows break while streaming.
    assert parsed.refused
    assert [str(e) for e in parsed.errors] == ["工作簿：工作簿内容已损坏，无法读取"]
