"""Vector charts as SVG strings: the same code draws the dashboard and the annual PDF.

Pure functions from numbers to markup, no Django. Charts must read in black and white
(leaders print on office laser printers), so series differ by grey level *and* by a
hatch pattern, and every bar carries its value as text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

FONT = "'Noto Sans CJK SC','Noto Sans SC','PingFang SC','Microsoft YaHei',sans-serif"
# Grey levels and hatch patterns per series, distinguishable on a monochrome printout.
FILLS = ["#333333", "#8c8c8c", "#d0d0d0", "#5e5e5e", "#b0b0b0"]
PATTERNS = ["", "diag", "dots", "cross", "horiz"]


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float]


def _fmt(v: float) -> str:
    return f"{v:.0f}" if abs(v - round(v)) < 0.005 else f"{v:.2f}".rstrip("0").rstrip(".")


def _defs(uid: str) -> str:
    return (
        "<defs>"
        f'<pattern id="{uid}-diag" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        '<rect width="6" height="6" fill="#fff"/><line x1="0" y1="0" x2="0" y2="6" stroke="#333" stroke-width="2"/></pattern>'
        f'<pattern id="{uid}-dots" width="5" height="5" patternUnits="userSpaceOnUse">'
        '<rect width="5" height="5" fill="#fff"/><circle cx="2.5" cy="2.5" r="1.2" fill="#333"/></pattern>'
        f'<pattern id="{uid}-cross" width="6" height="6" patternUnits="userSpaceOnUse">'
        '<rect width="6" height="6" fill="#fff"/><path d="M0 3H6M3 0V6" stroke="#333" stroke-width="1"/></pattern>'
        f'<pattern id="{uid}-horiz" width="6" height="4" patternUnits="userSpaceOnUse">'
        '<rect width="6" height="4" fill="#fff"/><line x1="0" y1="2" x2="6" y2="2" stroke="#333" stroke-width="1"/></pattern>'
        "</defs>"
    )


def _fill(uid: str, i: int) -> str:
    p = PATTERNS[i % len(PATTERNS)]
    return f"url(#{uid}-{p})" if p else FILLS[i % len(FILLS)]


def _nice_max(v: float) -> float:
    if v <= 0:
        return 1.0
    for step in (1, 2, 2.5, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if v <= step * 5:
            return step * 5
    return v * 1.1


def bar_chart(
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    title: str = "",
    unit: str = "",
    width: int = 680,
    height: int = 300,
    max_value: float | None = None,
    target: float | None = None,
    target_label: str = "目标",
    uid: str = "c",
) -> str:
    """Grouped vertical bars, one group per label; an optional dashed target line."""
    left, right, top, bottom = 44, 12, 34 if title else 14, 58
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max([v for s in series for v in s.values] + [target or 0, 0])
    vmax = max_value or _nice_max(peak)
    n, k = max(len(labels), 1), max(len(series), 1)
    group_w = plot_w / n
    bar_w = max(min(group_w * 0.8 / k, 38), 2)

    def y(v: float) -> float:
        return top + plot_h - plot_h * min(v, vmax) / vmax

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" font-family="{FONT}" font-size="11" role="img" aria-label="{escape(title)}">',
        _defs(uid),
    ]
    if title:
        out.append(
            f'<text x="{width / 2}" y="18" text-anchor="middle" font-size="14" font-weight="bold">{escape(title)}</text>'
        )
    for i in range(6):
        v = vmax * i / 5
        yy = y(v)
        out.append(
            f'<line x1="{left}" y1="{yy:.1f}" x2="{width - right}" y2="{yy:.1f}" stroke="#ddd" stroke-width="0.6"/>'
        )
        out.append(
            f'<text x="{left - 4}" y="{yy + 4:.1f}" text-anchor="end" fill="#444">{_fmt(v)}</text>'
        )
    if unit:
        out.append(
            f'<text x="{left - 4}" y="{top - 14}" text-anchor="end" fill="#444">{escape(unit)}</text>'
        )
    for gi, label in enumerate(labels):
        gx = left + gi * group_w + (group_w - bar_w * k) / 2
        for si, s in enumerate(series):
            v = float(s.values[gi]) if gi < len(s.values) else 0.0
            x, yy = gx + si * bar_w, y(v)
            h = top + plot_h - yy
            out.append(
                f'<rect x="{x:.1f}" y="{yy:.1f}" width="{bar_w - 1:.1f}" height="{h:.1f}" '
                f'fill="{_fill(uid, si)}" stroke="#222" stroke-width="0.6"><title>{escape(label)} {escape(s.name)}: {_fmt(v)}</title></rect>'
            )
            if bar_w >= 14 or k == 1:
                out.append(
                    f'<text x="{x + (bar_w - 1) / 2:.1f}" y="{yy - 3:.1f}" text-anchor="middle" font-size="9">{_fmt(v)}</text>'
                )
        cx = left + gi * group_w + group_w / 2
        short = label.removesuffix("社区")
        out.append(
            f'<text x="{cx:.1f}" y="{top + plot_h + 14}" text-anchor="end" '
            f'transform="rotate(-35 {cx:.1f} {top + plot_h + 14})">{escape(short)}</text>'
        )
    out.append(
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" stroke="#222"/>'
    )
    if target is not None:
        ty = y(target)
        out.append(
            f'<line x1="{left}" y1="{ty:.1f}" x2="{width - right}" y2="{ty:.1f}" stroke="#000" stroke-width="1.2" stroke-dasharray="6 3"/>'
        )
        out.append(
            f'<text x="{width - right}" y="{ty - 4:.1f}" text-anchor="end" font-size="10">{escape(target_label)} {_fmt(target)}</text>'
        )
    if len(series) > 1:
        out.append(_legend(series, uid, left, height - 12))
    out.append("</svg>")
    return "".join(out)


def _legend(series: Sequence[Series], uid: str, x: float, y: float) -> str:
    parts = []
    for i, s in enumerate(series):
        parts.append(
            f'<rect x="{x:.1f}" y="{y - 9}" width="12" height="10" fill="{_fill(uid, i)}" stroke="#222" stroke-width="0.6"/>'
        )
        parts.append(f'<text x="{x + 16:.1f}" y="{y}">{escape(s.name)}</text>')
        x += 24 + 12 * len(s.name)
    return "".join(parts)


def line_chart(
    labels: Sequence[str],
    series: Sequence[Series],
    *,
    title: str = "",
    unit: str = "",
    width: int = 680,
    height: int = 260,
    uid: str = "l",
) -> str:
    """Lines over an ordered axis (months, years); markers differ in shape per series."""
    left, right, top, bottom = 44, 12, 34 if title else 14, 44
    plot_w, plot_h = width - left - right, height - top - bottom
    vmax = _nice_max(max([v for s in series for v in s.values] + [0]))
    n = max(len(labels), 2)

    def pt(i: int, v: float) -> tuple[float, float]:
        return left + plot_w * i / (n - 1), top + plot_h - plot_h * v / vmax

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" font-family="{FONT}" font-size="11" role="img" aria-label="{escape(title)}">'
    ]
    if title:
        out.append(
            f'<text x="{width / 2}" y="18" text-anchor="middle" font-size="14" font-weight="bold">{escape(title)}</text>'
        )
    for i in range(6):
        v = vmax * i / 5
        _, yy = pt(0, v)
        out.append(
            f'<line x1="{left}" y1="{yy:.1f}" x2="{width - right}" y2="{yy:.1f}" stroke="#ddd" stroke-width="0.6"/>'
        )
        out.append(
            f'<text x="{left - 4}" y="{yy + 4:.1f}" text-anchor="end" fill="#444">{_fmt(v)}</text>'
        )
    if unit:
        out.append(
            f'<text x="{left - 4}" y="{top - 14}" text-anchor="end" fill="#444">{escape(unit)}</text>'
        )
    for i, label in enumerate(labels):
        x, _ = pt(i, 0)
        out.append(
            f'<text x="{x:.1f}" y="{top + plot_h + 16}" text-anchor="middle">{escape(label)}</text>'
        )
    dashes = ["", "6 3", "2 2", "8 3 2 3"]
    for si, s in enumerate(series):
        pts = [pt(i, float(v)) for i, v in enumerate(s.values)]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in pts)
        dash = dashes[si % len(dashes)]
        out.append(
            f'<polyline points="{path}" fill="none" stroke="#222" stroke-width="1.6"'
            + (f' stroke-dasharray="{dash}"' if dash else "")
            + "/>"
        )
        for x, y in pts:
            if si % 2:
                out.append(
                    f'<rect x="{x - 3:.1f}" y="{y - 3:.1f}" width="6" height="6" fill="#fff" stroke="#222"/>'
                )
            else:
                out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="#222"/>')
    out.append(
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - right}" y2="{top + plot_h}" stroke="#222"/>'
    )
    if len(series) > 1:
        x = left
        for si, s in enumerate(series):
            dash = dashes[si % len(dashes)]
            out.append(
                f'<line x1="{x}" y1="{height - 8}" x2="{x + 18}" y2="{height - 8}" stroke="#222" stroke-width="1.6"'
                + (f' stroke-dasharray="{dash}"' if dash else "")
                + "/>"
            )
            out.append(f'<text x="{x + 22}" y="{height - 4}">{escape(s.name)}</text>')
            x += 34 + 12 * len(s.name)
    out.append("</svg>")
    return "".join(out)


def attainment_bars(
    rows: Sequence[tuple[str, float]], *, title: str = "", width: int = 680, uid: str = "h"
) -> str:
    """Horizontal bars of attainment in percent (0–100), one row per indicator or community."""
    row_h, left, right, top = 20, 150, 50, 30 if title else 8
    height = top + row_h * len(rows) + 10
    plot_w = width - left - right
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" font-family="{FONT}" font-size="11" role="img" aria-label="{escape(title)}">',
        _defs(uid),
    ]
    if title:
        out.append(
            f'<text x="{width / 2}" y="18" text-anchor="middle" font-size="14" font-weight="bold">{escape(title)}</text>'
        )
    for i, (label, pct) in enumerate(rows):
        y = top + i * row_h
        pct = max(0.0, min(float(pct), 100.0))
        fill = FILLS[0] if pct >= 100 else (_fill(uid, 1) if pct >= 60 else _fill(uid, 2))
        out.append(f'<text x="{left - 6}" y="{y + 14}" text-anchor="end">{escape(label)}</text>')
        out.append(
            f'<rect x="{left}" y="{y + 3}" width="{plot_w}" height="{row_h - 6}" fill="#fff" stroke="#999" stroke-width="0.5"/>'
        )
        out.append(
            f'<rect x="{left}" y="{y + 3}" width="{plot_w * pct / 100:.1f}" height="{row_h - 6}" fill="{fill}" stroke="#222" stroke-width="0.6"/>'
        )
        out.append(f'<text x="{left + plot_w + 4}" y="{y + 14}">{_fmt(pct)}%</text>')
    out.append("</svg>")
    return "".join(out)
