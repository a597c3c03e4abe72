"""A streaming .xlsx writer for the standard workbook's export.

openpyxl's write-only mode spends about 11 µs a cell (XlsxWriter, measured the same way,
about 8 µs): 18 of the 20.6 s that exporting 116,125 rows (1.6 million cells) took. This
writer puts the SpreadsheetML of each row together as text, about 1 µs a cell, and streams
it into the zip archive, so memory stays flat however many rows there are.

It writes what the export needs and nothing more: sheets with a bold header row frozen at
the top, and cells of text (inline strings: never read as a formula), numbers, booleans
and dates (yyyy-mm-dd, as openpyxl writes them, so that readers give dates back). The
blank template, a few hundred cells, stays with openpyxl. The list pages' Excel downloads
(portal.export.xlsx_response) use this writer too.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import re
import zipfile
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from functools import partial
from operator import itemgetter
from typing import IO, Any

from .pipeline import Background, Closing

try:
    from isal import isal_zlib
except ImportError:  # zlib, as zipfile does by itself
    isal_zlib = None

# Characters XML 1.0 does not allow (openpyxl's ILLEGAL_CHARACTERS_RE, which it strips too,
# and the two non-characters U+FFFE and U+FFFF).
ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
EPOCH_DAY = dt.date(1899, 12, 30)  # Excel's day 0 (in the 1900 system, after 1 March 1900)
ROWS_PER_WRITE = 2000
MAX_ROWS = 1_048_576  # Excel's limit per sheet, the header row included
# A sheet's XML must stay under 2 GiB: the archive has no ZIP64 (Excel may ask to repair such
# files). Long texts could get there before MAX_ROWS; the margin leaves room for the tail.
MAX_SHEET_BYTES = zipfile.ZIP64_LIMIT - (1 << 20)


class TooManyRows(ValueError):
    """More rows than a sheet holds: Excel would refuse (or silently cut) the file."""


# Style indexes of styles.xml's cellXfs.
BOLD, DATE, DATETIME = 1, 2, 3

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


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# What a text needs treatment for: a character XML cannot hold, or one to escape. Most texts
# have none, and one search is cheaper than a substitution and three replacements.
_SPECIAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff&<>]")


def _text(value: str) -> str:
    if _SPECIAL.search(value) is None:
        return value
    value = ILLEGAL.sub("", value)
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attribute(value: str) -> str:
    return _text(value).replace('"', "&quot;")


def _serial_days(day: dt.date) -> int:
    """Excel's day number. Excel counts a 29 February 1900 that never was, so days before
    1 March 1900 are one less than the count from its day 0 (as openpyxl writes them)."""
    days = (day - EPOCH_DAY).days
    return days - 1 if 0 < days <= 60 else days


def _finite(finite: bool, value: Any) -> None:
    if not finite:
        raise ValueError(f"不能写入工作簿的数值：{value}（Excel 只接受有限数值）。")


# One writer per exact type: (column letters, row number, value) → the <c> element, "" for a
# blank cell. Sheet.append looks the writer up by type(value), a dict lookup per cell; the
# letters and the number are joined in the f-string (no reference string built first).


def _str_cell(col: str, n: int, value: str) -> str:
    if not value:
        return ""
    if _SPECIAL.search(value) is not None:
        value = _text(value)
    return f'<c r="{col}{n}" t="inlineStr"><is><t xml:space="preserve">{value}</t></is></c>'


def _int_cell(col: str, n: int, value: int) -> str:
    return f'<c r="{col}{n}"><v>{value}</v></c>'


def _float_cell(col: str, n: int, value: float) -> str:
    _finite(math.isfinite(value), value)
    return f'<c r="{col}{n}"><v>{value!r}</v></c>'


def _decimal_cell(col: str, n: int, value: Decimal) -> str:
    _finite(value.is_finite(), value)
    return f'<c r="{col}{n}"><v>{value}</v></c>'


def _bool_cell(col: str, n: int, value: bool) -> str:
    return f'<c r="{col}{n}" t="b"><v>{int(value)}</v></c>'


def _date_cell(col: str, n: int, value: dt.date) -> str:
    return f'<c r="{col}{n}" s="{DATE}"><v>{_serial_days(value)}</v></c>'


def _blank_cell(col: str, n: int, value: None) -> str:
    return ""


def _other_cell(col: str, n: int, value: Any) -> str:
    """Datetimes and subclasses (SafeString, IntEnum …): rarer, checked one by one."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            raise TypeError("带时区的时间不能写入工作簿，请先转换为本地时间。")
        midnight = dt.datetime.combine(value.date(), dt.time())
        days = _serial_days(value.date()) + (value - midnight).total_seconds() / 86400
        return f'<c r="{col}{n}" s="{DATETIME}"><v>{days!r}</v></c>'
    if isinstance(value, dt.date):
        return _date_cell(col, n, dt.date(value.year, value.month, value.day))
    if isinstance(value, str):  # a subclass (SafeString): slicing gives a plain str
        return _str_cell(col, n, value[:])
    if isinstance(value, bool):
        return _bool_cell(col, n, bool(value))
    if isinstance(value, Decimal):
        return _decimal_cell(col, n, value)
    if isinstance(value, int | float):
        return _float_cell(col, n, float(value))
    raise TypeError(f"不能写入工作簿的值：{value!r}")


_WRITERS: dict[type, Any] = {
    str: _str_cell,
    int: _int_cell,
    float: _float_cell,
    Decimal: _decimal_cell,
    bool: _bool_cell,
    dt.date: _date_cell,
    type(None): _blank_cell,
}


def cell_xml(ref: str, value: Any) -> str:
    """One <c> element ("" for None or empty text, which leave the cell blank)."""
    letters = ref.rstrip("0123456789")
    return _WRITERS.get(type(value), _other_cell)(letters, int(ref[len(letters) :]), value)


# A row written by one %-formatting: a template per row *shape* (each value's type, and
# whether it is blank or false), made the first time the shape is met, filled with the row
# number and the row's non-blank values, picked in the template's order by one itemgetter
# (text goes in as it is, numbers as their text, dates as their day number after a
# conversion; booleans are in the template). Rows whose text needs escaping, or with values
# of other types, are written cell by cell (Sheet._row): the XML is the same either way. A
# sheet meets a few dozen shapes; past MAX_SHAPES new shapes are written cell by cell too, so
# that memory stays bounded.
MAX_SHAPES = 512
_UNSEEN = object()


def _decimal_text(value: Decimal) -> str:
    _finite(value.is_finite(), value)
    return str(value)


def _float_text(value: float) -> str:
    _finite(math.isfinite(value), value)
    return repr(value)


# type → (its cell, {col} the column letters, {n} the row number, {v} the value's text; what
# turns the value into that text, None: %s does)
_SHAPED: dict[type, tuple[str, Callable[[Any], Any] | None]] = {
    str: ('<c r="{col}{n}" t="inlineStr"><is><t xml:space="preserve">{v}</t></is></c>', None),
    int: ('<c r="{col}{n}"><v>{v}</v></c>', None),
    bool: ('<c r="{col}{n}" t="b"><v>{v}</v></c>', None),
    Decimal: ('<c r="{col}{n}"><v>{v}</v></c>', _decimal_text),
    float: ('<c r="{col}{n}"><v>{v}</v></c>', _float_text),
    dt.date: (f'<c r="{{col}}{{n}}" s="{DATE}"><v>{{v}}</v></c>', _serial_days),
}


class _Shape:
    """How to write the rows of one shape: the template; the positions to pick, in its
    order, from the row's values followed by the row number; the values to convert first;
    the texts to check for characters to escape."""

    def __init__(self, letters: list[str], types: tuple[type, ...], truths: tuple[bool, ...]):
        row = len(types)  # the row number's position, after the values
        cells, picks, texts = [], [row], []
        self.converts: list[tuple[int, Callable[[Any], Any]]] = []
        for i, (col, kind, truth) in enumerate(zip(letters, types, truths, strict=False)):
            if kind is type(None) or (kind is str and not truth):
                continue  # a blank cell (_blank_cell, _str_cell)
            cell, convert = _SHAPED[kind]  # KeyError: not a shape (Sheet._shape)
            value = str(int(truth)) if kind is bool else "%s"
            cells.append(cell.replace("%", "%%").format(col=col, n="%s", v=value))
            picks.append(row)
            if kind is not bool:
                picks.append(i)
            if convert is not None:
                self.converts.append((i, convert))
            if kind is str:
                texts.append(i)
        self.template = f'<row r="%s">{"".join(cells)}</row>'
        self.pick = itemgetter(*picks)  # at least the row number's two
        # The row's texts, joined, for one regular-expression search.
        self.texts: Callable[[Sequence[Any]], str] | None = None
        if len(texts) > 1:
            self.texts = lambda values, get=itemgetter(*texts): "".join(get(values))
        elif texts:
            self.texts = itemgetter(texts[0])


class Sheet:
    """Rows appended to one worksheet; the header row was written when it was opened."""

    def __init__(self, stream: IO[bytes], width: int, name: str = "") -> None:
        self.name = name
        self._stream = stream
        self._letters = [column_letter(i) for i in range(width)]
        self._pending: list[str] = []
        self._shapes: dict[tuple, _Shape] = {}
        self.rows = 0
        self.bytes = 0

    def append(self, values: Sequence[Any]) -> None:
        self._check_room()
        self.rows += 1
        self._pending.append(self._row(self.rows, values))
        if len(self._pending) >= ROWS_PER_WRITE:
            self.flush()

    def append_rows(self, rows: Iterable[Sequence[Any]]) -> None:
        """append() for many rows: each row one template filled in (the same XML)."""
        shapes, pending, special = self._shapes, self._pending, _SPECIAL.search
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
            if shape is None or (shape.texts is not None and special(shape.texts(values))):
                pending.append(self._row(n, values))
            elif shape.converts:
                filled = [*values, str(n)]
                for i, convert in shape.converts:
                    filled[i] = convert(filled[i])
                pending.append(shape.template % shape.pick(filled))
            else:
                pending.append(shape.template % shape.pick((*values, str(n))))
            if len(pending) >= ROWS_PER_WRITE:
                self.rows = n
                self.flush()
        self.rows = n

    def _shape(self, key: tuple, width: int) -> _Shape | None:
        if len(self._shapes) >= MAX_SHAPES:
            return None
        if width > len(self._letters):
            self._letters = [column_letter(i) for i in range(width)]
        try:
            shape: _Shape | None = _Shape(self._letters, key[:width], key[width:])
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
        writer, special = _WRITERS.get, _SPECIAL.search
        cells = "".join(
            [
                (
                    f'<c r="{col}{n}" t="inlineStr"><is><t xml:space="preserve">'
                    f"{v if special(v) is None else _text(v)}</t></is></c>"
                    if v
                    else ""
                )
                if type(v) is str
                else writer(type(v), _other_cell)(col, n, v)
                for col, v in zip(letters, values, strict=False)  # letters may be longer
            ]
        )
        return f'<row r="{n}">{cells}</row>'

    def header(self, titles: Iterable[str]) -> None:
        self.rows += 1
        cells = "".join(
            f'<c r="{column_letter(i)}1" s="{BOLD}" t="inlineStr"><is><t>{_text(str(t))}</t></is></c>'
            for i, t in enumerate(titles)
        )
        self._pending.append(f'<row r="1">{cells}</row>')

    def flush(self) -> None:
        if self._pending:
            data = "".join(self._pending).encode()
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
        if not self._names:
            self.add_sheet("Sheet1", [])
        self._finish_sheet()
        n = len(self._names)
        sheets = "".join(
            f'<sheet name="{_attribute(name)}" sheetId="{i}" r:id="rId{i}"/>'
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
        try:
            self._archive.close()
        except BaseException:
            self.abandon()
            raise

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
