"""Scope for the Django admin, and the role groups that give staff users model permissions.

The admin is a second door to the same records, so it asks communities.scope exactly like
the portal does: changelists hold only the user's rows, foreign-key choices only the user's
communities, and an object outside the user's scope is simply not found (the admin then
redirects to its index). Objects the user may see but not edit (a leader, a cadre looking at
a street-level record) open read-only.

Model permissions decide *what kind* of record a role may touch; scope decides *which rows*.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest

from . import scope
from .models import Community, Role, Street

if TYPE_CHECKING:
    from .scope import User

# model → actions for (街道管理员, 街道工作人员, 社区管理员, 领导); a=add c=change d=delete v=view.
# Leaders only read. Cadres record what their community has and does, but not what the street
# decides about them (targets, ratings, awards, deductions, honours, brands, 配送).
MODEL_PERMISSIONS: dict[str, tuple[str, str, str, str]] = {
    "communities.street": ("cv", "v", "v", "v"),
    "communities.community": ("acdv", "cv", "v", "v"),
    "communities.grid": ("acdv", "acdv", "acdv", "v"),
    "communities.population": ("acdv", "acv", "v", "v"),
    "communities.startarget": ("acdv", "v", "v", "v"),
    "communities.starrating": ("acdv", "acdv", "v", "v"),
    "communities.award": ("acdv", "acdv", "v", "v"),
    "communities.deduction": ("acdv", "acdv", "v", "v"),
    "communities.membership": ("acdv", "", "", ""),
    "auth.user": ("acv", "", "", ""),
    "facilities.facility": ("acdv", "acdv", "acv", "v"),
    "facilities.upgradeproject": ("acdv", "acdv", "cv", "v"),
    "teams.person": ("acdv", "acdv", "acv", "v"),
    "teams.team": ("acdv", "acdv", "acv", "v"),
    "teams.teamhonour": ("acdv", "acdv", "v", "v"),
    "teams.teammember": ("acdv", "acdv", "acdv", "v"),
    "teams.volunteer": ("acdv", "acdv", "acv", "v"),
    "teams.servicerecord": ("acdv", "acdv", "acdv", "v"),
    "teams.certificate": ("acdv", "acdv", "acv", "v"),
    "teams.cadre": ("acdv", "acdv", "acv", "v"),
    "activities.brand": ("acdv", "acdv", "v", "v"),
    "activities.activity": ("acdv", "acdv", "acv", "v"),
    "activities.activitypartner": ("acdv", "acdv", "acdv", "v"),
    # Archive files and workflow steps are written by the activity services only.
    "activities.archivefile": ("v", "v", "v", "v"),
    "activities.activitytransition": ("v", "v", "v", "v"),
    # 点单配送 is written through its pages (delivery.services) only.
    "delivery.provider": ("v", "v", "v", "v"),
    "delivery.product": ("v", "v", "v", "v"),
    "delivery.quota": ("v", "v", "v", "v"),
    "delivery.order": ("v", "v", "v", "v"),
    "delivery.orderevent": ("v", "v", "v", "v"),
}
ROLE_ORDER = (Role.STREET_ADMIN, Role.STREET_STAFF, Role.COMMUNITY_ADMIN, Role.LEADER)
ACTIONS = {"a": "add", "c": "change", "d": "delete", "v": "view"}


def role_group_name(role: str) -> str:
    return Role(role).label


def ensure_role_groups() -> dict[str, Group]:
    """Create or repair one Group per role with exactly the permissions above (idempotent)."""
    codenames: dict[str, set[tuple[str, str]]] = {r: set() for r in ROLE_ORDER}
    for label, per_role in MODEL_PERMISSIONS.items():
        app_label, model = label.split(".")
        for role, actions in zip(ROLE_ORDER, per_role, strict=True):
            codenames[role] |= {(app_label, f"{ACTIONS[a]}_{model}") for a in actions}
    wanted_apps = {label.split(".")[0] for label in MODEL_PERMISSIONS}
    available = {
        (p.content_type.app_label, p.codename): p
        for p in Permission.objects.select_related("content_type").filter(
            content_type__app_label__in=wanted_apps
        )
    }
    groups = {}
    for role in ROLE_ORDER:
        group, _ = Group.objects.get_or_create(name=role_group_name(role))
        perms = [available[key] for key in sorted(codenames[role]) if key in available]
        if set(group.permissions.values_list("pk", flat=True)) != {p.pk for p in perms}:
            group.permissions.set(perms)
        groups[role] = group
    return groups


def sync_role_group(user: User) -> None:
    """Put a user with a membership into exactly their role's group and let them into the admin.

    Groups other than the role groups are left alone; a user without a membership loses the
    role groups (and with them every model permission they gave).
    """
    from .models import Membership

    groups = ensure_role_groups()
    role_groups = set(groups.values())
    membership = Membership.objects.filter(user=user).first()
    keep = [g for g in user.groups.all() if g not in role_groups]
    # District roles work in the portal's district pages only, never in the admin.
    if membership is None or membership.role not in groups:
        user.groups.set(keep)
        return
    user.groups.set([*keep, groups[membership.role]])
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])


# Foreign-key choices of the models of the apps above (facilities, teams, activities): each
# app's admin.py registers how its rows reach their community, so this module imports none.
_CHOICES: dict[type[Model], Callable[[User], QuerySet]] = {}


def register_choices(
    model: type[Model],
    *,
    via: str = "community",
    rows: Callable[[User], QuerySet] | None = None,
) -> None:
    """In every admin form, offer only the rows of `model` the user may edit: those whose
    community (reached through `via`) is editable, or those `rows(user)` returns."""

    def editable_rows(user: User) -> QuerySet:
        return scope.scope(model._default_manager.all(), user, via=via, editable=True)

    _CHOICES[model] = rows or editable_rows


def limited_choices(model: type[Model], user: User) -> QuerySet | None:
    """The rows of `model` a user may pick in a form, or None when the model is not scoped."""
    if model is Community:
        return scope.editable_communities(user)
    if model is Street:
        return scope.visible_streets(user)
    rows = _CHOICES.get(model)
    return None if rows is None else rows(user)


class _ChoicesMixin:
    def _limit(self, db_field, request: HttpRequest, kwargs: dict) -> dict:
        if "queryset" not in kwargs:
            qs = limited_choices(db_field.remote_field.model, request.user)
            if qs is not None:
                kwargs["queryset"] = qs
        return kwargs

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs):
        return super().formfield_for_foreignkey(
            db_field, request, **self._limit(db_field, request, kwargs)
        )

    def formfield_for_manytomany(self, db_field, request: HttpRequest, **kwargs):
        return super().formfield_for_manytomany(
            db_field, request, **self._limit(db_field, request, kwargs)
        )


class ScopedAdminMixin(_ChoicesMixin):
    """Put before ModelAdmin/SimpleHistoryAdmin. `scope_via` is the path to the Community
    ("community", "team__community", "pk" for Community itself) or "street"."""

    scope_via: str = "community"

    def scope_queryset(self, request: HttpRequest, qs: QuerySet, *, editable: bool) -> QuerySet:
        return scope.scope(qs, request.user, via=self.scope_via, editable=editable)

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return self.scope_queryset(request, super().get_queryset(request), editable=False)

    def can_edit_object(self, request: HttpRequest, obj: Model) -> bool:
        if request.user.is_superuser:
            return True
        if obj.pk is None:
            return True
        qs = self.model._default_manager.filter(pk=obj.pk)
        return self.scope_queryset(request, qs, editable=True).exists()

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or self.can_edit_object(request, obj))

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or self.can_edit_object(request, obj))

    # simple_history's views look objects up without get_queryset (and fall back to the last
    # historical version of a deleted object), so they are scoped here.
    def history_view(self, request: HttpRequest, object_id: str, extra_context=None):
        self._require_history_scope(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context=None
    ):
        self._require_history_scope(request, object_id)
        return super().history_form_view(request, object_id, version_id, extra_context)

    def _require_history_scope(self, request: HttpRequest, object_id: str) -> None:
        from django.contrib.admin.utils import unquote

        if request.user.is_superuser:
            return
        object_id = unquote(object_id)
        if self.get_queryset(request).filter(pk=object_id).exists():
            return
        if self.model._default_manager.filter(pk=object_id).exists():
            raise Http404("没有找到该记录，或您无权查看。")
        # A deleted object: its history is visible if its last version was in scope.
        history = getattr(self.model, self.model._meta.simple_history_manager_attribute)
        last = history.filter(**{self.model._meta.pk.attname: object_id}).first()
        if last is None or not self._instance_in_scope(request, last.instance):
            raise Http404("没有找到该记录，或您无权查看。")

    def _instance_in_scope(self, request: HttpRequest, instance: Model) -> bool:
        target: Any = instance
        try:
            if self.scope_via not in ("pk", ""):
                for part in self.scope_via.split("__"):
                    target = getattr(target, part)
        except ObjectDoesNotExist:
            return False
        if isinstance(target, Street):
            return scope.visible_streets(request.user).filter(pk=target.pk).exists()
        if isinstance(target, Community):
            return scope.visible_communities(request.user).filter(pk=target.pk).exists()
        return False


class ScopedInlineMixin(_ChoicesMixin):
    """Inline rows follow their parent: editable exactly when the parent object is."""

    def _parent_editable(self, request: HttpRequest, obj: Model | None) -> bool:
        if obj is None or obj.pk is None:
            return True
        parent_admin = self.admin_site._registry.get(self.parent_model)
        if isinstance(parent_admin, ScopedAdminMixin):
            return parent_admin.can_edit_object(request, obj)
        return request.user.is_superuser

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return super().has_add_permission(request, obj) and self._parent_editable(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return super().has_change_permission(request, obj) and self._parent_editable(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return super().has_delete_permission(request, obj) and self._parent_editable(request, obj)


class ReadOnlyMixin:
    """Rows written elsewhere (the activity services): shown, never added, changed or deleted here."""

    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class ReadOnlyInline(ReadOnlyMixin, admin.TabularInline):
    extra = 0
    can_delete = False

    def get_readonly_fields(self, request: HttpRequest, obj: Model | None = None):
        return [f.name for f in self.model._meta.fields if f.name != "id"]


def tabular_inline(model: type[Model], **attrs: Any) -> type[admin.TabularInline]:
    """A scoped tabular inline of `model` with no empty extra rows."""
    return type(
        f"{model.__name__}Inline",
        (ScopedInlineMixin, admin.TabularInline),
        {"model": model, "extra": 0, **attrs},
    )


def community_filter() -> tuple[str, type]:
    """A 社区 list filter that offers only the communities present in the user's rows."""
    return ("community", admin.RelatedOnlyFieldListFilter)
