"""The street's reporting calendar, each community's submitted periods and their history.

A submission is one community's period (its start and end dates are stored, so a later
change of the calendar never moves what was approved). An approved submission locks every
dated record of its community in [start, end] for community users (locks.py).
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from communities.models import Community, Street

from . import rules


class Cadence(models.TextChoices):
    MONTHLY = rules.MONTHLY, "按月"
    QUARTERLY = rules.QUARTERLY, "按季度"


class ReportingCalendar(models.Model):
    street = models.OneToOneField(
        Street, verbose_name="街道", on_delete=models.CASCADE, related_name="reporting_calendar"
    )
    cadence = models.CharField(
        "报送周期", max_length=10, choices=Cadence.choices, default=Cadence.MONTHLY
    )
    deadline_day = models.PositiveSmallIntegerField(
        "截止日（次月几号）",
        default=5,
        help_text="每期结束后次月的第几天为报送截止日，1–28。",
    )
    require_approval_to_finalise = models.BooleanField(
        "定稿前须全部期间审核通过",
        default=False,
        help_text="勾选后，年度考核定稿前每个社区的每个期间都须审核通过；不勾选则只提示。",
    )

    class Meta:
        verbose_name = "报送日历"
        verbose_name_plural = "报送日历"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(deadline_day__gte=1, deadline_day__lte=28),
                name="reporting_deadline_day_range",
                violation_error_code="reporting_deadline_day_range",
                violation_error_message="截止日须在1到28之间。",
            )
        ]

    def __str__(self) -> str:
        return f"{self.street}：{self.get_cadence_display()}，次月{self.deadline_day}日截止"


class SubmissionStatus(models.TextChoices):
    SUBMITTED = "submitted", "已报送"
    APPROVED = "approved", "已审核"
    RETURNED = "returned", "已退回"
    UNLOCKED = "unlocked", "已解锁"


class PeriodSubmission(models.Model):
    community = models.ForeignKey(
        Community, verbose_name="社区", on_delete=models.CASCADE, related_name="submissions"
    )
    year = models.PositiveSmallIntegerField("年度")
    number = models.PositiveSmallIntegerField("期次")
    cadence = models.CharField("报送周期", max_length=10, choices=Cadence.choices)
    start = models.DateField("起始日")
    end = models.DateField("结束日")
    due = models.DateField("截止日")
    status = models.CharField("状态", max_length=10, choices=SubmissionStatus.choices)
    first_submitted_at = models.DateTimeField("首次报送时间")
    submitted_at = models.DateTimeField("最近报送时间")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="报送人",
        on_delete=models.PROTECT,
        related_name="+",
    )
    summary = models.JSONField("报送摘要", default=dict, blank=True)
    decided_at = models.DateTimeField("审核时间", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    reason = models.TextField("退回/解锁原因", blank=True)

    class Meta:
        verbose_name = "期间报送"
        verbose_name_plural = "期间报送"
        ordering = ["community", "start"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "start", "end"],
                name="submission_unique_period",
                violation_error_code="submission_unique_period",
                violation_error_message="该社区该期间已有报送记录。",
            )
        ]
        indexes = [models.Index(fields=["community", "status", "start", "end"])]

    def __str__(self) -> str:
        return f"{self.community} {self.period.label}"

    @property
    def period(self) -> rules.Period:
        return rules.Period(self.year, self.number, self.cadence)

    @property
    def days_late(self) -> int:
        return rules.days_late(timezone.localtime(self.first_submitted_at).date(), self.due)


class EventAction(models.TextChoices):
    SUBMIT = "submit", "报送"
    APPROVE = "approve", "审核通过"
    RETURN = "return", "退回"
    UNLOCK = "unlock", "解锁"


class PeriodEvent(models.Model):
    """Every submission, approval, return and unlock, with who, when and why."""

    submission = models.ForeignKey(
        PeriodSubmission, verbose_name="报送", on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField("操作", max_length=10, choices=EventAction.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField("时间", auto_now_add=True)
    reason = models.TextField("原因", blank=True)

    class Meta:
        verbose_name = "报送记录"
        verbose_name_plural = "报送记录"
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.submission} {self.get_action_display()}"
