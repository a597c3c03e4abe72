"""志愿服务 in the admin: read only (every write goes through service.services, which keeps
the volunteers' totals equal to their entries), scoped like the portal."""

from django.contrib import admin

from communities.admin_scope import ReadOnlyMixin, ScopedAdminMixin, community_filter

from .models import ServiceCertificate, ServiceEntry


@admin.register(ServiceEntry)
class ServiceEntryAdmin(ReadOnlyMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("person", "community", "kind", "date", "hours", "approval", "activity")
    list_filter = (community_filter(), "kind", "approval")
    search_fields = ("person__name", "person__code", "content")
    list_select_related = ("person", "community", "activity")
    date_hierarchy = "date"


@admin.register(ServiceCertificate)
class ServiceCertificateAdmin(ReadOnlyMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("number", "person", "community", "period_start", "period_end", "total_hours")
    list_filter = (community_filter(),)
    search_fields = ("number", "person__name", "person__code")
    list_select_related = ("person", "community")
