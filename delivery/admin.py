"""点单配送 in the admin: read only (every write goes through delivery.services, which checks
the refusals and logs each step), scoped like the portal."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from communities.admin_scope import ReadOnlyMixin, ScopedAdminMixin, community_filter

from .models import Order, OrderEvent, Product, Provider, Quota


@admin.register(Provider)
class ProviderAdmin(ReadOnlyMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    scope_via = "street"
    list_display = ("name", "street", "kind", "contact")
    list_filter = ("kind",)
    search_fields = ("name", "contact")


@admin.register(Product)
class ProductAdmin(ReadOnlyMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    scope_via = "street"
    list_display = ("title", "year", "kind", "provider", "sessions", "unit_price", "status")
    list_filter = ("year", "kind", "status")
    search_fields = ("title", "provider__name")
    list_select_related = ("provider",)


@admin.register(Quota)
class QuotaAdmin(ReadOnlyMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ("community", "year", "orders", "budget", "rule")
    list_filter = ("year", community_filter())
    list_select_related = ("community",)


@admin.register(Order)
class OrderAdmin(ReadOnlyMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ("product", "community", "year", "preferred_date", "scheduled_date", "status")
    list_filter = ("year", "status", community_filter())
    search_fields = ("product__title", "community__name", "note")
    list_select_related = ("product", "community")


@admin.register(OrderEvent)
class OrderEventAdmin(ReadOnlyMixin, ScopedAdminMixin, admin.ModelAdmin):
    scope_via = "order__community"
    list_display = ("order", "action", "to_status", "by", "at", "reason")
    list_filter = ("to_status",)
    list_select_related = ("order__product", "order__community", "by")
