"""The demo street's 点单配送: a published menu, quotas, every state this year, past years."""

from __future__ import annotations

import pytest

from delivery.models import Order, OrderStatus, Product, ProductStatus, Quota
from tests.demo_date import DEMO_AS_OF, load_demo_at


def counts() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in (Product, Quota, Order)}


@pytest.mark.django_db
def test_the_demo_has_the_whole_loop_and_a_second_run_changes_nothing():
    load_demo_at()
    year = DEMO_AS_OF.year
    assert Product.objects.filter(year=year, status=ProductStatus.PUBLISHED).count() >= 8
    assert Product.objects.filter(year=year, status=ProductStatus.WITHDRAWN).exists()
    assert Quota.objects.filter(year=year).count() == 10
    states = set(Order.objects.filter(year=year).values_list("status", flat=True))
    assert states == set(OrderStatus.values)
    delivered = Order.objects.filter(year=year, status=OrderStatus.DELIVERED)
    assert all(o.activity_id and o.rating for o in delivered)
    for past in (2013, 2014):
        assert Order.objects.filter(year=past, status=OrderStatus.DELIVERED).count() > 30
    before = counts()
    load_demo_at()
    assert counts() == before
