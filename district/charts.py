"""Small multiples of the district pages: one tiny bar per community, best first, on a
scale shared by every street so that the charts compare at a glance (inline SVG)."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from django.utils.html import escape

WIDTH, HEIGHT = 220, 70
FILL = "#2e86c1"


def strip_chart(
    totals: Sequence[Decimal],
    scale: Decimal,
    bands: Sequence[tuple[str, Decimal]],
    *,
    label: str,
) -> str:
    """Bars of `totals` (sorted by the caller) against `scale`, with the grade thresholds
    as dashed lines; an empty chart says so."""
    top, bottom = 6, 4
    plot = HEIGHT - top - bottom
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" role="img" aria-label="{escape(label)}">',
        f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#fafafa" stroke="#ccc"/>',
    ]
    if not totals or not scale:
        out.append(
            f'<text x="{WIDTH / 2}" y="{HEIGHT / 2 + 4}" text-anchor="middle" font-size="11" '
            'fill="#666">无可计分社区</text></svg>'
        )
        return "".join(out)

    def y(v: Decimal) -> float:
        return top + plot - plot * float(min(max(v, Decimal(0)), scale) / scale)

    step = (WIDTH - 8) / len(totals)
    for n, v in enumerate(totals):
        x = 4 + n * step
        out.append(
            f'<rect x="{x:.1f}" y="{y(v):.1f}" width="{max(step - 1, 1):.1f}" '
            f'height="{top + plot - y(v):.1f}" fill="{FILL}"><title>{escape(str(v))}</title></rect>'
        )
    for name, threshold in bands:
        if threshold <= 0:
            continue
        ty = y(threshold)
        out.append(
            f'<line x1="0" y1="{ty:.1f}" x2="{WIDTH}" y2="{ty:.1f}" stroke="#555" '
            f'stroke-width="0.6" stroke-dasharray="3 2"><title>{escape(name)} {threshold}</title></line>'
        )
    out.append("</svg>")
    return "".join(out)
