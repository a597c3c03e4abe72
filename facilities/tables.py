"""List tables of 文体设施 and 提升工程 (columns = Excel export columns)."""

from __future__ import annotations

import django_tables2 as tables
from django.utils.html import format_html

from portal.tables import PortalTable

from .models import Facility, UpgradeProject


class FacilityTable(PortalTable):
    name = tables.Column(linkify=("facilities:detail", {"pk": tables.A("pk")}))
    area = tables.Column(attrs={"td": {"class": "num"}, "th": {"class": "num"}})
    sets = tables.Column(attrs={"td": {"class": "num"}, "th": {"class": "num"}})
    free_open = tables.BooleanColumn(yesno="是,否")

    class Meta(PortalTable.Meta):
        model = Facility
        fields = (
            "community",
            "name",
            "kind",
            "area",
            "sets",
            "status",
            "opened_on",
            "ownership",
            "partner_unit",
            "free_open",
        )
        order_by = ("community", "name")


class UpgradeProjectTable(PortalTable):
    name = tables.Column(linkify=("facilities:project_detail", {"pk": tables.A("pk")}))
    investment = tables.Column(attrs={"td": {"class": "num"}, "th": {"class": "num"}})
    late = tables.Column(verbose_name="进度", accessor="is_late", orderable=False, empty_values=())

    class Meta(PortalTable.Meta):
        model = UpgradeProject
        fields = ("community", "name", "planned_year", "status", "completed_on", "investment")
        order_by = ("planned_year", "community")
        row_attrs = {"class": lambda record: "late" if record.is_late else ""}

    def render_late(self, value: bool) -> str:
        if value:
            return format_html('<span class="badge bad">{}</span>', "滞后")
        return format_html('<span class="badge ok">{}</span>', "正常")

    def value_late(self, value: bool) -> str:
        return "滞后" if value else "正常"
