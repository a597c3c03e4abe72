"""Fingerprints of the 五有 photos and the flags they raise (reused photo, wrong date).

PhotoFingerprint is computed off the request path (evidence/tasks.py) for every image of an
archive; PhotoHash holds its hashes cut into indexed bands (evidence/hashing.py explains the
search); PhotoFlag is one warning about one photo, seen by street staff on the activity page
and the verification queue, and explained by them with a note (kept in the flag's history).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from activities.models import Activity, ArchiveFile
from communities.models import Street


class FingerprintStatus(models.TextChoices):
    OK = "ok", "已比对"
    PLAIN = "plain", "画面过于单一，未比对"
    UNREADABLE = "unreadable", "无法读取"


class PhotoFingerprint(models.Model):
    archive_file = models.OneToOneField(
        ArchiveFile, verbose_name="照片", on_delete=models.CASCADE, related_name="fingerprint"
    )
    status = models.CharField("状态", max_length=12, choices=FingerprintStatus.choices)
    width = models.PositiveIntegerField("宽(像素)", null=True, blank=True)
    height = models.PositiveIntegerField("高(像素)", null=True, blank=True)
    # The camera's own clock, as EXIF keeps it (no time zone): compared by date only.
    taken_at = models.DateTimeField("拍摄时间(EXIF)", null=True, blank=True)
    camera = models.CharField("相机型号", max_length=100, blank=True)
    computed_at = models.DateTimeField("计算时间", auto_now=True)

    class Meta:
        verbose_name = "照片指纹"
        verbose_name_plural = "照片指纹"

    def __str__(self) -> str:
        return f"{self.archive_file_id} · {self.get_status_display()}"


class PhotoHash(models.Model):
    """One perceptual hash of a photo (the whole, or one crop), with its bands indexed.

    The street is repeated here so that the search reads one table: photos are compared
    with every photo of the same street, any year."""

    fingerprint = models.ForeignKey(
        PhotoFingerprint, on_delete=models.CASCADE, related_name="hashes"
    )
    street = models.ForeignKey(Street, on_delete=models.CASCADE, related_name="+")
    variant = models.PositiveSmallIntegerField("截取方式")
    value = models.BigIntegerField("哈希值")  # the unsigned 64 bits, stored signed
    band0 = models.IntegerField()
    band1 = models.IntegerField()
    band2 = models.IntegerField()
    band3 = models.IntegerField()

    class Meta:
        verbose_name = "照片哈希"
        verbose_name_plural = "照片哈希"
        indexes = [
            models.Index(fields=["street", f"band{i}"], name=f"evidence_hash_band{i}")
            for i in range(4)
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["fingerprint", "variant"],
                name="evidence_hash_one_per_variant",
                violation_error_message="同一张照片的同一种截取方式只能有一个哈希值。",
                violation_error_code="duplicate_hash",
            )
        ]

    def __str__(self) -> str:
        return f"{self.fingerprint_id} · {self.variant}"


class FlagKind(models.TextChoices):
    REUSE = "reuse", "照片重复使用"
    DATE = "date", "拍摄日期不符"


class PhotoFlag(models.Model):
    """A warning about one photo of an activity; never blocks verification by itself.

    A reused photo gives two flags, one on each activity (`other` is the matching photo);
    explaining one explains both, since the note is about the pair."""

    kind = models.CharField("类型", max_length=8, choices=FlagKind.choices)
    photo = models.ForeignKey(
        ArchiveFile, verbose_name="照片", on_delete=models.CASCADE, related_name="photo_flags"
    )
    activity = models.ForeignKey(
        Activity, verbose_name="活动", on_delete=models.CASCADE, related_name="photo_flags"
    )
    other = models.ForeignKey(
        ArchiveFile,
        verbose_name="相似照片",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    other_activity = models.ForeignKey(
        Activity,
        verbose_name="相似照片所在活动",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    distance = models.PositiveSmallIntegerField("差异位数", null=True, blank=True)
    days_off = models.IntegerField("相差天数", null=True, blank=True)
    explained = models.BooleanField("已说明", default=False)
    note = models.TextField("说明", blank=True)
    explained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="说明人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    explained_at = models.DateTimeField("说明时间", null=True, blank=True)
    created_at = models.DateTimeField("发现时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "照片疑点"
        verbose_name_plural = "照片疑点"
        ordering = ["activity", "photo", "kind", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["photo", "other"],
                condition=models.Q(kind="reuse"),
                name="evidence_flag_one_per_pair",
                violation_error_message="这两张照片的重复使用疑点已经登记过。",
                violation_error_code="duplicate_reuse_flag",
            ),
            models.UniqueConstraint(
                fields=["photo"],
                condition=models.Q(kind="date"),
                name="evidence_flag_one_date",
                violation_error_message="这张照片的拍摄日期疑点已经登记过。",
                violation_error_code="duplicate_date_flag",
            ),
        ]
        indexes = [models.Index(fields=["activity", "explained"], name="evidence_flag_activity")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.photo}"


class RunStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "进行中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


class FingerprintRun(models.Model):
    """Fingerprinting the photos uploaded before this check existed: a background job whose
    progress the report page shows (started by `manage.py fingerprint_photos`)."""

    status = models.CharField(
        "状态", max_length=8, choices=RunStatus.choices, default=RunStatus.QUEUED
    )
    total = models.PositiveIntegerField("照片数", default=0)
    done = models.PositiveIntegerField("已处理", default=0)
    flagged = models.PositiveIntegerField("新发现疑点", default=0)
    message = models.CharField("说明", max_length=200, blank=True)
    created_at = models.DateTimeField("提交时间", auto_now_add=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "照片指纹计算"
        verbose_name_plural = "照片指纹计算"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"照片指纹计算 #{self.pk}（{self.get_status_display()}）"

    @property
    def progress(self) -> int:
        return 100 if not self.total else min(100, self.done * 100 // self.total)
