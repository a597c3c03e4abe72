"""The filter every list page shares: by community (only those the user sees) and free text."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

import django_filters
from django.db.models import QuerySet
from django.forms import HiddenInput
from django.forms.models import ModelChoiceIterator
from django.http import HttpRequest

from portal.filters import ManyChoiceSelect, SearchFilterSet

from . import scope
from .models import Community


def _visible_communities(request: HttpRequest | None) -> QuerySet[Community]:
    if request is None:
        return Community.objects.none()
    return scope.visible_communities(request.user).order_by("name")


class CommunityChoiceIterator(ModelChoiceIterator):
    """The community filter's choices as (pk, name) straight from the database, grouped by
    street when the user sees more than one. A district's operator sees 3,000 communities:
    building a Community instance for each only to print its name cost ~20 ms a page, and
    one long list of names that repeat across streets is hard to use."""

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        rows = self.queryset.order_by("street__name", "street_id", "name").values_list(
            "pk", "name", "street__name"
        )
        groups: dict[str, list[tuple[int, str]]] = {}
        for pk, name, street in rows.iterator(chunk_size=5000):
            groups.setdefault(street, []).append((pk, name))
        if len(groups) == 1:
            yield from next(iter(groups.values()))
        else:
            yield from groups.items()


class CommunityChoiceField(django_filters.fields.ModelChoiceField):
    iterator = CommunityChoiceIterator


class CommunityFilter(django_filters.ModelChoiceFilter):
    field_class = CommunityChoiceField


class PortalFilterSet(SearchFilterSet):
    """Every list filters by community (only those the user sees) and by free text.

    Subclasses set `search_fields` for `q` (icontains, OR-ed) and may set
    `community_field` (e.g. "team__community") or override `filter_community`.
    """

    community = CommunityFilter(
        label="社区",
        queryset=_visible_communities,
        method="filter_community",
        empty_label="全部社区",
        widget=ManyChoiceSelect,
    )

    community_field: ClassVar[str] = "community"

    @property
    def form(self) -> Any:
        form = super().form
        field = form.fields.get("community")
        if field is not None and not getattr(self, "_community_checked", False):
            self._community_checked = True
            # A cadre sees one community: a choice of one is noise on a phone screen. The
            # filter stays (and still refuses other communities); only its widget is hidden.
            if field.queryset[:2].count() < 2:
                field.widget = HiddenInput()
        return form

    def filter_community(self, queryset: QuerySet, name: str, value: Community) -> QuerySet:
        return queryset.filter(**{self.community_field: value})
