"""The retention review list (columns = Excel export columns; no phone numbers)."""

from __future__ import annotations

import django_tables2 as tables

from portal.dates import today
from portal.tables import IsoDateColumn, PortalTable
from teams.models import Person


class RetentionTable(PortalTable):
    code = tables.Column(linkify=("teams:person_detail", {"pk": tables.A("pk")}))
    name = tables.Column(linkify=("teams:person_detail", {"pk": tables.A("pk")}))
    street = tables.Column(verbose_name="街道")
    left_on = IsoDateColumn(verbose_name="退出日期")
    overdue = tables.Column(verbose_name="已退出天数", empty_values=(), order_by=("left_on",))
    action = tables.LinkColumn(
        "privacy:anonymise",
        args=[tables.A("pk")],
        text="匿名化",
        verbose_name="处理",
        orderable=False,
        exclude_from_export=True,
        empty_values=(),
    )

    class Meta(PortalTable.Meta):
        model = Person
        fields = ("code", "name", "street", "left_on", "overdue")
        order_by = ("left_on",)
        empty_text = "没有超过保存期限的人员。"

    def render_overdue(self, record: Person) -> int:
        return (today() - record.left_on).days

    value_overdue = render_overdue
