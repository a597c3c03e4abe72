"""Filters of the 配送 lists."""

from __future__ import annotations

import django_filters

from communities.filters import PortalFilterSet
from portal.filters import YearFilter

from .models import Order, OrderStatus, Product, ProductKind, ProductStatus, Provider, ProviderKind


class ProviderFilter(PortalFilterSet):
    kind = django_filters.ChoiceFilter(
        label="单位类型", choices=ProviderKind.choices, empty_label="全部类型"
    )
    community = None  # a street's records
    search_fields = ("name", "contact", "address")

    class Meta:
        model = Provider
        fields = ["kind", "q"]


class ProductFilter(PortalFilterSet):
    year = YearFilter(field_name="year", lookup_expr="exact")
    kind = django_filters.ChoiceFilter(
        label="配送类别", choices=ProductKind.choices, empty_label="全部类别"
    )
    status = django_filters.ChoiceFilter(
        label="状态", choices=ProductStatus.choices, empty_label="全部状态"
    )
    community = None
    search_fields = ("title", "provider__name", "description")

    class Meta:
        model = Product
        fields = ["year", "kind", "status", "q"]


class OrderFilter(PortalFilterSet):
    year = YearFilter(field_name="year", lookup_expr="exact")
    status = django_filters.ChoiceFilter(
        label="状态", choices=OrderStatus.choices, empty_label="全部状态"
    )
    kind = django_filters.ChoiceFilter(
        label="配送类别",
        field_name="product__kind",
        choices=ProductKind.choices,
        empty_label="全部类别",
    )
    search_fields = ("product__title", "product__provider__name", "note", "reason")

    class Meta:
        model = Order
        fields = ["community", "year", "status", "kind", "q"]
