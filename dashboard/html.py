"""The street dashboard's repeated markup, written in Python.

A street of 30 communities has about a thousand table cells, pace lines and alerts; written
by the template language each variable, tag and filter is a node render (15,000 a page,
about as long as scoring the street). These functions write the same markup directly, each
value escaped with html.escape (what Django's autoescape does: & < > " ' become entities).
The templates keep the page's structure; only the loops' bodies are here.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from assessments import alerts as alert_rules

from .rows import CommunityRow, PaceLine


def _e(value: object) -> str:
    return escape(str(value))


def street_rows(rows: list[CommunityRow], columns: int, drill_query: str) -> SafeString:
    """The rows of the street table (`columns`: its header cells, the grade's excluded)."""
    if not rows:
        return mark_safe(
            f'<tr><td colspan="{columns + 1}" class="muted">该街道还没有社区。</td></tr>'
        )
    # One reverse() for every row: the community's id is the URL's only part that changes.
    marker = 987654321
    url = reverse("dashboard:community", args=[marker])
    head, tail = url.split(str(marker), 1)
    drill = _e(drill_query)
    out = []
    for r in rows:
        name = _e(r.name)
        link = (
            f'<th scope="row"><a href="{_e(head)}{r.community_id}{_e(tail)}{drill}">{name}</a></th>'
        )
        if r.error:
            out.append(
                f'<tr class="error" data-community="{name}">{link}'
                f'<td colspan="{columns - 1}" class="wrap">{_e(r.error)}</td><td></td></tr>'
            )
            continue
        cards = "".join(f'<td class="num">{_e(v)}</td>' for v in r.card_texts)
        cells = "".join(c.street_td for c in r.cells)
        gap = f' <span class="muted">{_e(r.grade_gap)}</span>' if r.grade_gap else ""
        out.append(
            f'<tr data-community="{name}">{link}'
            f'<td class="num">{_e(r.rank)}</td>'
            f'<td class="num"><strong>{_e(r.total_text)}</strong></td>'
            f"{cards}{cells}<td>{_e(r.grade or '—')}{gap}</td></tr>"
        )
    return mark_safe("\n".join(out))


def _pace_td(p: PaceLine, provisional: bool) -> str:
    due = f" · 应达 {_e(p.expected)}" if provisional else ""
    behind_by = p.behind_by
    behind = f" · 落后 {_e(behind_by)}" if behind_by else ""
    advice = p.advice
    advice_html = f' <span class="sub">{_e(advice)}</span>' if advice else ""
    return (
        f'<td class="cell st-{_e(p.status)}">'
        f"<strong>{_e(p.value)}</strong> / {_e(p.target)} {_e(p.unit)}"
        f'<span class="mk" aria-hidden="true">{_e(p.mark)}</span> '
        f'<span class="sub">{_e(p.label)}{due}{behind}</span>{advice_html}</td>'
    )


def pace_rows(rows: list[CommunityRow], columns: int, provisional: bool) -> SafeString:
    """The rows of the street's pace table (`columns`: the paced indicators)."""
    out = []
    for r in rows:
        if r.error:
            body = f'<td colspan="{columns}" class="wrap">无法计分：缺少常住人口</td>'
        else:
            body = "".join(_pace_td(p, provisional) for p in r.pace)
        out.append(f'<tr><th scope="row">{_e(r.name)}</th>{body}</tr>')
    return mark_safe("\n".join(out))


def alert_items(items: Iterable[alert_rules.Alert], with_community: bool) -> SafeString:
    """The list items of one group of alerts (the community named on a street's page)."""
    out = []
    for a in items:
        sev = "逾期" if a.severity == "bad" else "注意"
        subject = f'<a href="{_e(a.url)}">{_e(a.subject)}</a>' if a.url else _e(a.subject)
        where = f"{_e(a.community)} · " if with_community else ""
        out.append(
            f'<li><span class="sev badge {_e(a.severity)}">{sev}</span> '
            f'<span class="what">{where}{subject}</span> '
            f'<span class="a-msg">{_e(a.message)}</span></li>'
        )
    return mark_safe("\n".join(out))
