"""The reporting board's rows, written in Python.

A street of 30 communities is 360 cells a year, each a state, a label and a link; written by
the template language they were 80 % of the page (each {% url %}, {% if %} and variable a
node render). This writes the markup of the template it replaces (compared in
tests/yearcycle/test_html.py), each value escaped as Django's autoescape does."""

from __future__ import annotations

from html import escape

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from . import board as b

DASH = "—"
MARKERS = (987654321, 987654322, 987654323)  # one reverse() per URL; the ids go in their place


def _e(value: object) -> str:
    return escape(str(value))


def _rate(value: float | None) -> str:
    """`{{ rate|default_if_none:"—" }}{% if rate is not None %}%{% endif %}`."""
    return DASH if value is None else f"{_e(value)}%"


def _pattern(name: str, markers: tuple[int, ...]) -> str:
    url = reverse(name, args=markers)
    for n, marker in enumerate(markers):
        url = url.replace(str(marker), f"{{{n}}}")
    return url


def board_rows(the_board: b.Board, *, may_submit: bool, year: int) -> SafeString:
    """The <tr>s of the board's body: a row per community, a cell per period."""
    if not the_board.rows:
        return mark_safe('<tr><td colspan="15">没有可查看的社区。</td></tr>')
    shown = _pattern("yearcycle:submission", MARKERS[:1])
    submit = _pattern("yearcycle:submit", MARKERS)
    out = []
    for row in the_board.rows:
        cells = []
        for c in row.cells:
            label = _e(c.label)
            if c.submission_pk:
                label = f'<a href="{_e(shown.format(c.submission_pk))}">{label}</a>'
            elif may_submit and c.state in (b.MISSING, b.OPEN):
                href = submit.format(row.community_id, year, c.period.number)
                label = f'<a href="{_e(href)}">{label}</a>'
            cells.append(f'<td class="cell state-{_e(c.state)}">{label}</td>')
        out.append(
            f'<tr><th class="community" scope="row">{_e(row.name)}</th>\n'
            f"    {''.join(cells)}\n"
            f'    <td class="num">{_rate(row.rates.reporting_rate)}</td>\n'
            f'    <td class="num">{_rate(row.rates.on_time_rate)}</td>\n'
            "  </tr>"
        )
    return mark_safe("\n".join(out))
