"""Filters of the 设施 and 提升工程 lists."""

from __future__ import annotations

import django_filters
from django.db.models import F, Q, QuerySet

from communities.filters import PortalFilterSet
from portal.dates import today
from portal.filters import YearFilter

from .models import Facility, FacilityKind, FacilityStatus, ProjectStatus, UpgradeProject


class FacilityFilter(PortalFilterSet):
    kind = django_filters.ChoiceFilter(
        label="设施类型", choices=FacilityKind.choices, empty_label="全部类型"
    )
    status = django_filters.ChoiceFilter(
        label="状态", choices=FacilityStatus.choices, empty_label="全部状态"
    )

    search_fields = ("name", "partner_unit", "note")

    class Meta:
        model = Facility
        fields = ["community", "kind", "status", "q"]


def late_projects_q() -> Q:
    """The database form of UpgradeProject.is_late."""
    return (~Q(status=ProjectStatus.DONE) & Q(planned_year__lt=today().year)) | Q(
        status=ProjectStatus.DONE, completed_on__year__gt=F("planned_year")
    )


class UpgradeProjectFilter(PortalFilterSet):
    planned_year = YearFilter(field_name="planned_year", lookup_expr="exact", label="计划年度")
    status = django_filters.ChoiceFilter(
        label="状态", choices=ProjectStatus.choices, empty_label="全部状态"
    )
    late = django_filters.ChoiceFilter(
        label="进度",
        choices=[("late", "滞后"), ("ok", "正常")],
        empty_label="全部",
        method="filter_late",
    )

    search_fields = ("name",)

    class Meta:
        model = UpgradeProject
        fields = ["community", "planned_year", "status", "late", "q"]

    def filter_late(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "late":
            return queryset.filter(late_projects_q())
        return queryset.exclude(late_projects_q())
