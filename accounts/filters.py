"""Filters of the 安全日志 and 账号 lists."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import QuerySet

from communities.filters import PortalFilterSet
from communities.models import Membership, Role
from security_log.models import Event, Result, SecurityEvent


class SecurityEventFilter(django_filters.FilterSet):
    event = django_filters.ChoiceFilter(label="事件", choices=Event.choices, empty_label="全部事件")
    result = django_filters.ChoiceFilter(
        label="结果", choices=Result.choices, empty_label="全部结果"
    )
    username = django_filters.CharFilter(label="账号", lookup_expr="iexact")
    ip = django_filters.CharFilter(label="IP 地址", lookup_expr="startswith")
    since = django_filters.DateFilter(
        label="起始日期",
        field_name="created_at",
        lookup_expr="date__gte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until = django_filters.DateFilter(
        label="截止日期",
        field_name="created_at",
        lookup_expr="date__lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    class Meta:
        model = SecurityEvent
        fields = ["event", "result", "username", "ip", "since", "until"]


class AccountFilter(PortalFilterSet):
    role = django_filters.ChoiceFilter(label="角色", choices=Role.choices, empty_label="全部角色")
    search_fields = ("user__username",)

    class Meta:
        model = Membership
        fields = ["community", "role", "q"]

    def filter_community(self, queryset: QuerySet, name: str, value: object) -> QuerySet:
        return queryset.filter(community=value)
