"""The district's published scheme (区县统一考核方案) of a year.

A frozen snapshot in the engine's plain-data shape (assessments.scheme.SchemeSpec.of reads
it): once published it is never changed or deleted — not by a street (which has no door to
it at all), not by the district itself (a new year gets a new scheme). It lives here, below
the district app, because the streets' own assessment (default_scheme.data_for_streets,
ensure_scheme) takes it as their scheme of the year: a street of the district is scored by
it; its own scheme of that year, if it keeps one, is an extra scheme for itself.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from communities.models import District


class PublishedSchemeError(Exception):
    """An attempt to change or delete a published district scheme."""

    def __init__(self) -> None:
        super().__init__("区县已发布的考核方案不能修改或删除；如需调整请发布下一年度的方案。")


class PublishedSchemeQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        raise PublishedSchemeError()

    def delete(self) -> tuple[int, dict[str, int]]:
        raise PublishedSchemeError()


class PublishedScheme(models.Model):
    district = models.ForeignKey(
        District, verbose_name="区县", on_delete=models.PROTECT, related_name="published_schemes"
    )
    year = models.PositiveSmallIntegerField("年度")
    name = models.CharField("方案名称", max_length=100)
    data = models.JSONField("方案内容")
    source = models.CharField("来源", max_length=100)
    published_at = models.DateTimeField("发布时间", auto_now_add=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="发布人", on_delete=models.PROTECT, related_name="+"
    )

    objects = PublishedSchemeQuerySet.as_manager()

    class Meta:
        app_label = "assessments"
        verbose_name = "区县考核方案"
        verbose_name_plural = "区县考核方案"
        ordering = ["district", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["district", "year"],
                # Not the district app's name for it: that table still exists when this one
                # is created (district 0002 copies and drops it), and PostgreSQL's index
                # names are one namespace.
                name="assessments_published_scheme_one_per_district_year",
                violation_error_code="published_scheme_one_per_district_year",
                violation_error_message="该区县这一年度已经发布了考核方案。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.district} {self.year}年 {self.name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise PublishedSchemeError()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise PublishedSchemeError()
