"""Streaming a workbook file into rows of values, with every cell and in-row error.

Refusals come first and stop everything: too large, not a zip/.xlsx, more data rows than
allowed (counted while streaming, since the declared dimension cannot be trusted).
"""

from __future__ import annotations

import functools
import itertools
import os
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any
from xml.etree.ElementTree import iterparse

from django.conf import settings
from openpyxl.reader.excel import ExcelReader
from openpyxl.utils.cell import column_index_from_string
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet._reader import FORMULA_TAG, INLINE_STRING, WorkSheetParser
from openpyxl.xml.constants import SHEET_MAIN_NS

from .cells import CellError, convert, is_blank
from .data import Parsed, Row, RowError, default_sets
from .schema import SHEETS, Sheet

FileArg = str | os.PathLike | IO[bytes]


_EMPTY = (None, "n")
_SHARED = frozenset({"street", "community", "team", "brand"})


class _TooManyRows(Exception):
    pass


class _Unreadable(Exception):
    pass


def read(file: FileArg) -> Parsed:
    with _opened(file) as handle:
        limit = settings.WORKBOOK_MAX_SIZE
        if _size(handle) > limit:
            return _refused(f"文件超过 {limit / (1024 * 1024):g} MB，拒绝导入")
        if not zipfile.is_zipfile(handle):
            return _refused("不是有效的 .xlsx 文件（请在 Excel 中另存为 .xlsx 格式）")
        if problem := _package_problem(handle):
            return _refused(problem)
        handle.seek(0)
        try:
            book = _load(handle)
        except Exception:
            # openpyxl reports a broken package with many exception types (KeyError,
            # ValueError, XML errors …); to the user they all mean the same thing.
            return _refused("不是有效的 .xlsx 文件，无法打开")
        try:
            return _Reader(book).read()
        except _TooManyRows:
            return _refused(f"数据行超过 {settings.WORKBOOK_MAX_ROWS} 行，拒绝导入")
        except _Unreadable:
            return _refused("工作簿内容已损坏，无法读取")
        finally:
            book.close()


class _UnsizedSheet(ReadOnlyWorksheet):
    """A read-only sheet that is not sized when the workbook opens.

    openpyxl sizes every read-only sheet at load from its <dimension>; a sheet that declares
    none (ours, streamed, cannot know its size up front) is parsed to its end for nothing,
    a whole extra pass over the file (a quarter of the reading time of 116,125 rows). The
    reader never trusts a declared size anyway (_rows).
    """

    def _get_size(self) -> None:
        return None


class _BookReader(ExcelReader):
    def read_worksheets(self) -> None:
        for sheet, rel in self.parser.find_sheets():
            if rel.target not in self.valid_files or "chartsheet" in rel.Type:
                continue
            worksheet = _UnsizedSheet(self.wb, sheet.name, rel.target, self.shared_strings)
            worksheet.sheet_state = sheet.state
            self.wb._sheets.append(worksheet)


def _load(handle: IO[bytes]) -> Any:
    """openpyxl's load_workbook(read_only=True), without sizing the sheets."""
    reader = _BookReader(handle, read_only=True, data_only=False)
    reader.read()
    return reader.wb


def _package_problem(handle: IO[bytes]) -> str | None:
    """A zip bomb or a macro workbook, judged from the zip directory without unpacking.

    openpyxl reads the shared strings and styles whole into memory, so what the parts unpack
    to is capped; the sizes the directory declares are binding (zipfile stops reading an
    entry there), so a lying directory cannot get past the cap either.
    """
    handle.seek(0)
    try:
        with zipfile.ZipFile(handle) as package:
            entries = package.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return "不是有效的 .xlsx 文件，无法打开"
    limit = getattr(settings, "WORKBOOK_MAX_UNZIPPED", 25 * settings.WORKBOOK_MAX_SIZE)
    if sum(e.file_size for e in entries) > limit:
        return f"工作簿解压后超过 {limit / (1024 * 1024):g} MB（疑似压缩炸弹），拒绝导入"
    if any(e.filename.lower().endswith("vbaproject.bin") for e in entries):
        return "工作簿包含宏，拒绝导入（请在 Excel 中另存为不含宏的 .xlsx 格式）"
    return None


def _refused(message: str) -> Parsed:
    return Parsed(errors=[RowError("", None, "", message)], refused=True)


@contextmanager
def _opened(file: FileArg) -> Iterator[IO[bytes]]:
    if isinstance(file, str | os.PathLike):
        with Path(file).open("rb") as handle:
            yield handle
    else:
        file.seek(0)
        yield file


def _size(handle: IO[bytes]) -> int:
    size = getattr(handle, "size", None)  # Django's UploadedFile knows it
    if isinstance(size, int):
        return size
    position = handle.tell()
    handle.seek(0, os.SEEK_END)
    size = handle.tell()
    handle.seek(position)
    return size


def _header(value: Any) -> str:
    text = "" if value is None else str(value)
    return re.sub(r"\s+", "", text).replace("（", "(").replace("）", ")")


_TEXT = f"{{{SHEET_MAIN_NS}}}t"
_RUN = f"{{{SHEET_MAIN_NS}}}r"
Cells = dict[int, tuple[Any, str]]  # column number → (value, openpyxl data type)


class _Parser(WorkSheetParser):
    """openpyxl's own sheet parser, reading inline strings the quick way.

    openpyxl writes every text as an inline string (our exports too) and reads each one
    back through its generic Text.from_tree: a third of the reading time of such a file.
    """

    def parse_cell(self, element: Any) -> dict[str, Any]:
        if element.get("t") != "inlineStr" or element.find(FORMULA_TAG) is not None:
            return super().parse_cell(element)
        coordinate = element.get("r")
        if coordinate:
            self.col_counter = _column_number(coordinate.rstrip("0123456789"))
        else:
            self.col_counter += 1
        value, data_type = None, "inlineStr"
        child = element.find(INLINE_STRING)
        if child is not None:
            plain = child.find(_TEXT)
            if plain is not None:
                value = plain.text or ""
            else:  # rich text: the runs' texts, without phonetic guides
                value = "".join(
                    t.text or "" for r in child.iterfind(_RUN) for t in r.iterfind(_TEXT)
                )
            data_type = "s"
        return {
            "row": self.row_counter,
            "column": self.col_counter,
            "value": value,
            "data_type": data_type,
            "style_id": int(element.get("s", 0)),
        }


@functools.cache
def _column_number(letters: str) -> int:
    return column_index_from_string(letters)


def _rows(worksheet: Any) -> Iterator[tuple[int, Cells]]:
    """(Excel row number, cells) for every row the sheet holds, whatever it declares.

    The declared dimension may lie, so it is never used. Reading goes through the
    read-only workbook's own archive, shared strings and date styles; should a future
    openpyxl rename those internals, the public (slower) iter_rows is used instead.
    """
    book = worksheet.parent
    try:
        source = worksheet._get_source()
        parser = _Parser(
            source,
            worksheet._shared_strings,
            data_only=False,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )
    except AttributeError:
        yield from _public_rows(worksheet)
        return
    with source:
        rows = _sheet_rows(source, parser)
        while True:
            try:
                number, cells = next(rows)
            except StopIteration:
                return
            except Exception as exc:  # a broken sheet XML, in whatever form it is reported
                raise _Unreadable from exc
            yield number, cells


_ROW = f"{{{SHEET_MAIN_NS}}}row"
_CELL = f"{{{SHEET_MAIN_NS}}}c"
_VALUE = f"{{{SHEET_MAIN_NS}}}v"
_DIGITS = "0123456789"


def _number(text: str) -> int | float:
    """A <v> number as openpyxl reads it (_cast_number)."""
    return float(text) if "." in text or "E" in text or "e" in text else int(text)


def _sheet_rows(source: IO[bytes], parser: _Parser) -> Iterator[tuple[int, Cells]]:
    """The sheet's rows, parsed as openpyxl parses them (the standard library's iterparse),
    reading the two usual cells in place: text written inline and a plain number (no dict
    per cell, no coordinate parsed twice). Every other cell (shared strings, dates,
    logicals, errors, formulas) is read by openpyxl's own parse_cell, so its values and
    data types are openpyxl's. (lxml was tried: its per-element proxies made it slower.)
    """
    dates = parser.date_formats
    events = iterparse(source, events=("end",))
    number = 0
    for _event, row in events:
        if row.tag != _ROW:
            continue
        declared = row.get("r")
        number = int(declared) if declared else number + 1
        cells: Cells = {}
        column = 0
        for cell in row.iterfind(_CELL):
            ref = cell.get("r")
            column = _column_number(ref.rstrip(_DIGITS)) if ref else column + 1
            kind = cell.get("t")
            inner = list(cell)  # a usual cell holds one child: <is> (text) or <v> (number)
            if len(inner) == 1:
                child = inner[0]
                if kind == "inlineStr" and child.tag == INLINE_STRING:
                    texts = list(child)
                    if len(texts) == 1 and texts[0].tag == _TEXT:
                        cells[column] = (texts[0].text or "", "s")
                        continue
                elif (kind is None or kind == "n") and child.tag == _VALUE:
                    style = cell.get("s")
                    text = child.text
                    if text and (not style or int(style) not in dates):
                        cells[column] = (_number(text), "n")
                        continue
            parser.row_counter, parser.col_counter = number, column - 1
            parsed = parser.parse_cell(cell)
            cells[parsed["column"]] = (parsed["value"], parsed["data_type"])
        row.clear()
        yield number, cells


def _public_rows(worksheet: Any) -> Iterator[tuple[int, Cells]]:
    worksheet.reset_dimensions()  # iter_rows stops at the declared dimension otherwise
    rows = enumerate(worksheet.iter_rows(), start=1)
    while True:
        try:
            number, cells = next(rows)
        except StopIteration:
            return
        except Exception as exc:
            raise _Unreadable from exc
        yield (
            number,
            {
                i: (c.value, c.data_type)
                for i, c in enumerate(cells, start=1)
                if c.value is not None
            },
        )


class _Reader:
    def __init__(self, book: Any) -> None:
        self.book = book
        self.parsed = Parsed()
        self.count = 0
        self.limit = settings.WORKBOOK_MAX_ROWS
        self.shared: dict[str, str] = {}

    def error(self, sheet: str, row: int | None, column: str, message: str) -> None:
        self.parsed.errors.append(RowError(sheet, row, column, message))

    def read(self) -> Parsed:
        titles = {title.strip(): title for title in self.book.sheetnames}
        for sheet in SHEETS:
            title = titles.get(sheet.name)
            if title is None:
                if sheet.required:
                    self.error(sheet.name, None, "", f"缺少必需的工作表「{sheet.name}」")
                continue
            self._sheet(sheet, self.book[title])
        return self.parsed

    def _columns(self, sheet: Sheet, headers: dict[int, str]) -> list[tuple[Any, int]] | None:
        by_header = {c.header: c for c in sheet.columns}
        positions: dict[str, int] = {}
        for index, text in sorted(headers.items()):
            column = by_header.get(text)
            if column is None:
                continue  # extra columns are ignored
            if column.key in positions:
                self.error(sheet.name, 1, column.header, "列名重复")
            else:
                positions[column.key] = index
        missing = [c for c in sheet.columns if c.required and c.key not in positions]
        for column in missing:
            self.error(sheet.name, 1, column.header, "缺少必需的列")
        if missing:
            return None
        return [(c, positions[c.key]) for c in sheet.columns if c.key in positions]

    def _sheet(self, sheet: Sheet, worksheet: Any) -> None:
        rows = _rows(worksheet)
        first = next(rows, None)
        if first is None and not sheet.required:
            return  # an empty optional sheet is as good as a missing one
        headers: dict[int, str] = {}
        if first is not None and first[0] == 1:
            headers = {i: _header(value) for i, (value, _) in first[1].items()}
        elif first is not None:
            rows = itertools.chain([first], rows)  # no header row: its first row is data
        columns = self._columns(sheet, headers)
        if columns is None:
            return
        out = self.parsed.rows[sheet.name] = []
        # The names every row repeats (街道, 社区, 团队, 品牌) are kept once, not once a row.
        shared: dict[str, str] = self.shared
        plan = [(c, i, c.key in _SHARED) for c, i in columns]
        for number, cells in rows:
            raw = [(c, share, cells.get(i, _EMPTY)) for c, i, share in plan]
            if all(is_blank(value) for _, _, (value, _) in raw):
                continue
            self.count += 1
            if self.count > self.limit:
                raise _TooManyRows
            values: dict[str, Any] = {}
            for column, share, (value, data_type) in raw:
                try:
                    value = convert(column, value, data_type)
                except CellError as exc:
                    self.error(sheet.name, number, column.header, str(exc))
                    continue
                if share and type(value) is str:
                    value = shared.setdefault(value, value)
                values[column.key] = value
            self._row_rules(sheet, number, values)
            out.append(Row(number, values))

    def _row_rules(self, sheet: Sheet, number: int, values: dict[str, Any]) -> None:
        for column in sheet.columns:
            start = column.not_before
            if start and values.get(column.key) is not None and values.get(start) is not None:
                if values[column.key] < values[start]:
                    before = sheet.column_by_key[start].header
                    self.error(sheet.name, number, column.header, f"不能早于「{before}」")
        if sheet.name == "设施" and "sets" in values and values["sets"] is None:
            values["sets"] = default_sets(values)
        if sheet.name == "活动" and values.get("partners"):
            label = sheet.column_by_key["partners"].header
            if values.get("is_exchange") is not True:
                self.error(sheet.name, number, label, "只有「文化走亲」为「是」时才能填写走亲社区")
            if values.get("community") in values["partners"]:
                self.error(sheet.name, number, label, "走亲社区不能是本社区")
