"""One user's inbox: everything that asks them to act, each item linking to where the work is."""

from django.conf import settings
from django.db import models


class Kind(models.TextChoices):
    PERIOD_RETURNED = "period_returned", "报送被退回"
    PERIOD_UNLOCKED = "period_unlocked", "期间已解锁"
    PERIOD_SUBMITTED = "period_submitted", "期间待审核"
    DEADLINE = "deadline", "报送截止提醒"
    ACTIVITY_RETURNED = "activity_returned", "活动被退回"
    RECTIFICATION_ISSUED = "rect_issued", "整改任务"
    RECTIFICATION_OVERDUE = "rect_overdue", "整改逾期"
    RECTIFICATION_ANSWERED = "rect_answered", "整改待验收"
    RECTIFICATION_RETURNED = "rect_returned", "整改被退回"


class Item(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="收件人",
        on_delete=models.CASCADE,
        related_name="inbox_items",
    )
    kind = models.CharField("类别", max_length=20, choices=Kind.choices)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    url = models.CharField("链接", max_length=300)
    # Posting the same reminder twice (a daily job run again) is a no-op: see services.post.
    key = models.CharField("去重键", max_length=120, blank=True)
    created_at = models.DateTimeField("时间", auto_now_add=True)
    read_at = models.DateTimeField("已读时间", null=True, blank=True)

    class Meta:
        verbose_name = "收件箱消息"
        verbose_name_plural = "收件箱消息"
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"],
                condition=~models.Q(key=""),
                name="inbox_item_unique_key",
                violation_error_code="inbox_item_unique_key",
                violation_error_message="该提醒已发送。",
            )
        ]

    def __str__(self) -> str:
        return self.title
