"""List tables of 活动, the verification queue and 品牌 (columns = Excel columns)."""

from __future__ import annotations

from typing import Any

import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

from portal.dates import today
from portal.tables import IsoDateTimeColumn, PortalTable

from .models import Activity, ActivityStatus, ArchiveSlot, Brand

NUM = {"td": {"class": "num"}, "th": {"class": "num"}}
STATUS_BADGE = {
    ActivityStatus.DRAFT: "plain",
    ActivityStatus.PENDING: "warn",
    ActivityStatus.VERIFIED: "ok",
    ActivityStatus.RETURNED: "bad",
}
# Past this many days a submission counts as waiting too long (highlighted in the queue).
LATE_AFTER_DAYS = 7


def status_badge(activity: Activity) -> SafeString:
    return format_html(
        '<span class="badge {}">{}</span>',
        STATUS_BADGE.get(activity.status, "plain"),
        activity.get_status_display(),
    )


def archive_present(activity: Activity) -> list[str]:
    return [s.label for s in ArchiveSlot if getattr(activity, Activity.archive_field(s.value))]


class ArchiveColumn(tables.Column):
    """五有 as "3/5" on screen (the missing items in the tooltip), spelled out in Excel."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("verbose_name", "五有档案")
        kwargs.setdefault("accessor", "pk")
        kwargs.setdefault("orderable", False)
        super().__init__(**kwargs)

    def render(self, record: Activity) -> SafeString:
        have = archive_present(record)
        missing = [s.label for s in ArchiveSlot if s.label not in have]
        if not missing:
            return format_html('<span class="badge ok">{}</span>', "齐全")
        return format_html(
            '<span class="badge plain" title="缺：{}">{}/{}</span>',
            "、".join(missing),
            len(have),
            len(ArchiveSlot),
        )

    def value(self, record: Activity) -> str:
        have = archive_present(record)
        if len(have) == len(ArchiveSlot):
            return "齐全"
        return f"{len(have)}/{len(ArchiveSlot)}" + (f"（有：{'、'.join(have)}）" if have else "")


class ActivityTable(PortalTable):
    name = tables.Column(linkify=("activities:detail", {"pk": tables.A("pk")}))
    participants = tables.Column(attrs=NUM)
    archive = ArchiveColumn()

    class Meta(PortalTable.Meta):
        model = Activity
        fields = (
            "community",
            "date",
            "name",
            "category",
            "form",
            "scale",
            "participants",
            "is_exchange",
            "status",
            "archive",
        )
        order_by = ("-date",)

    def render_is_exchange(self, value: bool) -> str:
        return "是" if value else ""

    def value_is_exchange(self, value: bool) -> str:
        return "是" if value else "否"

    def render_status(self, record: Activity) -> SafeString:
        return status_badge(record)

    def value_status(self, record: Activity) -> str:
        return record.get_status_display()


def waiting_days(record: Activity) -> int:
    since = getattr(record, "waiting_since", None) or record.created_at
    return max(0, (today() - timezone.localdate(since)).days)


class QueueTable(PortalTable):
    """待审核, oldest submission first; rows waiting over a week are marked."""

    waiting_since = IsoDateTimeColumn(verbose_name="提交时间")
    waiting = tables.Column(
        verbose_name="已等待", accessor="waiting_since", attrs=NUM, order_by=("waiting_since",)
    )
    name = tables.Column(linkify=("activities:detail", {"pk": tables.A("pk")}))
    archive = ArchiveColumn()
    actions = tables.TemplateColumn(
        template_name="activities/_queue_actions.html",
        verbose_name="操作",
        orderable=False,
        exclude_from_export=True,
    )

    class Meta(PortalTable.Meta):
        model = Activity
        fields = (
            "waiting_since",
            "waiting",
            "community",
            "date",
            "name",
            "category",
            "scale",
            "archive",
        )
        order_by = ("waiting_since",)
        row_attrs = {
            "class": lambda record: "late" if waiting_days(record) > LATE_AFTER_DAYS else ""
        }

    def render_waiting(self, record: Activity) -> SafeString:
        days = waiting_days(record)
        if days > LATE_AFTER_DAYS:
            return format_html('<span class="badge bad">{} 天</span>', days)
        return format_html("{} 天", days)

    def value_waiting(self, record: Activity) -> int:
        return waiting_days(record)


class BrandTable(PortalTable):
    name = tables.Column(linkify=("activities:brand_detail", {"pk": tables.A("pk")}))
    activity_count = tables.Column(verbose_name="活动数", attrs=NUM)

    class Meta(PortalTable.Meta):
        model = Brand
        fields = (
            "community",
            "name",
            "category",
            "recognised_year",
            "recognised_by",
            "revoked_year",
        )
        sequence = (
            "community",
            "name",
            "category",
            "recognised_year",
            "recognised_by",
            "revoked_year",
            "activity_count",
        )
        order_by = ("community", "name")
