"""还差…: what a community lacks, in the records' own terms, to reach full points on an
indicator and to reach the next grade. Plain functions (no Django), tested without a database.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from . import rules


@dataclass(frozen=True)
class Phrases:
    """A metric's wording of a shortfall; {n} is the missing amount."""

    gap: str = ""
    gap_extra: str = ""
    gap_none: str = ""


def fmt(x: rules.Number) -> str:
    """A number as people write it: 35, 12.5, 0.25 (at most 2 decimals, no trailing zeros)."""
    if type(x) is Fraction and x.denominator == 1:
        x = x.numerator  # a whole Fraction hashes slowly; its int is the same number
    return _fmt(x)


@functools.lru_cache(maxsize=8192, typed=True)  # pure, and called for every cell of every dashboard
def _fmt(x: rules.Number) -> str:
    d = rules.to_points(x)
    if d == d.to_integral_value():
        return str(int(d))
    return format(d.normalize(), "f")


def _short(template: str, n: Fraction, **extra: Any) -> str:
    return template.format(n=fmt(n), **extra) if n > 0 and template else ""


def _join(*texts: str) -> str:
    return "，".join(t for t in texts if t)


def indicator_gap(
    *,
    rule: str,
    params: Mapping[str, Any],
    value: rules.Number,
    parts: Mapping[str, Any],
    population: int | None,
    points: Decimal,
    max_points: rules.Number,
    phrases: Phrases,
) -> str:
    """What is missing for full points on a computed indicator ("" at full points)."""
    if type(points) is Decimal and type(max_points) is Decimal:
        full = points >= max_points  # exact, and cheaper than as Fractions
    else:
        full = rules.exact(points) >= rules.exact(max_points)
    if full:
        return ""
    v = rules.exact(value)
    if rule == "proportional":
        return _short(phrases.gap, rules.exact(params["target"]) - v)
    if rule == "per_capita":
        needed = (
            rules.exact(population or 0)
            * rules.exact(params["target"])
            / rules.exact(params["per"])
        )
        return _short(phrases.gap, Fraction(math.ceil(needed)) - v)
    if rule == "capped_multiple":
        return _short(phrases.gap, rules.exact(params["cap"]) - v)
    if rule == "presence":
        return _short(phrases.gap, rules.exact(params.get("minimum", 1)) - v)
    if rule == "per_item":
        present = parts.get("present") or [False] * len(params.get("items", []))
        missing = [
            item["label"]
            for item, ok in zip(params.get("items", []), present, strict=False)
            if not ok
        ]
        return phrases.gap.format(items="、".join(missing)) if missing else ""
    if rule == "two_part":
        return _join(
            _short(phrases.gap, rules.exact(params["target"]) - v),
            _short(
                phrases.gap_extra,
                rules.exact(params["excellent_target"]) - rules.exact(parts.get("excellent", 0)),
            ),
        )
    if rule == "ratio":
        whole = rules.exact(parts.get("total", 0))
        if whole == 0:
            return phrases.gap_none
        return _short(phrases.gap, whole - v)
    if rule == "star":
        target = parts.get("target")
        target = params["default_target"] if target is None else target
        return phrases.gap.format(target=target, value=fmt(v))
    return ""


def manual_gap(
    *, scored: bool, points: Decimal | None, max_points: rules.Number, self_score: Decimal | None
) -> str:
    """A manual item: unscored says so (never silently full or zero)."""
    if not scored:
        return "待考评" + (
            f"（自评{fmt(self_score)}分）" if self_score is not None else "（未自评）"
        )
    if points is not None and rules.exact(points) < rules.exact(max_points):
        return f"考评扣{fmt(rules.exact(max_points) - rules.exact(points))}分"
    return ""


def grade_gap(total: rules.Number, bands: Sequence[tuple[str, rules.Number]], veto: bool) -> str:
    """ "距良好还差12.5分"; "" at the top band; a veto cannot be made up by points."""
    if veto:
        lowest = min(bands, key=lambda b: rules.exact(b[1]))[0] if bands else "不合格"
        return f"一票否决，等次为{lowest}"
    nxt = rules.next_band(total, bands)
    if nxt is None:
        return ""
    name, missing = nxt
    return f"距{name}还差{fmt(missing)}分"
