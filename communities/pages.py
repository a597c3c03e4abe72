"""The portal's list and record pages (portal.pages) limited to the user's scope.

A list page is one `ScopedListView` subclass::

    class FacilityList(ScopedListView):
        model = Facility
        table_class = FacilityTable              # a portal.tables.PortalTable subclass
        filterset_class = FacilityFilter         # a communities.filters.PortalFilterSet subclass
        list_select_related = ("community",)     # fixed query count, whatever the row count
        title = "文体设施"                        # heading, sheet and Excel file name
        export_name = "设施"                      # optional shorter file name: 设施_2026-11-22.xlsx
        create_url_name = "facilities:create"    # button shown only to users who may edit

It shows only rows in the user's scope (communities.scope). Record pages use
`ScopedDetailView`, `ScopedCreateView`, `ScopedUpdateView` and `ScopedDeleteView`:
out-of-scope records are 404, writes go through a service function.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Model, QuerySet

from portal.pages import CreatePage, DeletePage, DetailPage, ListPage, RecordMixin, UpdatePage
from security_log import services as security_log
from security_log.models import Event, Result

from . import scope


class ScopedListView(ListPage):
    """A list of the rows in the user's scope; `scope_via` is the path to their community."""

    scope_via: str = "community"

    def get_scoped_queryset(self) -> QuerySet:
        return scope.scope(self.get_base_queryset(), self.request.user, via=self.scope_via)

    def user_may_create(self) -> bool:
        return scope.can_edit_anything(self.request.user)

    def log_export(self, name: str, rows: int, refused: bool) -> None:
        security_log.record(
            Event.EXPORT,
            user=self.request.user,
            request=self.request,
            result=Result.REFUSED if refused else Result.OK,
            list=name,
            filters=self.export_filters(),
            rows=rows,
        )


class ScopedObjectMixin(RecordMixin):
    """Fetch `pk` inside the user's scope (editable scope for writes) or answer 404."""

    scope_via: str = "community"

    def get_scoped_queryset(self) -> QuerySet:
        return scope.scope(
            self.get_base_queryset(), self.request.user, via=self.scope_via, editable=self.editable
        )


class ScopedDetailView(ScopedObjectMixin, DetailPage):
    """A record page; `can_edit` tells the template whether to offer edit buttons."""

    def user_can_edit(self, obj: Model) -> bool:
        community_id = _community_id(obj, self.scope_via)
        if community_id is None:
            return scope.can_edit_anything(self.request.user)
        return scope.can_edit_community(self.request.user, community_id)


def _community_id(obj: Model, via: str) -> int | None:
    if via == "street" or via.endswith("__street"):
        return None
    *path, last = via.split("__")
    target: Any = obj
    for part in path:
        target = getattr(target, part)
    return getattr(target, f"{last}_id")


class ScopedCreateView(CreatePage):
    """Create a record; users who may not edit anything (leaders) get 403."""

    def user_may_create(self) -> bool:
        return scope.can_edit_anything(self.request.user)


class ScopedUpdateView(ScopedObjectMixin, UpdatePage):
    """Edit a record inside the user's editable scope; anything else is 404."""


class ScopedDeleteView(ScopedObjectMixin, DeletePage):
    """Delete a record inside the user's editable scope through its service."""
