"""Excel downloads of the list pages, written by the streaming writer (portal.xlsx)."""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote

from django.http import HttpResponse
from django.utils import timezone
from django.utils.functional import Promise

from .tables import EMPTY
from .xlsx import StreamingWorkbook

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(
    rows: Iterable[list[Any]], *, title: str, sheet: str | None = None
) -> HttpResponse:
    """An .xlsx download of `rows` (first row = headers) named like 设施_2026-11-22.xlsx.

    Written by the streaming writer: text typed by users stays text in the reader's Excel
    (a leading "=" is never a live formula) and characters Excel refuses are dropped."""
    rows = iter(rows)
    headers = [str(h) for h in next(rows, [])]
    buffer = io.BytesIO()
    with StreamingWorkbook(buffer) as book:
        worksheet = book.add_sheet(_sheet_name(sheet or title), headers)
        for row in rows:
            worksheet.append([_export_value(v) for v in row])
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = attachment_header(
        f"{title}_{timezone.localdate().isoformat()}.xlsx"
    )
    return response


def xlsx_sheets_response(
    sheets: Iterable[tuple[str, Iterable[list[Any]]]], *, title: str
) -> HttpResponse:
    """Like xlsx_response, with several sheets: (sheet name, rows with the headers first)."""
    buffer = io.BytesIO()
    with StreamingWorkbook(buffer) as book:
        for name, rows in sheets:
            rows = iter(rows)
            worksheet = book.add_sheet(_sheet_name(name), [str(h) for h in next(rows, [])])
            for row in rows:
                worksheet.append([_export_value(v) for v in row])
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = attachment_header(f"{title}.xlsx")
    return response


def _sheet_name(name: str) -> str:
    return re.sub(r"[\[\]:*?/\\]", "_", str(name))[:31] or "Sheet1"


def _export_value(value: Any) -> Any:
    if value == EMPTY or value == "":
        return None
    if isinstance(value, Promise):  # a lazy translation
        return str(value)
    return value


def attachment_header(filename: str) -> str:
    """Content-Disposition with an ASCII fallback and the real name per RFC 5987/6266."""
    fallback = re.sub(r"[^A-Za-z0-9._-]+", "_", filename).strip("_") or "download"
    if not re.search(r"[A-Za-z0-9]", fallback.rsplit(".", 1)[0]):
        fallback = "export" + (("." + filename.rsplit(".", 1)[1]) if "." in filename else "")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"
