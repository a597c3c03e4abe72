"""Filters of the reused-photo report."""

from __future__ import annotations

import django_filters

from communities.filters import PortalFilterSet
from portal.filters import YearFilter

from .models import PhotoFlag


class ReuseFilter(PortalFilterSet):
    year = YearFilter(field_name="activity__date")
    explained = django_filters.ChoiceFilter(
        label="说明",
        choices=[("no", "未说明"), ("yes", "已说明")],
        empty_label="全部",
        method="filter_explained",
    )

    search_fields = ("activity__name", "other_activity__name", "photo__original_name")
    community_field = "activity__community"

    class Meta:
        model = PhotoFlag
        fields = ["community", "year", "explained", "q"]

    def filter_explained(self, queryset, name, value):
        return queryset.filter(explained=value == "yes") if value else queryset
