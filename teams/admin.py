from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from communities.admin_scope import (
    ScopedAdminMixin,
    community_filter,
    register_choices,
    tabular_inline,
)
from portal.privacy import mask_phone

from . import selectors
from .forms import PersonAdminForm, TeamAdminForm
from .models import (
    Cadre,
    Certificate,
    Person,
    Team,
    TeamHonour,
    TeamMember,
    Volunteer,
)


@admin.register(Person)
class PersonAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    scope_via = "street"
    form = PersonAdminForm
    list_display = ("code", "name", "gender", "birth_year", "masked_phone", "street")
    list_filter = ("gender", ("street", admin.RelatedOnlyFieldListFilter))
    search_fields = ("code", "name")
    list_select_related = ("street",)

    def scope_queryset(self, request: HttpRequest, qs: QuerySet, *, editable: bool) -> QuerySet:
        # The portal's rule: street users see the street, a cadre the people linked to
        # their community.
        persons = selectors.editable_persons if editable else selectors.visible_persons
        return qs.filter(pk__in=persons(request.user).values("pk"))

    def has_add_permission(self, request: HttpRequest) -> bool:
        # A bare person added by a cadre would be linked to nothing, hence invisible to them.
        return super().has_add_permission(request) and selectors.can_create_persons(request.user)

    @admin.display(description="联系电话")
    def masked_phone(self, obj: Person) -> str:
        return mask_phone(obj.phone)


TeamMemberInline = tabular_inline(
    TeamMember, autocomplete_fields=("person",), verbose_name_plural="花名册"
)


@admin.register(Team)
class TeamAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    form = TeamAdminForm
    list_display = (
        "name",
        "community",
        "category",
        "project",
        "leader",
        "founded_on",
        "dissolved_on",
    )
    list_filter = ("category", community_filter(), "dissolved_on")
    search_fields = ("name", "project", "leader", "community__name")
    list_select_related = ("community",)
    autocomplete_fields = ("community",)
    inlines = (TeamMemberInline, tabular_inline(TeamHonour))


@admin.register(TeamHonour)
class TeamHonourAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    scope_via = "team__community"
    list_display = ("team", "year", "title", "awarded_by")
    list_filter = ("year", "title", ("team__community", admin.RelatedOnlyFieldListFilter))
    search_fields = ("team__name", "title")
    list_select_related = ("team__community",)
    autocomplete_fields = ("team",)


@admin.register(TeamMember)
class TeamMemberAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    scope_via = "team__community"
    list_display = ("team", "person", "joined_on")
    list_filter = (("team__community", admin.RelatedOnlyFieldListFilter),)
    search_fields = ("team__name", "person__name", "person__code")
    list_select_related = ("team__community", "person")
    autocomplete_fields = ("team", "person")


@admin.register(Volunteer)
class VolunteerAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ("person", "community", "registered_on", "left_on", "service_hours")
    list_filter = (community_filter(), "left_on")
    search_fields = ("person__name", "person__code", "community__name")
    list_select_related = ("person", "community")
    autocomplete_fields = ("person", "community")
    # 服务时长 is the sum of the volunteer's service entries (service app), never typed.
    readonly_fields = ("service_hours",)


@admin.register(Certificate)
class CertificateAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ("number", "person", "community", "level", "sport", "issued_on", "expires_on")
    list_filter = ("level", community_filter(), "issued_on", "expires_on")
    search_fields = ("number", "person__name", "person__code", "sport")
    list_select_related = ("person", "community")
    autocomplete_fields = ("person", "community")


@admin.register(Cadre)
class CadreAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = ("person", "community", "post", "appointed_on", "left_on")
    list_filter = ("post", community_filter(), "left_on")
    search_fields = ("person__name", "person__code", "community__name")
    list_select_related = ("person", "community")
    autocomplete_fields = ("person", "community")


register_choices(Team)
register_choices(Volunteer)
# A cadre picks only people already linked to their community.
register_choices(Person, rows=selectors.editable_persons)
