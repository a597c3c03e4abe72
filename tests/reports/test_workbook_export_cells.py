"""The streamed export (portal/xlsx.py, with per-sheet converters) against the openpyxl path
it replaced: every cell of every sheet reads back the same, value and type."""

import io
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from portal.privacy import mask_phone
from reports.workbook import exporter
from reports.workbook.schema import SHEETS, Kind
from tests import factories as f

from .test_workbook_export import exported, records


def openpyxl_export(*, full_phones: bool) -> bytes:
    """The export as it was written before (openpyxl's write-only mode, column.display per
    choice cell, phones masked after), kept here as the reference. The rows are the
    exporter's (走亲社区 come as the names joined)."""
    book = Workbook(write_only=True)
    for sheet in SHEETS:
        worksheet = book.create_sheet(sheet.name)
        worksheet.append(sheet.headers)
        for values in (row for rows in exporter._records(sheet, None, [None]) for row in rows):
            cells: list[Any] = []
            for column, value in zip(sheet.columns, values, strict=True):
                if column.kind == Kind.CHOICE:
                    value = column.display(value) if value is not None else None
                if column.key in exporter.PHONE_KEYS and not full_phones:
                    value = mask_phone(value)
                if isinstance(value, str):  # openpyxl refuses them; the new writer drops them
                    value = ILLEGAL_CHARACTERS_RE.sub("", value)
                cells.append(value)
            worksheet.append(cells)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def cells(data: bytes) -> dict[str, list[list[tuple[Any, str]]]]:
    """sheet → rows of (value, kind), blank cells and empty texts as None."""
    book = load_workbook(io.BytesIO(data), read_only=True)
    out = {}
    for sheet in SHEETS:
        rows = []
        for row in book[sheet.name].iter_rows(values_only=True):
            row = list(row) + [None] * (len(sheet.columns) - len(row))
            rows.append([_typed(None if v == "" else v) for v in row])
        out[sheet.name] = rows
    return out


def _typed(value: Any) -> tuple[Any, str]:
    """A number is a number: openpyxl writes Decimal("100.00") as 100 (read back as an int),
    the streamed writer as 100.00 (read back as a float); the importer takes either."""
    kind = "number" if type(value) in (int, float) else type(value).__name__
    return value, kind


@pytest.mark.django_db
@pytest.mark.parametrize("full_phones", [False, True])
def test_streamed_export_has_the_cells_of_the_openpyxl_export(full_phones):
    street = records()
    community = street.communities.order_by("name").first()
    # Texts that need escaping or lose characters XML cannot hold, and phones of every shape.
    f.FacilityFactory(community=community, name="甲&乙<丙>\"丁'", partner_unit="a\x01b\x1fc")
    f.TeamFactory(community=community, name="号码团", phone="0571-87654321 转 12")
    f.TeamFactory(community=community, name="短号团", phone="12345")
    f.TeamFactory(community=community, name="全角团", phone="１３８１２３４５６７８")
    new = cells(exported(full_phones=full_phones))
    old = cells(openpyxl_export(full_phones=full_phones))
    assert new.keys() == old.keys()
    for name in old:
        assert new[name] == old[name], name
    assert sum(len(rows) for rows in new.values()) > len(SHEETS) + 10  # records were written


def test_masking_digits_only_matches_the_general_rule():
    for text in ("13812345678", "8765432", "123", "", "13812345678901", "0571-87654321"):
        digits = [i for i, c in enumerate(text) if c.isdecimal()]
        n = len(digits)
        keep = set(digits[:3] + digits[-4:]) if n >= 11 else set(digits[-4:]) if n >= 7 else set()
        expected = "".join("*" if i in digits and i not in keep else c for i, c in enumerate(text))
        assert mask_phone(text) == expected


def test_texts_are_read_as_bytes_only_from_a_utf8_server(monkeypatch):
    from reports.workbook.exporter import texts_as_bytes

    assert texts_as_bytes("UTF8")
    for other in ("SQL_ASCII", "LATIN1", "EUC_CN", "GB18030", "utf8"):
        assert not texts_as_bytes(other), other
    monkeypatch.setattr("reports.workbook.exporter.TEXTS_AS_BYTES", False)
    assert not texts_as_bytes("UTF8")
