"""The district ranking's rows written in Python (district/html.py) are the markup the
template wrote: escaped names, "—" for a missing value, Decimals in fixed notation, one link
per community to its scorecard of the year."""

from __future__ import annotations

from decimal import Decimal

from django.template import Context, Template
from django.urls import reverse

from district.html import ranking_rows
from district.rankings import Entry, Ranked

# The loop as templates/district/rankings.html had it before district/html.py.
TEMPLATE = Template(
    """{% for r in rows %}<tr><td class="num">{{ r.rank|default_if_none:"—" }}</td>"""
    """<td class="num">{{ r.district_rank|default_if_none:"—" }}</td><td>{{ r.entry.street }}</td>"""
    """<th scope="row"><a href="{% url 'dashboard:community' r.entry.community_id %}{{ q }}">"""
    """{{ r.entry.name }}</a></th><td>{{ r.entry.kind }}</td><td class="num"><a href="{% url """
    """'dashboard:community' r.entry.community_id %}{{ q }}" title="查看{{ r.entry.name }}的记分卡">"""
    """{{ r.value|default_if_none:"—" }}</a></td>{% if with_total %}<td class="num">"""
    """{{ r.entry.total|default_if_none:"—" }}</td>{% endif %}<td>{{ r.entry.grade|default:"—" }}"""
    """</td></tr>{% endfor %}"""
)


def _rows() -> list[Ranked]:
    a = Entry(7, "三叉<社区>", 2, "四季青&街道", "回迁", Decimal("125.50"), "优秀")
    b = Entry(9, '常青"社区"', 2, "四季青&街道", "", None, "")
    c = Entry(12, "景芳社区", 3, "凯旋街道", "老旧小区", Decimal("1E+2"), "良好")
    return [
        Ranked(1, 1, Decimal("12.25"), a),
        Ranked(2, 3, Decimal("0.00"), c),
        Ranked(None, None, None, b),
    ]


def test_rows_are_the_templates_markup_with_and_without_the_total():
    for with_total in (False, True):
        ours = ranking_rows(_rows(), with_total=with_total, scorecard_query="?year=2026&x=<")
        theirs = TEMPLATE.render(
            Context({"rows": _rows(), "q": "?year=2026&x=<", "with_total": with_total})
        )
        assert ours.replace("\n", "") == theirs


def test_a_row_links_to_the_community_scorecard_of_the_year_and_escapes_names():
    html = ranking_rows(_rows(), with_total=True, scorecard_query="?year=2026")
    assert f'href="{reverse("dashboard:community", args=[7])}?year=2026"' in html
    assert "三叉&lt;社区&gt;" in html and "三叉<社区>" not in html
    assert '<td class="num">100</td>' in html  # 1E+2 as the template showed it
    assert html.count("<tr>") == 3


def test_no_row_says_so_across_the_table():
    assert 'colspan="7"' in ranking_rows([], with_total=False, scorecard_query="")
    assert 'colspan="8"' in ranking_rows([], with_total=True, scorecard_query="")
