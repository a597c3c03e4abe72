"""Filters of the 队伍建设 lists."""

from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet

from communities.filters import PortalFilterSet
from communities.models import Community
from portal.dates import today

from .models import (
    Cadre,
    CadrePost,
    Certificate,
    Gender,
    InstructorLevel,
    Person,
    Team,
    TeamCategory,
    Volunteer,
)
from .selectors import person_links_q, valid_certificates_q


class PersonFilter(PortalFilterSet):
    gender = django_filters.ChoiceFilter(label="性别", choices=Gender.choices, empty_label="全部")

    search_fields = ("code", "name")

    class Meta:
        model = Person
        fields = ["community", "gender", "q"]

    def filter_community(self, queryset: QuerySet, name: str, value: Community) -> QuerySet:
        return queryset.filter(person_links_q(Community.objects.filter(pk=value.pk)))


class TeamFilter(PortalFilterSet):
    category = django_filters.ChoiceFilter(
        label="类别", choices=TeamCategory.choices, empty_label="全部类别"
    )
    state = django_filters.ChoiceFilter(
        label="状态",
        choices=[("active", "活跃"), ("dissolved", "已解散")],
        empty_label="全部",
        method="filter_state",
    )

    search_fields = ("name", "project", "leader")

    class Meta:
        model = Team
        fields = ["community", "category", "state", "q"]

    def filter_state(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        dissolved = Q(dissolved_on__isnull=False, dissolved_on__lte=today())
        return queryset.filter(dissolved) if value == "dissolved" else queryset.exclude(dissolved)


class VolunteerFilter(PortalFilterSet):
    state = django_filters.ChoiceFilter(
        label="状态",
        choices=[("active", "在册"), ("left", "已退出"), ("unregistered", "未注册")],
        empty_label="全部",
        method="filter_state",
    )

    search_fields = ("person__code", "person__name")

    class Meta:
        model = Volunteer
        fields = ["community", "state", "q"]

    def filter_state(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        left = Q(left_on__isnull=False, left_on__lte=today())
        if value == "unregistered":
            return queryset.filter(registered_on__isnull=True)
        if value == "left":
            return queryset.filter(left, registered_on__isnull=False)
        return queryset.filter(registered_on__isnull=False).exclude(left)


class CertificateFilter(PortalFilterSet):
    level = django_filters.ChoiceFilter(
        label="等级", choices=InstructorLevel.choices, empty_label="全部等级"
    )
    valid = django_filters.ChoiceFilter(
        label="今日有效",
        choices=[("yes", "有效"), ("no", "无效")],
        empty_label="全部",
        method="filter_valid",
    )

    search_fields = ("person__code", "person__name", "number", "sport")

    class Meta:
        model = Certificate
        fields = ["community", "level", "valid", "q"]

    def filter_valid(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        valid = valid_certificates_q(today())
        return queryset.filter(valid) if value == "yes" else queryset.exclude(valid)


class CadreFilter(PortalFilterSet):
    post = django_filters.ChoiceFilter(
        label="职务", choices=CadrePost.choices, empty_label="全部职务"
    )
    state = django_filters.ChoiceFilter(
        label="任职状态",
        choices=[("active", "在任"), ("left", "已离任")],
        empty_label="全部",
        method="filter_state",
    )

    search_fields = ("person__code", "person__name")

    class Meta:
        model = Cadre
        fields = ["community", "post", "state", "q"]

    def filter_state(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        left = Q(left_on__isnull=False, left_on__lte=today())
        return queryset.filter(left) if value == "left" else queryset.exclude(left)
