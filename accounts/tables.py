"""Tables of the 安全日志 and 账号 lists (columns = Excel export columns)."""

from __future__ import annotations

import django_tables2 as tables

from communities.listing import IsoDateTimeColumn, PortalTable
from communities.models import Membership
from security_log.models import SecurityEvent


def _details_text(details: dict) -> str:
    return "；".join(f"{k}={v}" for k, v in sorted(details.items())) if details else ""


class SecurityEventTable(PortalTable):
    created_at = IsoDateTimeColumn(verbose_name="时间")
    details = tables.Column(verbose_name="详情", orderable=False)

    class Meta(PortalTable.Meta):
        model = SecurityEvent
        fields = ("seq", "created_at", "username", "ip", "event", "result", "details")
        order_by = ("-seq",)

    def render_details(self, value: dict) -> str:
        return _details_text(value)

    def value_details(self, value: dict) -> str:
        return _details_text(value)


class AccountTable(PortalTable):
    username = tables.Column(verbose_name="账号", accessor="user__username")
    street = tables.Column(verbose_name="街道")
    last_login = IsoDateTimeColumn(verbose_name="最近登录", accessor="user__last_login")
    second_factor = tables.Column(
        verbose_name="双因素", accessor="second_factor", orderable=False, empty_values=()
    )
    actions = tables.TemplateColumn(
        template_name="accounts/_reset_button.html",
        verbose_name="操作",
        orderable=False,
        exclude_from_export=True,
    )

    class Meta(PortalTable.Meta):
        model = Membership
        fields = ("username", "role", "street", "community", "last_login", "second_factor")
        order_by = ("username",)

    def render_second_factor(self, record: Membership) -> str:
        return "已启用" if getattr(record, "has_second_factor", False) else "未启用"

    def value_second_factor(self, record: Membership) -> str:
        return self.render_second_factor(record)
