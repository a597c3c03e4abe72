"""Filters of the 活动, 待审核 and 品牌 lists."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet

from communities.filters import PortalFilterSet
from portal.filters import YearFilter

from .models import (
    Activity,
    ActivityCategory,
    ActivityStatus,
    ArchiveSlot,
    Brand,
    BrandCategory,
)


def archive_complete_q() -> Q:
    return Q(**{Activity.archive_field(s): True for s in ArchiveSlot.values})


class ActivityFilter(PortalFilterSet):
    year = YearFilter(field_name="date")
    category = django_filters.ChoiceFilter(
        label="类别", choices=ActivityCategory.choices, empty_label="全部类别"
    )
    status = django_filters.ChoiceFilter(
        label="审核状态", choices=ActivityStatus.choices, empty_label="全部状态"
    )
    archive = django_filters.ChoiceFilter(
        label="五有档案",
        choices=[("complete", "齐全"), ("incomplete", "不全")],
        empty_label="全部",
        method="filter_archive",
    )

    search_fields = ("name", "form", "description")

    class Meta:
        model = Activity
        fields = ["community", "year", "category", "status", "archive", "q"]

    def filter_archive(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "complete":
            return queryset.filter(archive_complete_q())
        return queryset.exclude(archive_complete_q())


class QueueFilter(PortalFilterSet):
    category = django_filters.ChoiceFilter(
        label="类别", choices=ActivityCategory.choices, empty_label="全部类别"
    )

    search_fields = ("name", "form")

    class Meta:
        model = Activity
        fields = ["community", "category", "q"]


class BrandFilter(PortalFilterSet):
    category = django_filters.ChoiceFilter(
        label="类别", choices=BrandCategory.choices, empty_label="全部类别"
    )
    active = django_filters.ChoiceFilter(
        label="状态",
        choices=[("active", "有效"), ("revoked", "已撤销")],
        empty_label="全部",
        method="filter_active",
    )

    search_fields = ("name", "recognised_by", "description")

    class Meta:
        model = Brand
        fields = ["community", "category", "active", "q"]

    def filter_active(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "active":
            return queryset.filter(revoked_year__isnull=True)
        return queryset.filter(revoked_year__isnull=False)
