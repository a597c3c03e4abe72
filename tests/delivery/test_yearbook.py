"""Delivered orders (the old 配送 log among them) are in the yearbook of their community."""

from __future__ import annotations

import datetime as dt

from delivery.models import Order, OrderStatus, Product, Provider
from reports.yearbook import build_yearbook, render
from tests.reports.pdf_util import pdf_text, squash


def test_the_yearbook_lists_each_communitys_deliveries(cast):
    provider = Provider.objects.create(street=cast.street_a, name="区图书馆")
    product = Product.objects.create(
        street=cast.street_a, provider=provider, kind="图书", title="送书下乡", year=2014
    )
    for community, status in ((cast.a1, OrderStatus.DELIVERED), (cast.a2, OrderStatus.DECLINED)):
        Order.objects.create(
            community=community,
            product=product,
            year=2014,
            preferred_date=dt.date(2014, 4, 23),
            scheduled_date=dt.date(2014, 4, 23),
            status=status,
            quantity=300,
            audience=120,
        )
    book = build_yearbook(cast.street_a, 2014)
    by_name = {c.name: c.deliveries for c in book.communities}
    assert [(d.title, d.provider, d.quantity, d.audience) for d in by_name["甲一社区"]] == [
        ("送书下乡", "区图书馆", 300, 120)
    ]
    assert by_name["甲二社区"] == ()
    text = squash(pdf_text(render(book)))
    assert "文化配送（1次）" in text and "送书下乡" in text
    assert build_yearbook(cast.street_a, 2014, [cast.a2]).communities[0].deliveries == ()
