"""The rules of 点单配送 as plain functions (no database): quota allocation, what refuses an
order, which bookings conflict, the season of a product."""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import TypeVar

K = TypeVar("K", bound=Hashable)

SEASON_MONTHS = {0: range(1, 13), 1: range(1, 4), 2: range(4, 7), 3: range(7, 10), 4: range(10, 13)}
SEASON_LABELS = {0: "全年", 1: "一季度", 2: "二季度", 3: "三季度", 4: "四季度"}


# ------------------------------------------------------------------ quotas


class QuotaRule:
    EQUAL = "equal"
    POPULATION = "population"
    RATING = "rating"
    MANUAL = "manual"
    LABELS = {
        EQUAL: "平均分配",
        POPULATION: "按常住人口",
        RATING: "按上年星级",
        MANUAL: "人工设定",
    }


def allocate(
    total: int, weights: Mapping[K, int | float | Decimal], order: Sequence[K]
) -> dict[K, int]:
    """Share `total` orders among communities in proportion to their weights.

    Largest remainder (Hamilton): everyone gets the whole part of their share, the places
    left over go to the largest remainders; equal remainders go to the earlier key in
    `order`. The shares always add up to `total` exactly. All weights zero → equal shares.
    """
    if total < 0:
        raise ValueError("总次数不能为负数。")
    if not order:
        return {}
    exact = {k: Fraction(weights.get(k, 0)) for k in order}
    if any(w < 0 for w in exact.values()):
        raise ValueError("权重不能为负数。")
    if sum(exact.values()) == 0:
        exact = {k: Fraction(1) for k in order}
    whole = sum(exact.values())
    shares = {k: exact[k] * total / whole for k in order}
    result = {k: int(shares[k]) for k in order}
    left = total - sum(result.values())
    rank = sorted(order, key=lambda k: (-(shares[k] - result[k]), order.index(k)))
    for k in rank[:left]:
        result[k] += 1
    return result


def rating_weight(stars: int | None) -> int:
    """Last year's 星级 as the weight of the rating rule; an unrated community counts as 1 star,
    so it still gets its share of a large enough total."""
    return stars if stars and stars > 0 else 1


# ------------------------------------------------------------------ ordering


@dataclass(frozen=True)
class OrderFacts:
    """What is known when a cadre orders: the product, the community's year, the date."""

    product_status: str  # draft / published / withdrawn
    product_year: int
    product_season: int
    sessions: int
    sessions_taken: int  # active orders of the product in its year
    product_booked_on_date: bool  # the product already has an active order that day
    unit_price: Decimal
    quota_orders: int | None  # None: no quota set for the year
    quota_used: int  # active orders of the community in the year
    budget: Decimal | None
    budget_used: Decimal
    date: dt.date
    today: dt.date


def order_refusals(f: OrderFacts) -> list[str]:
    """Every reason the order is refused, in Chinese (empty: it may be placed)."""
    reasons: list[str] = []
    if f.product_status == "withdrawn":
        reasons.append("该产品已下架，不能点单。")
    elif f.product_status != "published":
        reasons.append("该产品尚未发布，不能点单。")
    if f.date < f.today:
        reasons.append(f"希望日期 {f.date:%Y-%m-%d} 已经过去，请选择今天以后的日期。")
    if f.date.year != f.product_year or f.date.month not in SEASON_MONTHS[f.product_season]:
        reasons.append(
            f"该产品只在 {f.product_year} 年{SEASON_LABELS[f.product_season]}配送，"
            f"{f.date:%Y-%m-%d} 不在配送时段内。"
        )
    if f.sessions_taken >= f.sessions:
        reasons.append(f"该产品 {f.product_year} 年的 {f.sessions} 场已全部约满，没有剩余场次。")
    elif f.product_booked_on_date:
        reasons.append(f"该产品 {f.date:%Y-%m-%d} 已有安排，当天没有剩余场次，请换一天。")
    if f.quota_orders is None:
        reasons.append(f"街道尚未设定本社区 {f.product_year} 年的配送额度，暂不能点单。")
    elif f.quota_used >= f.quota_orders:
        reasons.append(
            f"本社区 {f.product_year} 年的配送额度为 {f.quota_orders} 次，"
            f"已用 {f.quota_used} 次（含待确认、已排期和已配送），超出额度。"
        )
    if f.budget is not None and f.budget_used + f.unit_price > f.budget:
        reasons.append(
            f"本社区 {f.product_year} 年的配送预算为 {f.budget} 元，已用 {f.budget_used} 元，"
            f"该产品单价 {f.unit_price} 元，超出预算。"
        )
    return reasons


# ------------------------------------------------------------------ scheduling


@dataclass(frozen=True)
class Booking:
    key: int
    provider: Hashable
    date: dt.date
    start: dt.time | None
    end: dt.time | None


def overlaps(a: Booking, b: Booking) -> bool:
    """Same day and overlapping time; a booking without a time takes the whole day."""
    if a.date != b.date:
        return False
    if None in (a.start, a.end, b.start, b.end):
        return True
    return a.start < b.end and b.start < a.end


def conflicts(bookings: Iterable[Booking]) -> set[int]:
    """Keys of bookings that overlap another booking of the same provider."""
    by_provider: dict[Hashable, list[Booking]] = {}
    for b in bookings:
        by_provider.setdefault((b.provider, b.date), []).append(b)
    found: set[int] = set()
    for group in by_provider.values():
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                if overlaps(a, b):
                    found.update((a.key, b.key))
    return found


def end_time(start: dt.time, minutes: int) -> dt.time:
    """The end of a session starting at `start`, capped at 23:59 (a session never runs past
    midnight in the calendar)."""
    moment = dt.datetime.combine(dt.date(2000, 1, 1), start) + dt.timedelta(minutes=minutes)
    if moment.date() > dt.date(2000, 1, 1):
        return dt.time(23, 59)
    return moment.time()


def fulfilment_rate(delivered: int, settled: int) -> float | None:
    """已配送 ÷ the orders that have reached an end (配送, 未配送, 拒绝, 取消)."""
    return delivered / settled if settled else None
