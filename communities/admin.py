from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from . import scope
from .admin_scope import (
    ScopedAdminMixin,
    ScopedInlineMixin,
    community_filter,
    sync_role_group,
    tabular_inline,
)
from .models import (
    DISTRICT_ROLES,
    Award,
    Community,
    Deduction,
    District,
    Grid,
    Membership,
    Population,
    Role,
    StarRating,
    StarTarget,
    Street,
)

User = get_user_model()


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    """区县 and their codes: the platform operator's alone (streets pick theirs)."""

    list_display = ("name", "code")
    search_fields = ("name", "code")

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return request.user.is_superuser

    has_add_permission = has_change_permission = has_delete_permission = has_view_permission


@admin.register(Street)
class StreetAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ("name", "district")
    search_fields = ("name", "district__name")

    def scope_queryset(self, request: HttpRequest, qs: QuerySet, *, editable: bool) -> QuerySet:
        if editable and not scope.can_administer(request.user):
            return qs.none()
        return qs.filter(pk__in=scope.visible_streets(request.user))


@admin.register(Community)
class CommunityAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    scope_via = "pk"
    list_display = ("name", "street", "kind")
    list_filter = ("kind", ("street", admin.RelatedOnlyFieldListFilter))
    search_fields = ("name", "street__name")
    list_select_related = ("street",)
    inlines = tuple(
        tabular_inline(model)
        for model in (Population, StarTarget, StarRating, Award, Deduction, Grid)
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Community | None = None):
        # Moving a community to another street would carry its records out of that street's scope.
        if obj is not None and not request.user.is_superuser:
            return ("street",)
        return ()


class _CommunityYearAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_filter = ("year", community_filter())
    search_fields = ("community__name",)
    list_select_related = ("community",)
    autocomplete_fields = ("community",)


@admin.register(Grid)
class GridAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "community")
    list_filter = (community_filter(),)
    search_fields = ("name", "community__name")
    list_select_related = ("community",)


@admin.register(Population)
class PopulationAdmin(_CommunityYearAdmin):
    list_display = ("community", "year", "residents", "households")


@admin.register(StarTarget)
class StarTargetAdmin(_CommunityYearAdmin):
    list_display = ("community", "year", "stars")
    list_filter = ("year", "stars", community_filter())


@admin.register(StarRating)
class StarRatingAdmin(_CommunityYearAdmin):
    list_display = ("community", "year", "stars", "rated_by")
    list_filter = ("year", "stars", community_filter())


@admin.register(Award)
class AwardAdmin(_CommunityYearAdmin):
    list_display = ("community", "year", "name", "level")
    list_filter = ("year", "level", community_filter())
    search_fields = ("name", "community__name")


@admin.register(Deduction)
class DeductionAdmin(_CommunityYearAdmin):
    list_display = ("community", "year", "item", "points", "veto")
    list_filter = ("year", "veto", community_filter())
    search_fields = ("item", "community__name")


def _manageable_users(request: HttpRequest) -> QuerySet:
    """Users a street admin manages: those of their street, and those without a role yet."""
    qs = User.objects.all()
    if request.user.is_superuser:
        return qs
    if not scope.can_administer(request.user):
        return qs.none()
    return qs.filter(is_superuser=False).filter(
        Q(membership__street__in=scope.visible_streets(request.user)) | Q(membership__isnull=True)
    )


class DistrictRolesForOperatorMixin:
    """Districts and district roles are the platform operator's to give (issue 18): a street
    admin's membership forms have no district field and no district role."""

    def get_exclude(self, request: HttpRequest, obj=None):
        exclude = tuple(super().get_exclude(request, obj) or ())
        return exclude if request.user.is_superuser else (*exclude, "district")

    def formfield_for_choice_field(self, db_field, request: HttpRequest, **kwargs):
        if db_field.name == "role" and not request.user.is_superuser:
            kwargs["choices"] = [(r.value, r.label) for r in Role if r not in DISTRICT_ROLES]
        return super().formfield_for_choice_field(db_field, request, **kwargs)


@admin.register(Membership)
class MembershipAdmin(DistrictRolesForOperatorMixin, ScopedAdminMixin, SimpleHistoryAdmin):
    scope_via = "street"
    list_display = ("user", "role", "street", "community")
    list_filter = ("role", ("street", admin.RelatedOnlyFieldListFilter), community_filter())
    search_fields = ("user__username", "user__first_name", "user__last_name", "community__name")
    list_select_related = ("user", "street", "community")

    def scope_queryset(self, request: HttpRequest, qs: QuerySet, *, editable: bool) -> QuerySet:
        if not scope.can_administer(request.user):
            return qs.none()
        return super().scope_queryset(request, qs, editable=editable)

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        if db_field.name == "user":
            kwargs["queryset"] = _manageable_users(request).order_by("username")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Membership, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        sync_role_group(obj.user)

    def delete_model(self, request: HttpRequest, obj: Membership) -> None:
        user = obj.user
        super().delete_model(request, obj)
        sync_role_group(user)


class MembershipInline(DistrictRolesForOperatorMixin, ScopedInlineMixin, admin.StackedInline):
    model = Membership
    extra = 0
    max_num = 1
    can_delete = False


admin.site.unregister(User)


@admin.register(User)
class PortalUserAdmin(ScopedAdminMixin, UserAdmin):
    """Users with their role; a street admin manages the users of their own street."""

    list_display = ("username", "last_name", "first_name", "role", "where", "is_active", "is_staff")
    list_filter = ("is_active", "is_staff", "membership__role")
    list_select_related = (
        "membership",
        "membership__district",
        "membership__street",
        "membership__community",
    )
    inlines = (MembershipInline,)

    def scope_queryset(self, request: HttpRequest, qs: QuerySet, *, editable: bool) -> QuerySet:
        return qs.filter(pk__in=_manageable_users(request).values("pk"))

    def get_fieldsets(self, request: HttpRequest, obj=None):
        if obj is None or request.user.is_superuser:
            return super().get_fieldsets(request, obj)
        # Street admins never see superuser, group or permission switches: the role decides.
        return (
            (None, {"fields": ("username", "password")}),
            ("个人信息", {"fields": ("last_name", "first_name", "email")}),
            ("状态", {"fields": ("is_active", "last_login", "date_joined")}),
        )

    def get_readonly_fields(self, request: HttpRequest, obj=None):
        if request.user.is_superuser:
            return ()
        return ("last_login", "date_joined")

    @admin.display(description="角色", ordering="membership__role")
    def role(self, obj) -> str:
        m = getattr(obj, "membership", None)
        return m.get_role_display() if m else "—"

    @admin.display(description="范围")
    def where(self, obj) -> str:
        m = getattr(obj, "membership", None)
        if m is None:
            return "—"
        return str(m.community or m.street or m.district)

    def save_related(self, request: HttpRequest, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        sync_role_group(form.instance)
