"""The pure rules of 点单配送: quota allocation, refusals, conflicts (no database)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from delivery import rules

D = dt.date
T = dt.time
OK = rules.OrderFacts(
    product_status="published",
    product_year=2026,
    product_season=0,
    sessions=3,
    sessions_taken=0,
    product_booked_on_date=False,
    unit_price=Decimal("500"),
    quota_orders=2,
    quota_used=0,
    budget=None,
    budget_used=Decimal(0),
    date=D(2026, 7, 1),
    today=D(2026, 6, 10),
)


def test_allocate_equal_shares_the_remainder_in_order():
    assert rules.allocate(10, dict.fromkeys("abc", 1), list("abc")) == {"a": 4, "b": 3, "c": 3}


def test_allocate_by_weight_largest_remainder():
    # 12 by 5000/3000/2000: exact shares 6, 3.6, 2.4 → 6, 4, 2
    assert rules.allocate(12, {"a": 5000, "b": 3000, "c": 2000}, list("abc")) == {
        "a": 6,
        "b": 4,
        "c": 2,
    }


def test_allocate_all_zero_weights_is_equal():
    assert rules.allocate(4, {"a": 0, "b": 0}, ["a", "b"]) == {"a": 2, "b": 2}


def test_rating_weight_unrated_counts_one_star():
    assert [rules.rating_weight(s) for s in (None, 0, 3, 5)] == [1, 1, 3, 5]


@given(
    total=st.integers(0, 500),
    weights=st.lists(st.integers(0, 10_000), min_size=1, max_size=12),
)
def test_allocate_always_adds_up_and_follows_the_weights(total, weights):
    keys = list(range(len(weights)))
    shares = rules.allocate(total, dict(zip(keys, weights, strict=True)), keys)
    assert sum(shares.values()) == total
    if sum(weights):
        for k in keys:
            exact = total * weights[k] / sum(weights)
            assert exact - 1 < shares[k] < exact + 1


def test_an_order_within_everything_is_accepted():
    assert rules.order_refusals(OK) == []


def test_refusal_withdrawn_product():
    assert rules.order_refusals(replace(OK, product_status="withdrawn")) == [
        "该产品已下架，不能点单。"
    ]


def test_refusal_unpublished_product():
    assert rules.order_refusals(replace(OK, product_status="draft")) == [
        "该产品尚未发布，不能点单。"
    ]


def test_refusal_beyond_quota():
    [reason] = rules.order_refusals(replace(OK, quota_used=2))
    assert "配送额度为 2 次" in reason and "超出额度" in reason


def test_refusal_without_quota():
    assert rules.order_refusals(replace(OK, quota_orders=None)) == [
        "街道尚未设定本社区 2026 年的配送额度，暂不能点单。"
    ]


def test_refusal_no_session_left_in_the_year():
    [reason] = rules.order_refusals(replace(OK, sessions_taken=3))
    assert "3 场已全部约满" in reason


def test_refusal_no_session_left_on_the_date():
    [reason] = rules.order_refusals(replace(OK, product_booked_on_date=True))
    assert reason == "该产品 2026-07-01 已有安排，当天没有剩余场次，请换一天。"


def test_refusal_date_outside_the_season():
    [reason] = rules.order_refusals(replace(OK, product_season=1))
    assert reason == "该产品只在 2026 年一季度配送，2026-07-01 不在配送时段内。"


def test_refusal_past_date():
    [reason] = rules.order_refusals(replace(OK, date=D(2026, 6, 9)))
    assert "已经过去" in reason


def test_refusal_beyond_budget():
    [reason] = rules.order_refusals(replace(OK, budget=Decimal("800"), budget_used=Decimal("500")))
    assert "超出预算" in reason
    assert (
        rules.order_refusals(replace(OK, budget=Decimal("1000"), budget_used=Decimal("500"))) == []
    )


def test_every_reason_is_given_at_once():
    facts = replace(OK, product_status="withdrawn", quota_used=2, sessions_taken=3)
    assert len(rules.order_refusals(facts)) == 3


def _b(key, provider, start, end, day=1):
    return rules.Booking(key, provider, D(2026, 7, day), start, end)


def test_conflict_same_provider_overlapping_time():
    found = rules.conflicts(
        [
            _b(1, "p", T(9), T(10, 30)),
            _b(2, "p", T(10), T(11)),  # overlaps 1
            _b(3, "p", T(11), T(12)),  # touches 2, no overlap
            _b(4, "q", T(9), T(12)),  # another provider
            _b(5, "p", T(9), T(12), day=2),  # another day
        ]
    )
    assert found == {1, 2}


def test_a_booking_without_time_takes_the_whole_day():
    assert rules.conflicts([_b(1, "p", None, None), _b(2, "p", T(19), T(20))]) == {1, 2}


def test_end_time_is_capped_at_midnight():
    assert rules.end_time(T(9, 30), 90) == T(11)
    assert rules.end_time(T(23), 120) == T(23, 59)


def test_fulfilment_rate():
    assert rules.fulfilment_rate(3, 4) == 0.75
    assert rules.fulfilment_rate(0, 0) is None
