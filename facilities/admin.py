from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from communities.admin_scope import ScopedAdminMixin, community_filter, register_choices

from .forms import FacilityAdminForm
from .models import Facility, UpgradeProject


@admin.register(Facility)
class FacilityAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    form = FacilityAdminForm
    list_display = (
        "name",
        "community",
        "kind",
        "area",
        "sets",
        "status",
        "opened_on",
        "ownership",
        "free_open",
    )
    list_filter = ("kind", "status", "ownership", "free_open", community_filter())
    search_fields = ("name", "community__name", "partner_unit")
    list_select_related = ("community",)
    autocomplete_fields = ("community",)
    date_hierarchy = "opened_on"
    fieldsets = (
        (None, {"fields": ("community", "name", "kind", "area", "sets", "status", "opened_on")}),
        ("产权与开放", {"fields": ("ownership", "partner_unit", "agreement", "free_open")}),
        ("其他", {"fields": ("photo", "note")}),
    )

    def get_deleted_objects(self, objs, request):
        # As on the portal (services.facility_delete_blockers): a facility that activities
        # name as their location is kept; the FK's SET_NULL would otherwise erase it from
        # their records. Listed as protected, Django refuses the delete and the bulk action.
        deleted, counts, perms, protected = super().get_deleted_objects(objs, request)
        # Through the reverse relation: facilities sit below activities and do not import them.
        used = Facility.objects.filter(pk__in=[f.pk for f in objs]).prefetch_related("activities")
        protected = [
            *protected,
            *(f"活动：{a}（活动地点：{f.name}）" for f in used for a in f.activities.all()),
        ]
        return deleted, counts, perms, protected


@admin.register(UpgradeProject)
class UpgradeProjectAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = (
        "name",
        "community",
        "planned_year",
        "status",
        "completed_on",
        "investment",
        "late",
    )
    list_filter = ("planned_year", "status", community_filter())
    search_fields = ("name", "community__name")
    list_select_related = ("community",)
    autocomplete_fields = ("community",)

    @admin.display(description="是否滞后", boolean=True)
    def late(self, obj: UpgradeProject) -> bool:
        return obj.is_late


register_choices(Facility)
