"""Rectification (整改): a task the street issues to a community from its assessment result,
answered with evidence and accepted or returned, every step kept with who, when and a note."""

from django.conf import settings
from django.db import models

from activities.models import Activity
from assessments.models import IndicatorResult
from communities.models import Community


class Status(models.TextChoices):
    ISSUED = "issued", "待整改"
    ANSWERED = "answered", "待验收"
    RETURNED = "returned", "已退回"
    ACCEPTED = "accepted", "已销号"


class Action(models.TextChoices):
    ISSUE = "issue", "下达"
    ANSWER = "answer", "答复"
    RETURN = "return", "退回"
    ACCEPT = "accept", "验收通过"


class Rectification(models.Model):
    community = models.ForeignKey(
        Community, verbose_name="社区", on_delete=models.PROTECT, related_name="rectifications"
    )
    year = models.PositiveSmallIntegerField("考核年度")
    # The scorecard line it came from (kept as text too: a result may be deleted with its run).
    source = models.ForeignKey(
        IndicatorResult,
        verbose_name="来源指标得分",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    indicator = models.CharField("指标", max_length=120)
    requirement = models.TextField("整改要求")
    deadline = models.DateField("整改期限")
    responsible = models.CharField("责任人", max_length=50)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.ISSUED)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="下达人", on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField("下达时间", auto_now_add=True)
    answer = models.TextField("整改说明", blank=True)
    activities = models.ManyToManyField(
        Activity, verbose_name="关联活动", blank=True, related_name="rectifications"
    )
    closed_at = models.DateTimeField("销号时间", null=True, blank=True)

    class Meta:
        verbose_name = "整改任务"
        verbose_name_plural = "整改任务"
        ordering = ["deadline", "pk"]
        indexes = [models.Index(fields=["community", "status"])]

    def __str__(self) -> str:
        return f"{self.community} · {self.indicator}"


class Step(models.Model):
    rectification = models.ForeignKey(
        Rectification, verbose_name="整改任务", on_delete=models.CASCADE, related_name="steps"
    )
    action = models.CharField("操作", max_length=10, choices=Action.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField("时间", auto_now_add=True)
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = "整改记录"
        verbose_name_plural = "整改记录"
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.rectification} · {self.get_action_display()}"


class Attachment(models.Model):
    rectification = models.ForeignKey(
        Rectification, verbose_name="整改任务", on_delete=models.CASCADE, related_name="files"
    )
    file = models.FileField("文件", upload_to="rectification/%Y/")
    name = models.CharField("文件名", max_length=200)
    size = models.PositiveIntegerField("大小")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = "整改佐证"
        verbose_name_plural = "整改佐证"

    def __str__(self) -> str:
        return self.name
