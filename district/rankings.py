"""Rankings across a district: plain functions on plain rows, no database.

Ranks are competition ranks (1, 2, 2, 4): a tie shares the better rank and the next rank
skips. A community without a value (not scorable, or a manual item nobody scored) is listed
last without a rank. Averages, spreads (极差, max − min) and standard deviations are exact
Decimals rounded half up to two places.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
TOTAL = "total"
CARD = "card:"
INDICATOR = "ind:"


@dataclass(frozen=True)
class Entry:
    """One community's figures of the year, as the rankings read them."""

    community_id: int
    name: str
    street_id: int
    street: str
    kind: str
    total: Decimal | None
    grade: str = ""
    cards: Mapping[str, Decimal] = field(default_factory=dict)
    indicators: Mapping[str, Decimal | None] = field(default_factory=dict)
    gaps: Mapping[str, str] = field(default_factory=dict)  # 还差… of each indicator missed


@dataclass(frozen=True)
class Ranked:
    rank: int | None  # among the entries shown (after the filters)
    district_rank: int | None  # among every community of the district
    value: Decimal | None
    entry: Entry


@dataclass(frozen=True)
class StreetLine:
    street_id: int
    street: str
    count: int  # communities
    scored: int  # communities with a total
    average: Decimal | None
    spread: Decimal | None  # 极差: best − worst
    deviation: Decimal | None  # 标准差 (population)
    grades: Mapping[str, int]
    rank: int | None = None


def round2(d: Decimal) -> Decimal:
    return d.quantize(CENT, rounding=ROUND_HALF_UP)


def value_of(key: str) -> Callable[[Entry], Decimal | None]:
    """The figure a ranking key reads: "total", "card:A" or "ind:A1"."""
    if key == TOTAL:
        return lambda e: e.total
    if key.startswith(CARD):
        code = key[len(CARD) :]
        return lambda e: e.cards.get(code) if e.total is not None else None
    if key.startswith(INDICATOR):
        code = key[len(INDICATOR) :]
        return lambda e: e.indicators.get(code) if e.total is not None else None
    raise ValueError(f"未知的排名依据：{key}")


def competition_ranks(values: Sequence[Decimal | None]) -> list[int | None]:
    """The rank of each value, higher first, ties sharing (1, 2, 2, 4); None has none."""
    present = sorted((v for v in values if v is not None), reverse=True)
    first: dict[Decimal, int] = {}
    for n, v in enumerate(present, start=1):
        first.setdefault(v, n)
    return [None if v is None else first[v] for v in values]


def select(
    entries: Iterable[Entry], *, street_id: int | None = None, kind: str | None = None
) -> list[Entry]:
    return [
        e
        for e in entries
        if (street_id is None or e.street_id == street_id) and (not kind or e.kind == kind)
    ]


def rank(
    entries: Sequence[Entry],
    key: str = TOTAL,
    *,
    street_id: int | None = None,
    kind: str | None = None,
) -> list[Ranked]:
    """The entries ranked by `key`, best first (ties by street, then name); those without a
    value last. Filtered by street and community kind, each row keeps its district rank."""
    of = value_of(key)
    everyone = list(entries)
    district = dict(
        zip(
            (e.community_id for e in everyone),
            competition_ranks([of(e) for e in everyone]),
            strict=True,
        )
    )
    shown = select(everyone, street_id=street_id, kind=kind)
    values = [of(e) for e in shown]
    ranks = competition_ranks(values)
    rows = [
        Ranked(r, district[e.community_id], v, e)
        for r, v, e in zip(ranks, values, shown, strict=True)
    ]
    rows.sort(key=lambda r: (r.rank is None, r.rank or 0, r.entry.street, r.entry.name))
    return rows


def top_and_bottom(rows: Sequence[Ranked], n: int = 10) -> tuple[list[Ranked], list[Ranked]]:
    """The first n ranked rows and the last n (worst last), rows without a value left out."""
    ranked = [r for r in rows if r.rank is not None]
    return ranked[:n], ranked[-n:]


def _stats(values: list[Decimal]) -> tuple[Decimal | None, Decimal | None, Decimal | None]:
    if not values:
        return None, None, None
    mean = sum(values, Decimal(0)) / len(values)
    variance = sum(((v - mean) ** 2 for v in values), Decimal(0)) / len(values)
    return round2(mean), round2(max(values) - min(values)), round2(variance.sqrt())


def street_lines(entries: Iterable[Entry], grades: Sequence[str]) -> list[StreetLine]:
    """Each street's count, average, spread, deviation and count per grade, ranked by
    average (competition ranks), streets without a scored community last."""
    by_street: dict[int, list[Entry]] = {}
    names: dict[int, str] = {}
    for e in entries:
        by_street.setdefault(e.street_id, []).append(e)
        names[e.street_id] = e.street
    lines = []
    for sid, mine in by_street.items():
        totals = [e.total for e in mine if e.total is not None]
        average, spread, deviation = _stats(totals)
        counts = {g: 0 for g in grades}
        for e in mine:
            if e.total is not None and e.grade:
                counts[e.grade] = counts.get(e.grade, 0) + 1
        lines.append(
            StreetLine(sid, names[sid], len(mine), len(totals), average, spread, deviation, counts)
        )
    ranks = competition_ranks([line.average for line in lines])
    out = [StreetLine(**{**line.__dict__, "rank": r}) for line, r in zip(lines, ranks, strict=True)]
    out.sort(key=lambda s: (s.rank is None, s.rank or 0, s.street))
    return out


def grade_counts(entries: Iterable[Entry], grades: Sequence[str]) -> dict[str, int]:
    counts = {g: 0 for g in grades}
    for e in entries:
        if e.total is not None and e.grade:
            counts[e.grade] = counts.get(e.grade, 0) + 1
    return counts


@dataclass(frozen=True)
class Weak:
    """An indicator district-wide: the share of its points the communities reach."""

    code: str
    name: str
    points: Decimal
    average: Decimal  # average points reached
    share: Decimal  # average / points, 0..1 (rounded to 0.01)
    missed: int  # communities below full points


def weakest(
    entries: Iterable[Entry], indicators: Mapping[str, tuple[str, Decimal]], n: int = 5
) -> list[Weak]:
    """The n indicators with the lowest share of points reached across the scored entries
    (`indicators`: code → (name, full points)); ties by code."""
    scored = [e for e in entries if e.total is not None]
    out = []
    for code, (name, points) in indicators.items():
        got = [e.indicators[code] for e in scored if e.indicators.get(code) is not None]
        if not got or not points:
            continue
        average = sum(got, Decimal(0)) / len(got)
        out.append(
            Weak(
                code,
                name,
                points,
                round2(average),
                round2(average / points),
                sum(1 for g in got if g < points),
            )
        )
    out.sort(key=lambda w: (w.share, w.code))
    return out[:n]
