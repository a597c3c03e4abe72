"""The reused-photo report's table (also its Excel sheet)."""

from __future__ import annotations

import django_tables2 as tables

from portal.tables import IsoDateTimeColumn, PortalTable

from .models import PhotoFlag

NUM = {"td": {"class": "num"}, "th": {"class": "num"}}


class ReuseTable(PortalTable):
    community = tables.Column(verbose_name="社区", accessor="activity__community__name")
    date = tables.DateColumn(verbose_name="活动日期", accessor="activity__date", format="Y-m-d")
    activity = tables.Column(
        verbose_name="活动",
        accessor="activity__name",
        linkify=("activities:detail", {"pk": tables.A("activity_id")}),
    )
    photo = tables.Column(verbose_name="照片", accessor="photo__original_name")
    other_community = tables.Column(
        verbose_name="相似照片所在社区", accessor="other_activity__community__name"
    )
    other_date = tables.DateColumn(
        verbose_name="该活动日期", accessor="other_activity__date", format="Y-m-d"
    )
    other_activity = tables.Column(
        verbose_name="相似照片所在活动",
        accessor="other_activity__name",
        linkify=("activities:detail", {"pk": tables.A("other_activity_id")}),
    )
    distance = tables.Column(verbose_name="差异位数", attrs=NUM)
    explained = tables.Column(verbose_name="说明")
    explained_at = IsoDateTimeColumn(verbose_name="说明时间")

    class Meta(PortalTable.Meta):
        model = PhotoFlag
        fields = ()
        sequence = (
            "community",
            "date",
            "activity",
            "photo",
            "other_community",
            "other_date",
            "other_activity",
            "distance",
            "explained",
            "explained_at",
        )
        order_by = ("community", "-date")

    def render_explained(self, record: PhotoFlag) -> str:
        return f"已说明：{record.note}" if record.explained else "未说明"

    def value_explained(self, record: PhotoFlag) -> str:
        return self.render_explained(record)
