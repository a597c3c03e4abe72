"""The reporting board's rows written in Python (yearcycle/html.py) are the markup the
template wrote: each state's cell, a link to a submission, a link to submit a missing or open
period for those who may, escaped names and labels, "—" for a rate not owed yet."""

from __future__ import annotations

import datetime as dt

from django.template import Context, Template

from reporting.rules import Period
from yearcycle import board as b
from yearcycle.html import board_rows

# The loop as templates/yearcycle/board.html had it before yearcycle/html.py.
TEMPLATE = Template(
    """{% for row in board.rows %}
  <tr><th class="community" scope="row">{{ row.name }}</th>
    {% for c in row.cells %}<td class="cell state-{{ c.state }}">{% if c.submission_pk %}"""
    """<a href="{% url 'yearcycle:submission' c.submission_pk %}">{{ c.label }}</a>"""
    """{% elif may_submit and c.state == "missing" or may_submit and c.state == "open" %}"""
    """<a href="{% url 'yearcycle:submit' row.community_id year c.period.number %}">"""
    """{{ c.label }}</a>{% else %}{{ c.label }}{% endif %}</td>{% endfor %}
    <td class="num">{{ row.rates.reporting_rate|default_if_none:"—" }}"""
    """{% if row.rates.reporting_rate is not None %}%{% endif %}</td>
    <td class="num">{{ row.rates.on_time_rate|default_if_none:"—" }}"""
    """{% if row.rates.on_time_rate is not None %}%{% endif %}</td>
  </tr>
  {% empty %}<tr><td colspan="15">没有可查看的社区。</td></tr>
  {% endfor %}"""
)

Y = 2025


def _board() -> b.Board:
    p = [Period(Y, n) for n in (1, 2, 3, 4)]
    due = dt.date(Y, 2, 10)
    cells = [
        b.Cell(p[0], b.APPROVED, due, 0, 41, True),
        b.Cell(p[1], b.SUBMITTED, due, 3, 42, True),  # late: "（迟报3天）"
        b.Cell(p[2], b.MISSING, due, 12, None, True),
        b.Cell(p[3], b.OPEN, due),
    ]
    rows = [
        b.Row(7, "三叉<社区>&", cells, b.Rates(3, 2, 1)),
        b.Row(9, '常青"社区"', [b.Cell(x, b.FUTURE, due) for x in p], b.Rates()),
    ]
    return b.Board(Y, p, rows, [b.Rates()] * 4, b.Rates())


def _normal(html: str) -> str:
    return "\n".join(line.strip() for line in html.strip().splitlines() if line.strip())


def test_rows_are_the_templates_markup_for_who_may_submit_and_who_may_not():
    for may_submit in (True, False):
        ours = board_rows(_board(), may_submit=may_submit, year=Y)
        theirs = TEMPLATE.render(Context({"board": _board(), "may_submit": may_submit, "year": Y}))
        assert _normal(ours) == _normal(theirs)
    html = board_rows(_board(), may_submit=True, year=Y)
    assert "三叉&lt;社区&gt;&amp;" in html and "66.7%" in html and "—" in html
    assert 'href="/yearcycle/submissions/41/"' in html and "/yearcycle/submit/7/2025/3/" in html
    assert "/yearcycle/submit/" not in board_rows(_board(), may_submit=False, year=Y)


def test_no_row_says_so_across_the_table():
    empty = b.Board(Y, [], [], [], b.Rates())
    ours = board_rows(empty, may_submit=True, year=Y)
    assert _normal(ours) == _normal(TEMPLATE.render(Context({"board": empty, "year": Y})))
