"""The district ranking's rows, written in Python.

A district of 300 communities is 2,400 cells; written by the template language each
variable, filter and {% url %} is a node render (600 reverse() calls a page, a third of the
page's time once its scores come from the cache). This writes the same markup (compared in
tests/district/test_html.py with the template it replaces), each value escaped as Django's
autoescape does and each number as the template shows it.
"""

from __future__ import annotations

from decimal import Decimal
from html import escape

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from .rankings import Ranked

DASH = "—"


def _e(value: object) -> str:
    return escape(str(value))


def _number(value: Decimal | int | None) -> str:
    """`{{ value|default_if_none:"—" }}`: a Decimal in fixed notation, as localize() gives it."""
    if value is None:
        return DASH
    return f"{value:f}" if isinstance(value, Decimal) else _e(value)


def ranking_rows(rows: list[Ranked], *, with_total: bool, scorecard_query: str) -> SafeString:
    """The <tr>s of the community ranking; `with_total` adds the 总分 column (ranking by a
    card or an indicator)."""
    if not rows:
        return mark_safe(
            f'<tr><td colspan="{8 if with_total else 7}" class="muted">没有符合条件的社区。</td></tr>'
        )
    marker = 987654321  # one reverse(): the community's id is the only part that changes
    head, tail = reverse("dashboard:community", args=[marker]).split(str(marker), 1)
    query = _e(scorecard_query)
    out = []
    for r in rows:
        e = r.entry
        href = f"{_e(head)}{e.community_id}{_e(tail)}{query}"
        name = _e(e.name)
        total = f'<td class="num">{_number(e.total)}</td>' if with_total else ""
        out.append(
            "<tr>"
            f'<td class="num">{_number(r.rank)}</td>'
            f'<td class="num">{_number(r.district_rank)}</td>'
            f"<td>{_e(e.street)}</td>"
            f'<th scope="row"><a href="{href}">{name}</a></th>'
            f"<td>{_e(e.kind)}</td>"
            f'<td class="num"><a href="{href}" title="查看{name}的记分卡">{_number(r.value)}</a></td>'
            f"{total}<td>{_e(e.grade or DASH)}</td>"
            "</tr>"
        )
    return mark_safe("\n".join(out))
