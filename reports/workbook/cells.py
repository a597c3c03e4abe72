"""Turning one workbook cell into a Python value, or a Chinese reason why it cannot be.

Pure functions over a cell's value and openpyxl data type ("f" formula, "e" error value,
"s" text, "n" number, "d" date, "b" logical), so they are cheap to test and reuse.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from .schema import INT_MAX, PARTNER_SEPARATORS, Kind, SheetColumn


class CellError(ValueError):
    """The cell's value is not acceptable; the message is shown to the user."""


_DATE_TEXT = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_SPLIT = re.compile("[" + re.escape(PARTNER_SEPARATORS) + "]")
DATE_HINT = "应为日期（Excel 日期单元格或 YYYY-MM-DD 文本）"


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def convert(column: SheetColumn, value: Any, data_type: str) -> Any:
    """The stored value of a cell; a blank optional cell gives the column's blank value."""
    if is_blank(value):
        if column.required:
            raise CellError("不能为空")
        return column.blank
    if data_type == "f":
        raise CellError("不支持公式，请粘贴为数值")
    if data_type == "e":
        raise CellError(f"单元格是错误值 {value}")
    if isinstance(value, bool):
        raise CellError("不支持逻辑值（TRUE/FALSE），请填写文字")
    if isinstance(value, str):
        value = value.strip()
    return _CONVERTERS[column.kind](column, value)


def as_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, float) and value.is_integer():
        # A code or phone typed as a number comes back as 1001.0.
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _text(column: SheetColumn, value: Any) -> str:
    text = as_text(value).strip()
    if column.max_length and len(text) > column.max_length:
        raise CellError(f"不能超过{column.max_length}个字")
    return text


def _number(value: Any, what: str) -> Decimal:
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        # repr is the shortest text that reads back as the same float: 12.3, not 12.2999…
        return Decimal(repr(value))
    if isinstance(value, str):
        try:
            number = Decimal(value)
        except InvalidOperation:
            raise CellError(f"应为{what}") from None
        if number.is_finite():
            return number
    raise CellError(f"应为{what}")


def _check_range(column: SheetColumn, number: int | Decimal) -> None:
    low, high = column.min_value, column.max_value
    if low is not None and high is not None and high != INT_MAX:
        if not low <= number <= high:
            raise CellError(f"应在{low}到{high}之间")
        return
    if low is not None:
        if column.min_exclusive and number <= low:
            raise CellError(f"应大于{low}")
        if number < low:
            raise CellError(f"不能小于{low}")
    if high is not None and number > high:
        raise CellError("数值过大")


def _int(column: SheetColumn, value: Any) -> int:
    number = _number(value, "整数")
    if number != number.to_integral_value():
        raise CellError("应为整数")
    result = int(number)
    _check_range(column, result)
    return result


def _decimal(column: SheetColumn, value: Any) -> Decimal:
    number = _number(value, "数字")
    if -min(0, number.normalize().as_tuple().exponent) > column.places:
        raise CellError(f"最多{column.places}位小数")
    _check_range(column, number)
    if column.max_digits and abs(number) >= Decimal(10) ** (column.max_digits - column.places):
        raise CellError("数值过大")
    return number.quantize(Decimal(1).scaleb(-column.places))


def _date(column: SheetColumn, value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        match = _DATE_TEXT.match(value)
        if match:
            try:
                return dt.date(*(int(part) for part in match.groups()))
            except ValueError:
                raise CellError(f"日期无效：{value}") from None
    raise CellError(DATE_HINT)


def _choice(column: SheetColumn, value: Any) -> Any:
    text = as_text(value).strip()
    choices = column.choices or {}
    if text not in choices:
        raise CellError("应为以下之一：" + "、".join(choices))
    return choices[text]


def _names(column: SheetColumn, value: Any) -> tuple[str, ...]:
    names: list[str] = []
    for part in _SPLIT.split(as_text(value)):
        name = part.strip()
        if name and name not in names:
            names.append(name)
    return tuple(names)


_CONVERTERS = {
    Kind.TEXT: _text,
    Kind.INT: _int,
    Kind.DECIMAL: _decimal,
    Kind.DATE: _date,
    Kind.CHOICE: _choice,
    Kind.NAMES: _names,
}
