"""Building standard workbooks in tests: {sheet: [rows]} → .xlsx bytes.

Rows are dicts keyed by header (missing headers are blank cells) or plain lists in header
order. Values go into cells as given: a date becomes an Excel date cell, "=…" a formula.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

from openpyxl import Workbook, load_workbook

from reports.workbook.schema import SHEET_BY_NAME

STREET = "测试街道"


def build(
    sheets: dict[str, list[dict[str, Any] | list[Any]]],
    headers: dict[str, list[str]] | None = None,
) -> io.BytesIO:
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        names = (headers or {}).get(name) or SHEET_BY_NAME[name].headers
        sheet.append(names)
        for row in rows:
            sheet.append([row.get(h) for h in names] if isinstance(row, dict) else list(row))
    out = io.BytesIO()
    book.save(out)
    out.seek(0)
    return out


def community(name: str = "一社区", year: int = 2014, **values: Any) -> dict[str, Any]:
    return {
        "街道": STREET,
        "社区": name,
        "年度": year,
        "常住人口": 5000,
        "户数": 1800,
        "社区类型": "普通",
    } | values


def at(name: str = "一社区", **values: Any) -> dict[str, Any]:
    """A row of any sheet that names 街道 and 社区."""
    return {"街道": STREET, "社区": name} | values


def facility(**values: Any) -> dict[str, Any]:
    return (
        at(
            设施名称="文化活动室",
            设施类型="文化活动室",
            **{"面积(平方米)": 120},
            状态="在用",
            启用日期=dt.date(2012, 1, 1),
        )
        | values
    )


def team(**values: Any) -> dict[str, Any]:
    return at(团队名称="舞蹈队", 类别="文化", 成立日期=dt.date(2012, 3, 1)) | values


def activity(**values: Any) -> dict[str, Any]:
    return (
        at(
            活动名称="广场舞比赛",
            活动日期=dt.date(2014, 5, 1),
            类别="文化",
            规模="中型",
            审核状态="已审核",
        )
        | values
    )


def volunteer(**values: Any) -> dict[str, Any]:
    return at(人员编号="P001", 姓名="张三", 注册日期=dt.date(2013, 1, 1)) | values


def instructor(**values: Any) -> dict[str, Any]:
    return (
        at(人员编号="P001", 姓名="张三", 等级="三级", 证书编号="Z001", 发证日期=dt.date(2013, 1, 1))
        | values
    )


def cadre(**values: Any) -> dict[str, Any]:
    return (
        at(人员编号="P001", 姓名="张三", 职务="文体管理员", 任职日期=dt.date(2014, 1, 1)) | values
    )


def member(**values: Any) -> dict[str, Any]:
    return at(团队名称="舞蹈队", 人员编号="P001", 姓名="张三") | values


def read_back(data: bytes | io.BytesIO) -> dict[str, list[tuple]]:
    """Every sheet's rows as values (for asserting on exports)."""
    stream = io.BytesIO(data) if isinstance(data, bytes) else data
    book = load_workbook(stream)
    return {ws.title: list(ws.iter_rows(values_only=True)) for ws in book.worksheets}
