from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from communities import scope
from communities.admin_scope import (
    ReadOnlyInline,
    ReadOnlyMixin,
    ScopedAdminMixin,
    ScopedInlineMixin,
    community_filter,
    register_choices,
)
from communities.models import Community

from .models import (
    Activity,
    ActivityPartner,
    ActivityStatus,
    ActivityTransition,
    ArchiveFile,
    Brand,
)
from .services import content_edit_error


@admin.register(Brand)
class BrandAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = (
        "name",
        "community",
        "category",
        "recognised_year",
        "recognised_by",
        "revoked_year",
    )
    list_filter = ("category", "recognised_year", community_filter())
    search_fields = ("name", "community__name", "recognised_by")
    list_select_related = ("community",)
    autocomplete_fields = ("community",)


class ActivityPartnerInline(ScopedInlineMixin, admin.TabularInline):
    model = ActivityPartner
    extra = 0
    verbose_name_plural = "文化走亲社区"

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        # A 走亲 partner is any community of the user's street, not only editable ones.
        if db_field.name == "community":
            kwargs["queryset"] = Community.objects.filter(
                street__in=scope.visible_streets(request.user)
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ArchiveFileInline(ReadOnlyInline):
    model = ArchiveFile
    fields = ("slot", "original_name", "content_type", "size", "uploaded_by", "uploaded_at")
    verbose_name_plural = "“五有”档案文件（在活动页面上传）"


class ActivityTransitionInline(ReadOnlyInline):
    model = ActivityTransition
    fields = ("from_status", "to_status", "by", "at", "reason")
    verbose_name_plural = "审核记录"


# The workflow fields move only through the activity services (which log each step).
WORKFLOW_FIELDS = (
    "status",
    "return_reason",
    "submitted_at",
    "created_by",
    "created_at",
    "updated_at",
)


@admin.register(Activity)
class ActivityAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = (
        "date",
        "name",
        "community",
        "category",
        "scale",
        "is_exchange",
        "participants",
        "status",
        "archive_complete_flag",
    )
    list_filter = ("status", "category", "scale", "is_exchange", community_filter(), "date")
    search_fields = ("name", "form", "community__name")
    list_select_related = ("community",)
    autocomplete_fields = ("community", "location", "brand", "teams")
    date_hierarchy = "date"
    inlines = (ActivityPartnerInline, ArchiveFileInline, ActivityTransitionInline)
    fieldsets = (
        (None, {"fields": ("community", "name", "date", "category", "form", "scale")}),
        ("参与", {"fields": ("is_exchange", "participants", "location", "teams", "brand")}),
        ("内容", {"fields": ("description",)}),
        (
            "“五有”台账",
            {"fields": ("has_plan", "has_arrangement", "has_material", "has_image", "has_summary")},
        ),
        ("审核", {"fields": WORKFLOW_FIELDS}),
    )

    readonly_fields = WORKFLOW_FIELDS

    @admin.display(description="五有齐全", boolean=True)
    def archive_complete_flag(self, obj: Activity) -> bool:
        return obj.archive_complete

    def has_change_permission(self, request: HttpRequest, obj: Activity | None = None) -> bool:
        # The same content rules as the portal: verified is locked, pending is the verifiers'.
        if obj is not None and content_edit_error(request.user, obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Activity | None = None) -> bool:
        # A verified activity is evidence for the assessment: it is never deleted here.
        if (
            obj is not None
            and obj.status == ActivityStatus.VERIFIED
            and not request.user.is_superuser
        ):
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: Activity, form, change: bool) -> None:
        if not change and obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(ArchiveFile)
class ArchiveFileAdmin(ReadOnlyMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    scope_via = "activity__community"
    list_display = (
        "original_name",
        "activity",
        "slot",
        "content_type",
        "size",
        "uploaded_by",
        "uploaded_at",
    )
    list_filter = ("slot", ("activity__community", admin.RelatedOnlyFieldListFilter))
    search_fields = ("original_name", "activity__name")
    list_select_related = ("activity", "uploaded_by")


@admin.register(ActivityTransition)
class ActivityTransitionAdmin(ReadOnlyMixin, ScopedAdminMixin, admin.ModelAdmin):
    scope_via = "activity__community"
    list_display = ("activity", "from_status", "to_status", "by", "at", "reason")
    list_filter = ("to_status", ("activity__community", admin.RelatedOnlyFieldListFilter))
    search_fields = ("activity__name", "reason")
    list_select_related = ("activity", "by")


register_choices(Brand)
register_choices(Activity)
