"""志愿服务: service entries (at an activity, make-up, opening balance) and service certificates.

A person's hours are the sum of their entries; nothing stores a hand-typed total. Whether an
activity entry is verified is not stored either: it follows the activity's status
(`COUNTED`), so verifying, returning or reopening an activity needs no second write.
`teams.Volunteer.service_hours` is kept equal to the counted sum (services.refresh_totals),
so the workbook exports the total and the volunteer lists show it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from activities.models import Activity, ActivityStatus
from communities.models import Community, Street
from teams.models import Person


class EntryKind(models.TextChoices):
    ACTIVITY = "activity", "活动服务"
    MAKEUP = "makeup", "补录"
    OPENING = "opening", "期初时长（工作簿导入）"


class Approval(models.TextChoices):
    PENDING = "pending", "待审批"
    APPROVED = "approved", "已批准"
    REFUSED = "refused", "未批准"


class ServiceRole(models.TextChoices):
    VOLUNTEER = "志愿者", "志愿者"
    INSTRUCTOR = "社会体育指导员", "社会体育指导员"


# Counted in a person's hours: verified activities, approved make-ups, the opening balance.
COUNTED = (
    Q(kind=EntryKind.OPENING)
    | Q(kind=EntryKind.MAKEUP, approval=Approval.APPROVED)
    | Q(kind=EntryKind.ACTIVITY, activity__status=ActivityStatus.VERIFIED)
)
# Waiting for the street: an activity not verified yet, a make-up not decided yet.
PENDING = (Q(kind=EntryKind.ACTIVITY) & ~Q(activity__status=ActivityStatus.VERIFIED)) | Q(
    kind=EntryKind.MAKEUP, approval=Approval.PENDING
)


class ServiceEntry(models.Model):
    person = models.ForeignKey(
        Person, verbose_name="人员", on_delete=models.PROTECT, related_name="service_entries"
    )
    community = models.ForeignKey(
        Community, verbose_name="社区", on_delete=models.PROTECT, related_name="service_entries"
    )
    kind = models.CharField("类型", max_length=10, choices=EntryKind.choices)
    activity = models.ForeignKey(
        Activity,
        verbose_name="活动",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="service_entries",
    )
    date = models.DateField("服务日期")
    role = models.CharField(
        "角色", max_length=20, choices=ServiceRole.choices, default=ServiceRole.VOLUNTEER
    )
    hours = models.DecimalField("时长(小时)", max_digits=7, decimal_places=1)
    content = models.CharField("服务内容", max_length=200, blank=True)
    reason = models.CharField("补录原因", max_length=200, blank=True)
    approval = models.CharField("审批", max_length=10, choices=Approval.choices, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审批人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    refusal_reason = models.CharField("不批准原因", max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="录入人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("录入时间", auto_now_add=True)

    class Meta:
        verbose_name = "志愿服务记录"
        verbose_name_plural = "志愿服务记录"
        ordering = ["-date", "person__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "person"],
                name="service_entry_once_per_activity",
                violation_error_code="service_entry_once_per_activity",
                violation_error_message="该人员在这次活动已有服务记录。",
            ),
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(kind="opening"),
                name="service_one_opening_balance",
                violation_error_code="service_one_opening_balance",
                violation_error_message="每人只有一条期初时长。",
            ),
            models.CheckConstraint(
                condition=Q(hours__gt=0),
                name="service_entry_hours_positive",
                violation_error_code="service_entry_hours_positive",
                violation_error_message="服务时长必须大于 0。",
            ),
            models.CheckConstraint(
                condition=Q(kind="activity", activity__isnull=False)
                | (~Q(kind="activity") & Q(activity__isnull=True)),
                name="service_entry_activity_iff_kind",
                violation_error_code="service_entry_activity_iff_kind",
                violation_error_message="活动服务必须选择活动；补录和期初时长不能选择活动。",
            ),
        ]
        indexes = [models.Index(fields=["person", "date"], name="service_entry_person_date")]

    def __str__(self) -> str:
        return f"{self.person.name} {self.date} {self.hours}小时"

    @property
    def state(self) -> str:
        """已计入 / 待审核 / 待审批 / 未批准, read from the activity or the approval."""
        if self.kind == EntryKind.OPENING:
            return "已计入"
        if self.kind == EntryKind.MAKEUP:
            return {Approval.APPROVED: "已计入", Approval.PENDING: "待审批"}.get(
                self.approval, "未批准"
            )
        return "已计入" if self.activity.status == ActivityStatus.VERIFIED else "待审核"


class CertificateCounter(models.Model):
    """The last number issued in a street and year; locked while a number is taken."""

    street = models.ForeignKey(Street, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["street", "year"],
                name="certificate_counter_once",
                violation_error_code="certificate_counter_once",
                violation_error_message="该街道这一年度的证明编号计数已存在。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.street_id}/{self.year}: {self.last}"


class ServiceCertificate(models.Model):
    """志愿服务记录证明 as issued: what was certified is frozen in `services`."""

    number = models.CharField("证明编号", max_length=30, unique=True)
    street = models.ForeignKey(Street, verbose_name="街道", on_delete=models.PROTECT)
    community = models.ForeignKey(Community, verbose_name="社区", on_delete=models.PROTECT)
    person = models.ForeignKey(
        Person, verbose_name="志愿者", on_delete=models.PROTECT, related_name="service_certificates"
    )
    period_start = models.DateField("起始日期")
    period_end = models.DateField("截止日期")
    total_hours = models.DecimalField("已认证时长(小时)", max_digits=9, decimal_places=1)
    services = models.JSONField("服务明细", default=list)  # [[date, activity/content, hours]]
    issued_on = models.DateField("开具日期")
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="开具人", on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField("开具时间", auto_now_add=True)

    class Meta:
        verbose_name = "志愿服务记录证明"
        verbose_name_plural = "志愿服务记录证明"
        ordering = ["-issued_at", "-number"]

    def __str__(self) -> str:
        return self.number
