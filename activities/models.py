"""活动 with the 五有 archive and the verification workflow, and brands (配送 is delivery/).

State changes of an activity go through activities/services.py, which logs each one as an
ActivityTransition; nothing else should assign Activity.status.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
from simple_history.models import HistoricalRecords

from communities.models import Community
from facilities.models import Facility
from teams.models import Team


def waiting_since() -> Coalesce:
    """Since when a 待审核 activity has waited: when it last entered 待审核 (submitted_at,
    set by every submission and by an import that changes a status to 待审核), else, for a
    row imported as 待审核, when it was entered. The verification queue sorts by it, the
    dashboard's alert and the district's overdue count compare it with a cutoff, and the
    partial index activity_waiting_since serves all three."""
    return Coalesce("submitted_at", "created_at")


class ActivityCategory(models.TextChoices):
    CULTURE = "文化", "文化"
    SPORTS = "体育", "体育"


class ActivityScale(models.TextChoices):
    LARGE = "大型", "大型"
    MEDIUM = "中型", "中型"
    SMALL = "小型", "小型"


class ActivityStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PENDING = "pending", "待审核"
    VERIFIED = "verified", "已审核"
    RETURNED = "returned", "已退回"


class BrandCategory(models.TextChoices):
    CULTURE = "示范文化品牌", "示范文化品牌"
    SPORTS = "特色体育项目", "特色体育项目"


class Brand(models.Model):
    """示范文化品牌 or 特色体育项目 of a community, active from 认定年度 until 撤销年度."""

    community = models.ForeignKey(
        Community, verbose_name="社区", on_delete=models.PROTECT, related_name="brands"
    )
    name = models.CharField("品牌名称", max_length=100)
    category = models.CharField("类别", max_length=10, choices=BrandCategory.choices)
    recognised_year = models.PositiveSmallIntegerField("认定年度")
    recognised_by = models.CharField("认定单位", max_length=100, blank=True)
    revoked_year = models.PositiveSmallIntegerField("撤销年度", null=True, blank=True)
    description = models.TextField("简介", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "品牌项目"
        verbose_name_plural = "品牌项目"
        ordering = ["community", "category", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "name"],
                name="brand_unique_name",
                violation_error_code="brand_unique_name",
                violation_error_message="本社区已有同名的品牌项目（品牌名称不能重复）。",
            ),
            models.CheckConstraint(
                condition=Q(revoked_year__isnull=True)
                | Q(revoked_year__gte=models.F("recognised_year")),
                name="brand_revoked_not_before_recognised",
                violation_error_code="brand_revoked_not_before_recognised",
                violation_error_message="撤销年度不能早于认定年度。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.community} · {self.name}"


class ArchiveSlot(models.TextChoices):
    """The five items of a "五有" activity archive, in the order the 台账 keeps them."""

    PLAN = "plan", "计划"
    ARRANGEMENT = "arrangement", "安排"
    MATERIAL = "material", "资料"
    IMAGE = "image", "影像"
    SUMMARY = "summary", "总结"


class Activity(models.Model):
    community = models.ForeignKey(
        Community, verbose_name="社区", on_delete=models.PROTECT, related_name="activities"
    )
    name = models.CharField("活动名称", max_length=200)
    date = models.DateField("活动日期")
    category = models.CharField("类别", max_length=10, choices=ActivityCategory.choices)
    form = models.CharField("形式", max_length=50, blank=True)
    scale = models.CharField("规模", max_length=10, choices=ActivityScale.choices, blank=True)
    is_exchange = models.BooleanField("文化走亲", default=False)
    partners = models.ManyToManyField(
        Community,
        verbose_name="走亲社区",
        blank=True,
        related_name="exchange_visits",
        through="ActivityPartner",
    )
    participants = models.PositiveIntegerField("参与人数", null=True, blank=True)
    location = models.ForeignKey(
        Facility,
        verbose_name="活动地点",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="activities",
    )
    teams = models.ManyToManyField(
        Team, verbose_name="组织团队", blank=True, related_name="activities"
    )
    brand = models.ForeignKey(
        Brand,
        verbose_name="所属品牌",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="activities",
    )
    description = models.TextField("活动内容", blank=True)
    status = models.CharField(
        "审核状态", max_length=10, choices=ActivityStatus.choices, default=ActivityStatus.DRAFT
    )
    return_reason = models.TextField("退回原因", blank=True)
    # When it last entered 待审核: the verification queue is served oldest first by this,
    # and the dashboard's "waiting too long" alert reads it. Null for rows imported as
    # pending, which fall back to created_at.
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    # The 五有 archive as the 台账 records it. An uploaded file sets its slot; a workbook
    # import may also set it for archives kept on paper.
    has_plan = models.BooleanField("计划", default=False)
    has_arrangement = models.BooleanField("安排", default=False)
    has_material = models.BooleanField("资料", default=False)
    has_image = models.BooleanField("影像", default=False)
    has_summary = models.BooleanField("总结", default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="录入人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("录入时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "文体活动"
        verbose_name_plural = "文体活动"
        ordering = ["-date", "community", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "name", "date"],
                name="activity_unique_name_date",
                violation_error_code="activity_unique_name_date",
                violation_error_message="本社区在同一活动日期已有同名的活动。",
            ),
        ]
        indexes = [
            models.Index(fields=["community", "status", "date"], name="activity_scope_status_date"),
            models.Index(fields=["status", "date"], name="activity_status_date"),
            # A district's lists, newest first, and its 待审核 queue, longest waiting first
            # (activities.tables), read 25 rows off an index instead of sorting them all.
            models.Index(fields=["-date"], name="activity_newest_first"),
            models.Index(
                waiting_since(),
                condition=Q(status="pending"),
                name="activity_waiting_since",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.name}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("activities:detail", args=[self.pk])

    @staticmethod
    def archive_field(slot: str) -> str:
        return f"has_{slot}"

    @property
    def archive_complete(self) -> bool:
        return all(getattr(self, self.archive_field(s)) for s in ArchiveSlot.values)


class ActivityPartner(models.Model):
    """A community visited or invited in a 文化走亲 activity (credited in A6)."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="partner_links")
    community = models.ForeignKey(
        Community, verbose_name="走亲社区", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = "走亲社区"
        verbose_name_plural = "走亲社区"
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "community"],
                name="activity_partner_once",
                violation_error_code="activity_partner_once",
                violation_error_message="同一个走亲社区在一项活动中只能出现一次。",
            ),
        ]

    def __str__(self) -> str:
        return str(self.community)


def archive_upload_to(instance: "ArchiveFile", filename: str) -> str:
    # Stored names never reuse the uploader's file name (it may hold path tricks or
    # markup); the original is kept in ArchiveFile.original_name for display only.
    import uuid
    from pathlib import PurePath

    suffix = PurePath(filename).suffix.lower()[:10]
    return f"archives/{instance.activity_id}/{instance.slot}/{uuid.uuid4().hex}{suffix}"


class ArchiveFile(models.Model):
    activity = models.ForeignKey(
        Activity, verbose_name="活动", on_delete=models.PROTECT, related_name="files"
    )
    slot = models.CharField("档案类别", max_length=12, choices=ArchiveSlot.choices)
    file = models.FileField("文件", upload_to=archive_upload_to, max_length=200)
    original_name = models.CharField("原文件名", max_length=200)
    content_type = models.CharField("文件类型", max_length=100)
    size = models.PositiveIntegerField("大小(字节)")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="上传人",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "档案文件"
        verbose_name_plural = "档案文件"
        ordering = ["activity", "slot", "uploaded_at"]

    def __str__(self) -> str:
        return f"{self.activity} · {self.get_slot_display()} · {self.original_name}"

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class ActivityTransition(models.Model):
    """One step of the verification workflow: who moved the activity, when, and why."""

    activity = models.ForeignKey(
        Activity, verbose_name="活动", on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField("原状态", max_length=10, choices=ActivityStatus.choices)
    to_status = models.CharField("新状态", max_length=10, choices=ActivityStatus.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField("时间", auto_now_add=True)
    reason = models.TextField("原因", blank=True)

    class Meta:
        verbose_name = "审核记录"
        verbose_name_plural = "审核记录"
        ordering = ["activity", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.activity}: {self.get_from_status_display()} → {self.get_to_status_display()}"
