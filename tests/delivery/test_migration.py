"""The data migration: the flat 配送 log becomes delivered orders, and back."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.migrations import migrate_to, migrate_to_latest

# communities held before its districts became records (0003), so that the historical
# Street of these states matches the table
BEFORE = [
    ("activities", "0004_constraint_messages"),
    ("delivery", "0001_initial"),
    ("communities", "0002_constraint_messages"),
]
# the data migration, then the old table dropped
AFTER = [("activities", "0005_delete_distribution"), ("communities", "0002_constraint_messages")]


@pytest.mark.django_db(transaction=True)
def test_distributions_become_delivered_orders_and_back():
    apps = migrate_to(BEFORE)
    try:
        Street = apps.get_model("communities", "Street")
        Community = apps.get_model("communities", "Community")
        Distribution = apps.get_model("activities", "Distribution")
        street = Street.objects.create(name="迁移街道")
        other = Street.objects.create(name="另一街道")
        a = Community.objects.create(street=street, name="甲社区")
        b = Community.objects.create(street=street, name="乙社区")
        c = Community.objects.create(street=other, name="丙社区")
        rows = [
            (a, dt.date(2013, 3, 1), "图书", "送书下乡", 300, "区图书馆", 120, "春季"),
            (b, dt.date(2014, 3, 2), "图书", "送书下乡", 200, "区图书馆", 80, ""),
            (a, dt.date(2014, 5, 8), "演出", "越剧专场", 1, "", None, ""),
            (b, dt.date(2014, 6, 1), "演出", "越剧专场", 1, "街道文化中心", 150, ""),
            (c, dt.date(2014, 6, 1), "演出", "越剧专场", 1, "街道文化中心", 90, ""),
        ]
        ids = [
            Distribution.objects.create(
                community=com,
                date=d,
                kind=k,
                title=t,
                quantity=q,
                provider=p,
                audience=n,
                note=note,
            ).pk
            for com, d, k, t, q, p, n, note in rows
        ]

        apps = migrate_to(AFTER)
        Order = apps.get_model("delivery", "Order")
        Product = apps.get_model("delivery", "Product")
        Provider = apps.get_model("delivery", "Provider")
        with pytest.raises(LookupError):
            apps.get_model("activities", "Distribution")
        orders = list(Order.objects.order_by("legacy_distribution_id"))
        assert [o.legacy_distribution_id for o in orders] == ids
        assert {o.status for o in orders} == {"delivered"}
        first = orders[0]
        assert (first.community_id, first.scheduled_date, first.year, first.quantity) == (
            a.pk,
            dt.date(2013, 3, 1),
            2013,
            300,
        )
        assert (first.audience, first.delivery_note, first.activity_id) == (120, "春季", None)
        # one product per street and distinct title + provider
        products = {
            (p.street_id, p.title, p.provider.name): (p.year, p.sessions, p.kind, p.status)
            for p in Product.objects.select_related("provider")
        }
        assert products == {
            (street.pk, "送书下乡", "区图书馆"): (2013, 2, "图书", "withdrawn"),
            (street.pk, "越剧专场", "未注明提供单位"): (2014, 1, "演出", "withdrawn"),
            (street.pk, "越剧专场", "街道文化中心"): (2014, 1, "演出", "withdrawn"),
            (other.pk, "越剧专场", "街道文化中心"): (2014, 1, "演出", "withdrawn"),
        }
        assert Provider.objects.get(street_id=street.pk, name="街道文化中心").kind == "街道文化中心"
        assert Order.objects.get(legacy_distribution_id=ids[1]).product_id == first.product_id

        apps = migrate_to(BEFORE)
        Distribution = apps.get_model("activities", "Distribution")
        back = list(
            Distribution.objects.order_by("pk").values_list(
                "pk",
                "community_id",
                "date",
                "kind",
                "title",
                "quantity",
                "provider",
                "audience",
                "note",
            )
        )
        assert back == [
            (pk, com.pk, d, k, t, q, p, n, note)
            for pk, (com, d, k, t, q, p, n, note) in zip(ids, rows, strict=True)
        ]
        assert not apps.get_model("delivery", "Order").objects.exists()
        assert not apps.get_model("delivery", "Product").objects.exists()
    finally:
        migrate_to_latest()
