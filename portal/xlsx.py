"""A streaming .xlsx writer for the standard workbook's export.

openpyxl's write-only mode spends about 11 µs a cell (XlsxWriter, measured the same way,
about 8 µs): 18 of the 20.6 s that exporting 116,125 rows (1.6 million cells) took. This
writer puts the SpreadsheetML of each row together as text, about 1 µs a cell, and streams
it into the zip archive, so memory stays flat however many rows there are.

It writes what the export needs and nothing more: sheets with a bold header row frozen at
the top, and cells of text (inline strings: never read as a formula), numbers, booleans
and dates (the cells' XML: portal/xlsx_cells.py). The blank template, a few hundred cells,
stays with openpyxl. The list pages' Excel downloads (portal.export.xlsx_response) use this
writer too.
"""

from __future__ import annotations

import os
import re
import zipfile
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from typing import IO, Any

from .pipeline import Background, Closing
from .xlsx_cells import (
    BOLD,
    SPECIAL,
    WRITERS,
    Shape,
    column_letter,
    escape_attribute,
    escape_text,
    other_cell,
)

try:
    from isal import isal_zlib
except ImportError:  # zlib, as zipfile does by itself
    isal_zlib = None

ROWS_PER_WRITE = 2000
# Row shapes a sheet keeps (xlsx_cells.Shape); past them, new shapes are written cell by cell,
# so that memory stays bounded (a sheet meets a few dozen).
MAX_SHAPES = 512
_UNSEEN = object()
MAX_ROWS = 1_048_576  # Excel's limit per sheet, the header row included
# A sheet's XML must stay under 2 GiB: the archive has no ZIP64 (Excel may ask to repair such
# files). Long texts could get there before MAX_ROWS; the margin leaves room for the tail.
MAX_SHEET_BYTES = zipfile.ZIP64_LIMIT - (1 << 20)


class TooManyRows(ValueError):
    """More rows than a sheet holds: Excel would refuse (or silently cut) the file."""


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"

_STYLES = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="{_MAIN}">
<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy-mm-dd"/><numFmt numFmtId="165" formatCode="yyyy-mm-dd hh:mm:ss"/></numFmts>
<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font><font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>
<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>"""

_SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}">'
    '<sheetViews><sheetView workbookViewId="0"{selected}>'
    '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
    '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>'
    "</sheetView></sheetViews>"
    '<sheetFormatPr defaultRowHeight="15"/><sheetData>'
)
_SHEET_TAIL = "</sheetData></worksheet>"


class Sheet:
    """Rows appended to one worksheet; the header row was written when it was opened."""

    def __init__(self, stream: IO[bytes], width: int, name: str = "") -> None:
        self.name = name
        self._stream = stream
        self._letters = [column_letter(i) for i in range(width)]
        self._pending: list[str] = []
        self._shapes: dict[tuple, Shape] = {}
        self.rows = 0
        self.bytes = 0

    def append(self, values: Sequence[Any]) -> None:
        self._check_room()
        self.rows += 1
        self._pending.append(self._row(self.rows, values))
        if len(self._pending) >= ROWS_PER_WRITE:
            self.flush()

    def append_rows(self, rows: Iterable[Sequence[Any]]) -> None:
        """append() for many rows: each row one template filled in (the same XML). Texts may
        be bytes (UTF-8): such rows are written as bytes."""
        shapes, pending = self._shapes, self._pending
        n = self.rows
        for values in rows:
            if n >= MAX_ROWS:
                self.rows = n
                self._check_room()
            n += 1
            key = (*map(type, values), *map(bool, values))
            shape = shapes.get(key, _UNSEEN)
            if shape is _UNSEEN:
                shape = self._shape(key, len(values))
            if shape is None or (shape.texts is not None and shape.special(shape.texts(values))):
                pending.append(self._row(n, values))
                continue
            number = b"%d" % n if shape.is_bytes else str(n)
            if shape.converts:
                filled = [*values, number]
                for i, convert in shape.converts:
                    filled[i] = convert(filled[i])
                pending.append(shape.template % shape.pick(filled))
            else:
                pending.append(shape.template % shape.pick((*values, number)))
            if len(pending) >= ROWS_PER_WRITE:
                self.rows = n
                self.flush()
        self.rows = n

    def _shape(self, key: tuple, width: int) -> Shape | None:
        if len(self._shapes) >= MAX_SHAPES:
            return None
        if width > len(self._letters):
            self._letters = [column_letter(i) for i in range(width)]
        try:
            shape: Shape | None = Shape(self._letters, key[:width], key[width:])
        except KeyError:  # a value of another type: such rows are written cell by cell
            shape = None
        self._shapes[key] = shape
        return shape

    def _check_room(self) -> None:
        if self.rows >= MAX_ROWS:
            raise TooManyRows(
                f"工作表“{self.name}”超过 Excel 每表 {MAX_ROWS:,} 行的上限，请缩小范围（如按街道）分别导出。"
            )

    def _row(self, n: int, values: Sequence[Any]) -> str:
        """One row's XML, cell by cell."""
        letters = self._letters
        if len(values) > len(letters):
            letters = self._letters = [column_letter(i) for i in range(len(values))]
        # Text, four cells in five, is written inline (_str_cell without the call).
        writer, special = WRITERS.get, SPECIAL.search
        cells = "".join(
            [
                (
                    f'<c r="{col}{n}" t="inlineStr"><is><t xml:space="preserve">'
                    f"{v if special(v) is None else escape_text(v)}</t></is></c>"
                    if v
                    else ""
                )
                if type(v) is str
                else writer(type(v), other_cell)(col, n, v)
                for col, v in zip(letters, values, strict=False)  # letters may be longer
            ]
        )
        return f'<row r="{n}">{cells}</row>'

    def header(self, titles: Iterable[str]) -> None:
        self.rows += 1
        cells = "".join(
            f'<c r="{column_letter(i)}1" s="{BOLD}" t="inlineStr"><is><t>{escape_text(str(t))}</t></is></c>'
            for i, t in enumerate(titles)
        )
        self._pending.append(f'<row r="1">{cells}</row>')

    def flush(self) -> None:
        if self._pending:
            data = b"".join([row if type(row) is bytes else row.encode() for row in self._pending])
            self._pending.clear()
            self.bytes += len(data)
            if self.bytes > MAX_SHEET_BYTES:
                raise TooManyRows(
                    f"工作表“{self.name}”的内容超过 2 GB，请缩小范围（如按街道）分别导出。"
                )
            self._stream.write(data)


def _faster_deflate(member: IO[bytes], level: int) -> None:
    """Deflate a sheet with ISA-L (isal), where installed: the same format (raw deflate, as
    zipfile's zlib writes it) about five times as fast (the city's 82 MB activity sheet:
    0.05 s instead of 0.26 s at level 1, and a little smaller). zipfile has no way to choose
    the compressor of a member: its writer's `_compressor` is set before anything is written."""
    if isal_zlib is None or level == 0 or getattr(member, "_compressor", None) is None:
        return
    isal_level = 1 if level <= 3 else 2 if level <= 6 else 3  # ISA-L has levels 0–3
    member._compressor = isal_zlib.compressobj(  # type: ignore[attr-defined]
        isal_level, isal_zlib.DEFLATED, -15
    )


class _Queued:
    """A sheet's stream: each write queued for the archive's thread."""

    def __init__(self, archive: Background[Callable[[], None]], write: Callable[[bytes], None]):
        self._put, self._write = archive.put, write

    def write(self, data: bytes) -> None:
        self._put(partial(self._write, data))


def _call(operation: Callable[[], None]) -> None:
    operation()


class StreamingWorkbook(Closing):
    """`with StreamingWorkbook(target) as book:` then, one sheet after another,
    `sheet = book.add_sheet(name, headers)`, `sheet.append(values)`.

    The archive (the CRC and deflate, which release the GIL, and the file) is written in a
    second thread, in the order the sheets are written: it overlaps putting the XML together
    (a third of a large export's time). Only that thread touches the zip file."""

    def __init__(self, target: str | os.PathLike[str] | IO[bytes], compresslevel: int = 6) -> None:
        self._zip = zipfile.ZipFile(
            target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=compresslevel
        )
        self._level = compresslevel
        self._archive: Background[Callable[[], None]] = Background(_call, name="xlsx-archive")
        self._member: IO[bytes] | None = None  # the archive thread's open sheet
        self._names: list[str] = []
        self._open: Sheet | None = None

    def add_sheet(self, name: str, headers: Sequence[str]) -> Sheet:
        if not name or len(name) > 31 or re.search(r"[\[\]:*?/\\]", name):
            raise ValueError(f"工作表名称不合规：{name!r}")
        if name in self._names:
            raise ValueError(f"工作表重名：{name}")
        self._finish_sheet()
        self._names.append(name)
        path = f"xl/worksheets/sheet{len(self._names)}.xml"
        selected = ' tabSelected="1"' if len(self._names) == 1 else ""
        head = _SHEET_HEAD.format(selected=selected).encode()
        self._archive.put(partial(self._open_member, path, head))
        sheet = Sheet(_Queued(self._archive, self._write_member), len(headers), name)
        sheet.header(headers)
        self._open = sheet
        return sheet

    def _finish_sheet(self) -> None:
        if self._open is not None:
            self._open.flush()
            self._archive.put(self._close_member)
            self._open = None

    # In the archive's thread:

    def _open_member(self, path: str, head: bytes) -> None:
        # No ZIP64 (Excel may ask to repair such files): a sheet's XML stays far below
        # 2 GB within MAX_ROWS rows of the portal's columns.
        self._member = self._zip.open(path, "w")
        _faster_deflate(self._member, self._level)
        self._member.write(head)

    def _write_member(self, data: bytes) -> None:
        assert self._member is not None
        self._member.write(data)

    def _close_member(self) -> None:
        assert self._member is not None
        self._member.write(_SHEET_TAIL.encode())
        self._member.close()
        self._member = None

    def _write_parts(self, parts: dict[str, str]) -> None:
        for path, text in parts.items():
            self._zip.writestr(path, text.encode())
        self._zip.close()

    def close(self) -> None:
        # Any failure on the way (a sheet's last rows flushed, the parts, the archive's thread)
        # leaves nothing open: the zip file is closed even though it is unusable.
        try:
            self._finish()
        except BaseException:
            self.abandon()
            raise

    def _finish(self) -> None:
        if not self._names:
            self.add_sheet("Sheet1", [])
        self._finish_sheet()
        n = len(self._names)
        sheets = "".join(
            f'<sheet name="{escape_attribute(name)}" sheetId="{i}" r:id="rId{i}"/>'
            for i, name in enumerate(self._names, start=1)
        )
        rels = "".join(
            f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
            for i in range(1, n + 1)
        )
        overrides = "".join(
            f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="{_SHEET_TYPE}"/>'
            for i in range(1, n + 1)
        )
        head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        parts = {
            "[Content_Types].xml": (
                f'{head}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                '<Default Extension="xml" ContentType="application/xml"/>'
                '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
                f"{overrides}</Types>"
            ),
            "_rels/.rels": (
                f'{head}<Relationships xmlns="{_PKG_REL}">'
                f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
                "</Relationships>"
            ),
            "xl/workbook.xml": (
                f'{head}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}">'
                '<bookViews><workbookView activeTab="0"/></bookViews>'
                f"<sheets>{sheets}</sheets></workbook>"
            ),
            "xl/_rels/workbook.xml.rels": (
                f'{head}<Relationships xmlns="{_PKG_REL}">{rels}'
                f'<Relationship Id="rId{n + 1}" Type="{_REL}/styles" Target="styles.xml"/>'
                "</Relationships>"
            ),
            "xl/styles.xml": _STYLES,
        }
        self._archive.put(partial(self._write_parts, parts))
        self._archive.close()

    def abandon(self) -> None:
        """After a failure: the archive's thread stopped, nothing left open."""
        self._archive.abandon()
        for close in (self._member.close if self._member else None, self._zip.close):
            try:
                if close is not None:
                    close()
            except BaseException:
                pass  # the archive is unusable anyway
        self._member = self._open = None
