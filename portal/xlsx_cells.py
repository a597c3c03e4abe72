"""The cells of portal/xlsx.py's sheets: each value's SpreadsheetML, and rows of a shape.

Text goes inline (never read as a formula), without the characters XML cannot hold;
numbers, booleans, and dates (yyyy-mm-dd, as openpyxl writes them, so that readers give
dates back). A row is written cell by cell (one writer per exact type), or, for the rows
of a shape met before, by one template filled in (Shape): the same XML either way.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Sequence
from decimal import Decimal
from operator import itemgetter
from typing import Any

# Characters XML 1.0 does not allow (openpyxl's ILLEGAL_CHARACTERS_RE, which it strips too,
# and the two non-characters U+FFFE and U+FFFF).
ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
EPOCH_DAY = dt.date(1899, 12, 30)  # Excel's day 0 (in the 1900 system, after 1 March 1900)
# Style indexes of styles.xml's cellXfs.
BOLD, DATE, DATETIME = 1, 2, 3


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
SPECIAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff&<>]")


def escape_text(value: str) -> str:
    if SPECIAL.search(value) is None:
        return value
    value = ILLEGAL.sub("", value)
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def escape_attribute(value: str) -> str:
    return escape_text(value).replace('"', "&quot;")


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
    if SPECIAL.search(value) is not None:
        value = escape_text(value)
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


def other_cell(col: str, n: int, value: Any) -> str:
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
    if isinstance(value, bytes):  # UTF-8 text (Shape)
        return _str_cell(col, n, value.decode())
    if isinstance(value, bool):
        return _bool_cell(col, n, bool(value))
    if isinstance(value, Decimal):
        return _decimal_cell(col, n, value)
    if isinstance(value, int | float):
        return _float_cell(col, n, float(value))
    raise TypeError(f"不能写入工作簿的值：{value!r}")


WRITERS: dict[type, Any] = {
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
    return WRITERS.get(type(value), other_cell)(letters, int(ref[len(letters) :]), value)


# A row written by one %-formatting: a template per row *shape* (each value's type, and
# whether it is blank or false), made the first time the shape is met, filled with the row
# number and the row's non-blank values, picked in the template's order by one itemgetter
# (text goes in as it is, numbers as their text, dates as their day number after a
# conversion; booleans are in the template). A row whose texts are bytes (UTF-8, as the
# export reads them from PostgreSQL: reports/workbook/exporter.py) is written as bytes, by a
# bytes template (twice as fast, and nothing to encode after). Rows whose text needs
# escaping, or with values of other types, are written cell by cell (Sheet._row): the XML is
# the same either way.

# What a UTF-8 text needs treatment for (SPECIAL; U+FFFE and U+FFFF are EF BF BE and EF BF BF).
SPECIAL_BYTES = re.compile(b"[\x00-\x08\x0b\x0c\x0e-\x1f&<>]|\xef\xbf[\xbe\xbf]")
# The same, first looked for as one class of bytes (a fast scan; an alternation is not):
# \xef also begins the full-width forms (（，１…), which then take the exact search.
_MAYBE_SPECIAL = re.compile(b"[\x00-\x08\x0b\x0c\x0e-\x1f&<>\xef]").search


def _special_bytes(text: bytes) -> Any:
    return _MAYBE_SPECIAL(text) and SPECIAL_BYTES.search(text)


def _decimal_text(value: Decimal) -> str:
    _finite(value.is_finite(), value)
    return str(value)


def _float_text(value: float) -> str:
    _finite(math.isfinite(value), value)
    return repr(value)


_TEXT = '<c r="{col}{n}" t="inlineStr"><is><t xml:space="preserve">{v}</t></is></c>'
_NUMBER = '<c r="{col}{n}"><v>{v}</v></c>'
_DATE = f'<c r="{{col}}{{n}}" s="{DATE}"><v>{{v}}</v></c>'
_BOOL = '<c r="{col}{n}" t="b"><v>{v}</v></c>'

# type → (its cell, {col} the column letters, {n} the row number, {v} the value; what turns
# the value into what %s writes, None: %s does), for str templates and for bytes templates.
_SHAPED: dict[type, tuple[str, Callable[[Any], Any] | None]] = {
    str: (_TEXT, None),
    int: (_NUMBER, None),
    bool: (_BOOL, None),
    Decimal: (_NUMBER, _decimal_text),
    float: (_NUMBER, _float_text),
    dt.date: (_DATE, _serial_days),
}
_SHAPED_BYTES: dict[type, tuple[str, Callable[[Any], Any] | None]] = {
    bytes: (_TEXT, None),
    int: (_NUMBER.replace("{v}", "%d"), None),
    bool: (_BOOL, None),
    Decimal: (_NUMBER, lambda value: _decimal_text(value).encode()),
    float: (_NUMBER, lambda value: _float_text(value).encode()),
    dt.date: (_DATE.replace("{v}", "%d"), _serial_days),
}


class Shape:
    """How to write the rows of one shape: the template; the positions to pick, in its
    order, from the row's values followed by the row number (str, or bytes for a bytes
    template); the values to convert first; the texts to check for characters to escape."""

    def __init__(self, letters: list[str], types: tuple[type, ...], truths: tuple[bool, ...]):
        row = len(types)  # the row number's position, after the values
        self.is_bytes = bytes in types
        shaped, text = (_SHAPED_BYTES, bytes) if self.is_bytes else (_SHAPED, str)
        cells, picks, texts = [], [row], []
        self.converts: list[tuple[int, Callable[[Any], Any]]] = []
        for i, (col, kind, truth) in enumerate(zip(letters, types, truths, strict=False)):
            if kind is type(None) or (kind is text and not truth):
                continue  # a blank cell (_blank_cell, _str_cell)
            cell, convert = shaped[kind]  # KeyError: not a shape (Sheet._shape)
            value = str(int(truth)) if kind is bool else "%s"
            cells.append(cell.format(col=col, n="%s", v=value))  # (letters: no % or {})
            picks.append(row)
            if kind is not bool:
                picks.append(i)
            if convert is not None:
                self.converts.append((i, convert))
            if kind is text:
                texts.append(i)
        template = f'<row r="%s">{"".join(cells)}</row>'
        self.template: str | bytes = template.encode() if self.is_bytes else template
        self.pick = itemgetter(*picks)  # at least the row number's two
        # The row's texts, joined, for one regular-expression search.
        self.special = _special_bytes if self.is_bytes else SPECIAL.search
        self.texts: Callable[[Sequence[Any]], Any] | None = None
        empty = text()
        if len(texts) > 1:
            self.texts = lambda values, get=itemgetter(*texts): empty.join(get(values))
        elif texts:
            self.texts = itemgetter(texts[0])
