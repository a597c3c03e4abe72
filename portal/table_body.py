"""The <tbody> of a list table written in Python.

tables2's template draws every cell through the template engine: a `{% for %}` over the
row's items, the column's `attrs` rebuilt per cell (a dict of computed values, sorted
classes), `{{ cell }}` resolved through the template's variable lookup. That was more than
half of a list page's time. This writes the same markup (tests/portal/test_table_body.py
compares it with tables2's own template, table by table) with the cell values still made
by tables2 (`BoundRow.get_cell`: accessors, choices' labels, render_FOO, links) — only the
loop and the attributes move to Python. A column whose `td` attributes are computed from the
record (a callable) still gets them per cell, the way tables2 does.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.template.base import render_value_in_context
from django.template.context import Context
from django.templatetags.l10n import localize, unlocalize
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe


def _has_callable(attrs: Any) -> bool:
    if callable(attrs):
        return True
    if isinstance(attrs, dict):
        return any(_has_callable(v) for v in attrs.values())
    return False


def _td_source(column: Any) -> Any:
    """The td attributes as declared (before computing), the way BoundColumn.attrs reads
    them: the column's over the table's, `td` over `cell`."""
    attrs = dict(column._table.attrs)
    attrs.update(dict(column.column.attrs))
    return attrs.get("td", attrs.get("cell", {}))


def _td_attrs(column: Any, record: Any, value: Any) -> str:
    column.current_record = record
    column.current_value = value
    return column.attrs["td"].as_html()


def _cell_html(column: Any, value: Any, context: Context) -> str:
    if column.localize is None:
        return render_value_in_context(value, context)
    shown = localize(value) if column.localize else unlocalize(value)
    return render_value_in_context(shown, context)


def tbody(table: Any, context: Context) -> SafeString:
    columns = list(table.columns)
    # Per column: its td attributes once, unless they depend on the record.
    fixed: list[str | None] = []
    for column in columns:
        if _has_callable(_td_source(column)):
            fixed.append(None)
        else:
            column.current_record = column.current_value = None
            fixed.append(column.attrs["td"].as_html())
    tbody_attrs = table.attrs.get("tbody")
    parts: list[str] = [
        f"<tbody {tbody_attrs.as_html() if hasattr(tbody_attrs, 'as_html') else ''}>"
    ]
    rows: Iterable[Any] = table.paginated_rows
    empty = True
    for row in rows:
        empty = False
        parts.append(f"<tr {row.attrs.as_html()}>")
        record = row.record
        for column, td in zip(columns, fixed, strict=True):
            value = row.get_cell(column.name)
            attrs = td if td is not None else _td_attrs(column, record, value)
            parts.append(f"<td {attrs}>{_cell_html(column, value, context)}</td>")
        parts.append("</tr>")
    if empty and table.empty_text:
        parts.append(
            format_html('<tr><td colspan="{}">{}</td></tr>', len(columns), table.empty_text)
        )
    parts.append("</tbody>")
    return mark_safe("".join(parts))  # every value above is escaped by render_value_in_context
