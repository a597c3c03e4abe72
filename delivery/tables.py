"""List tables of 点单配送 (columns = Excel columns)."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.safestring import SafeString

from portal.tables import PhoneColumn, PortalTable

from .models import Order, OrderStatus, Product, ProductStatus, Provider

NUM = {"td": {"class": "num"}, "th": {"class": "num"}}
ORDER_BADGE = {
    OrderStatus.ORDERED: "warn",
    OrderStatus.CONFIRMED: "plain",
    OrderStatus.DELIVERED: "ok",
    OrderStatus.NOT_DELIVERED: "bad",
    OrderStatus.DECLINED: "bad",
    OrderStatus.CANCELLED: "plain",
}
PRODUCT_BADGE = {
    ProductStatus.DRAFT: "plain",
    ProductStatus.PUBLISHED: "ok",
    ProductStatus.WITHDRAWN: "bad",
}


def order_badge(order: Order) -> SafeString:
    return format_html(
        '<span class="badge {}">{}</span>', ORDER_BADGE[order.status], order.get_status_display()
    )


def product_badge(product: Product) -> SafeString:
    return format_html(
        '<span class="badge {}">{}</span>',
        PRODUCT_BADGE[product.status],
        product.get_status_display(),
    )


def stars(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


class ProviderTable(PortalTable):
    name = tables.Column(linkify=("delivery:provider_detail", {"pk": tables.A("pk")}))
    phone = PhoneColumn()
    product_count = tables.Column(verbose_name="产品数", attrs=NUM)

    class Meta(PortalTable.Meta):
        model = Provider
        fields = ("name", "kind", "contact", "phone", "address")
        sequence = ("name", "kind", "contact", "phone", "address", "product_count")
        order_by = ("name",)


class ProductTable(PortalTable):
    title = tables.Column(linkify=("delivery:product_detail", {"pk": tables.A("pk")}))
    provider = tables.Column(accessor="provider__name", verbose_name="提供单位")
    sessions = tables.Column(attrs=NUM)
    taken = tables.Column(verbose_name="已约场次", attrs=NUM)
    delivered = tables.Column(verbose_name="已配送", attrs=NUM)
    avg_rating = tables.Column(verbose_name="平均评分", attrs=NUM)
    unit_price = tables.Column(attrs=NUM)

    class Meta(PortalTable.Meta):
        model = Product
        fields = ("year", "season", "kind", "title", "provider", "sessions", "unit_price", "status")
        sequence = (
            "year",
            "season",
            "kind",
            "title",
            "provider",
            "sessions",
            "taken",
            "delivered",
            "avg_rating",
            "unit_price",
            "status",
        )
        order_by = ("-year", "kind", "title")

    def render_status(self, record: Product) -> SafeString:
        return product_badge(record)

    def value_status(self, record: Product) -> str:
        return record.get_status_display()

    def render_avg_rating(self, value: float | None) -> str:
        return stars(value)

    def value_avg_rating(self, value: float | None) -> float | None:
        return None if value is None else round(value, 2)


class OrderTable(PortalTable):
    when = tables.Column(
        verbose_name="日期", accessor="preferred_date", order_by=("preferred_date",)
    )
    product = tables.Column(
        accessor="product__title",
        verbose_name="配送产品",
        linkify=("delivery:order_detail", {"pk": tables.A("pk")}),
    )
    kind = tables.Column(accessor="product__kind", verbose_name="类别")
    provider = tables.Column(accessor="product__provider__name", verbose_name="提供单位")
    audience = tables.Column(attrs=NUM)
    rating = tables.Column(attrs=NUM)

    class Meta(PortalTable.Meta):
        model = Order
        fields = ("community", "year", "status", "audience", "rating", "reason")
        sequence = (
            "year",
            "when",
            "community",
            "product",
            "kind",
            "provider",
            "status",
            "audience",
            "rating",
            "reason",
        )
        order_by = ("-when",)

    def render_when(self, record: Order) -> str:
        text = f"{record.date:%Y-%m-%d}"
        if record.scheduled_start:
            text += f" {record.scheduled_start:%H:%M}"
        return text

    def value_when(self, record: Order) -> str:
        return self.render_when(record)

    def render_status(self, record: Order) -> SafeString:
        return order_badge(record)

    def value_status(self, record: Order) -> str:
        return record.get_status_display()
