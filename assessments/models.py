"""双百分考核: schemes as data, runs with their frozen results, manual scores.

A Scheme (per street and year) binds metrics (assessments/metrics/) to points and rules
(assessments/rules.py). A Run stores one computation: a snapshot of the scheme it used and
a result per community and indicator with the evidence behind each number. A finalised
(定稿) run and its results are immutable: save(), delete() and queryset update()/delete()
refuse to touch them.
Over 500 lines: the scheme, the run and the manual-score models reference each other; one
module keeps the frozen-row rules next to the rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from communities.models import AwardLevel, Community, Street
from teams.models import InstructorLevel

from .published import PublishedScheme, PublishedSchemeError

__all__ = ["PublishedScheme", "PublishedSchemeError"]

if TYPE_CHECKING:
    from .outcomes import CommunityOutcome, IndicatorOutcome


class FinalisedError(Exception):
    """An attempt to change a finalised run or its results."""

    def __init__(
        self, message: str = "该考核已定稿，不能修改或删除；如需调整请重新运行生成新版本。"
    ) -> None:
        super().__init__(message)


class Scheme(models.Model):
    """A street's 双百分 scheme for one year; every target and threshold is data."""

    street = models.ForeignKey(
        Street, verbose_name="街道", on_delete=models.PROTECT, related_name="assessment_schemes"
    )
    year = models.PositiveSmallIntegerField("年度")
    name = models.CharField("方案名称", max_length=50, default="default")
    bonus_cap = models.DecimalField("加分上限", max_digits=6, decimal_places=2, default=10)
    cadre_basic_years = models.PositiveSmallIntegerField("干部持证期限一（任职满几年）", default=1)
    cadre_basic_level = models.CharField(
        "期限一须达到的等级",
        max_length=10,
        choices=InstructorLevel.choices,
        default=InstructorLevel.THIRD,
    )
    cadre_senior_years = models.PositiveSmallIntegerField("干部持证期限二（任职满几年）", default=3)
    cadre_senior_level = models.CharField(
        "期限二须达到的等级",
        max_length=10,
        choices=InstructorLevel.choices,
        default=InstructorLevel.FIRST,
    )
    # Set: the street's copy of its district's published scheme of the year (frozen: the
    # street scores its manual items on it but cannot edit it). Empty: the street's own.
    district_scheme = models.ForeignKey(
        PublishedScheme,
        verbose_name="区县统一方案",
        on_delete=models.PROTECT,
        related_name="street_copies",
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = "考核方案"
        verbose_name_plural = "考核方案"
        ordering = ["street", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["street", "year"],
                condition=Q(district_scheme__isnull=True),
                name="scheme_one_per_street_year",
                violation_error_code="scheme_one_per_street_year",
                violation_error_message="该街道这一年度已有考核方案。",
            ),
            models.UniqueConstraint(
                fields=["street", "year"],
                condition=Q(district_scheme__isnull=False),
                name="scheme_one_district_copy_per_street_year",
                violation_error_code="scheme_one_district_copy_per_street_year",
                violation_error_message="该街道这一年度已有区县统一方案。",
            ),
            models.CheckConstraint(
                condition=Q(cadre_senior_years__gte=models.F("cadre_basic_years")),
                name="scheme_cadre_deadlines_ordered",
                violation_error_code="scheme_cadre_deadlines_ordered",
                violation_error_message="干部持证期限二（任职满几年）不能少于期限一。",
            ),
            models.CheckConstraint(
                condition=Q(bonus_cap__gte=0),
                name="scheme_bonus_cap_not_negative",
                violation_error_code="scheme_bonus_cap_not_negative",
                violation_error_message="加分上限不能为负数。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.street} {self.year}年 {self.name}"


class Card(models.Model):
    """A scorecard: A 文化工作, B 体育工作."""

    scheme = models.ForeignKey(
        Scheme, verbose_name="方案", on_delete=models.CASCADE, related_name="cards"
    )
    code = models.CharField("代码", max_length=5)
    name = models.CharField("名称", max_length=50)
    max_points = models.DecimalField("满分", max_digits=6, decimal_places=2)
    order = models.PositiveSmallIntegerField("顺序", default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "记分卡"
        verbose_name_plural = "记分卡"
        ordering = ["scheme", "order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "code"],
                name="card_code_unique_in_scheme",
                violation_error_code="card_code_unique_in_scheme",
                violation_error_message="本方案已有该代码的记分卡。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Indicator(models.Model):
    """One line of a scorecard: a metric bound to points by a rule with parameters,
    or a manual (qualitative) item scored by people."""

    scheme = models.ForeignKey(
        Scheme, verbose_name="方案", on_delete=models.CASCADE, related_name="indicators"
    )
    card = models.ForeignKey(
        Card, verbose_name="记分卡", on_delete=models.CASCADE, related_name="indicators"
    )
    code = models.CharField("代码", max_length=10)
    name = models.CharField("指标", max_length=100)
    points = models.DecimalField("分值", max_digits=6, decimal_places=2)
    metric = models.CharField("统计口径", max_length=50, blank=True)
    rule = models.CharField("计分规则", max_length=30)
    params = models.JSONField("参数", default=dict, blank=True)
    order = models.PositiveSmallIntegerField("顺序", default=0)
    is_manual = models.BooleanField("人工评分", default=False)
    letter_grades = models.BooleanField("按等级评分(A/B/C/D)", default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "考核指标"
        verbose_name_plural = "考核指标"
        ordering = ["scheme", "order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "code"],
                name="indicator_code_unique_in_scheme",
                violation_error_code="indicator_code_unique_in_scheme",
                violation_error_message="本方案已有该代码的考核指标。",
            ),
            models.CheckConstraint(
                condition=Q(is_manual=True) | ~Q(metric=""),
                name="indicator_metric_unless_manual",
                violation_error_code="indicator_metric_unless_manual",
                violation_error_message="不是人工评分的指标必须选择统计口径。",
            ),
            models.CheckConstraint(
                condition=Q(is_manual=True) | Q(letter_grades=False),
                name="indicator_letters_only_manual",
                violation_error_code="indicator_letters_only_manual",
                violation_error_message="只有人工评分的指标可以按等级（A/B/C/D）评分。",
            ),
            models.CheckConstraint(
                condition=Q(points__gt=0),
                name="indicator_points_positive",
                violation_error_code="indicator_points_positive",
                violation_error_message="指标分值必须大于 0。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class GradeBand(models.Model):
    """等次: 优秀 ≥180, 良好 ≥160, 合格 ≥120, 不合格 ≥0. A veto gives the lowest band."""

    scheme = models.ForeignKey(
        Scheme, verbose_name="方案", on_delete=models.CASCADE, related_name="grade_bands"
    )
    name = models.CharField("等次", max_length=20)
    min_total = models.DecimalField("最低总分", max_digits=7, decimal_places=2)
    order = models.PositiveSmallIntegerField("顺序", default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "等次"
        verbose_name_plural = "等次"
        ordering = ["scheme", "-min_total"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "name"],
                name="grade_band_name_unique",
                violation_error_code="grade_band_name_unique",
                violation_error_message="本方案已有同名的等次。",
            ),
            models.UniqueConstraint(
                fields=["scheme", "min_total"],
                name="grade_band_min_unique",
                violation_error_code="grade_band_min_unique",
                violation_error_message="本方案已有相同最低总分的等次。",
            ),
            models.CheckConstraint(
                condition=Q(min_total__gte=0),
                name="grade_band_min_not_negative",
                violation_error_code="grade_band_min_not_negative",
                violation_error_message="等次的最低总分不能为负数。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ≥{self.min_total}"


class BonusLevel(models.Model):
    """加分: the points one 获奖 row of a level adds (区级 1, 市级 2, 省级 3, 国家级 5)."""

    scheme = models.ForeignKey(
        Scheme, verbose_name="方案", on_delete=models.CASCADE, related_name="bonus_levels"
    )
    level = models.CharField("级别", max_length=10, choices=AwardLevel.choices)
    points = models.DecimalField("加分", max_digits=6, decimal_places=2)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "获奖加分"
        verbose_name_plural = "获奖加分"
        ordering = ["scheme", "points"]
        constraints = [
            models.UniqueConstraint(
                fields=["scheme", "level"],
                name="bonus_level_unique",
                violation_error_code="bonus_level_unique",
                violation_error_message="本方案已设置该级别的获奖加分。",
            ),
            models.CheckConstraint(
                condition=Q(points__gte=0),
                name="bonus_level_not_negative",
                violation_error_code="bonus_level_not_negative",
                violation_error_message="获奖加分不能为负数。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.level} +{self.points}"


class LetterGrade(models.TextChoices):
    A = "A", "A"
    B = "B", "B"
    C = "C", "C"
    D = "D", "D"


def manual_evidence_upload_to(instance: ManualScore, filename: str) -> str:
    # Never reuse the uploader's file name in the stored path (it may hold path tricks).
    import uuid
    from pathlib import PurePath

    suffix = PurePath(filename).suffix.lower()[:10]
    return f"assessments/manual/{instance.year}/{uuid.uuid4().hex}{suffix}"


class ManualScore(models.Model):
    """A manual indicator's scores for one community: 自评分 by the community, 考评分 (or a
    letter) by street staff. Independent of runs: every run of the year reads it."""

    indicator = models.ForeignKey(
        Indicator, verbose_name="指标", on_delete=models.PROTECT, related_name="manual_scores"
    )
    community = models.ForeignKey(
        Community, verbose_name="社区", on_delete=models.PROTECT, related_name="manual_scores"
    )
    year = models.PositiveSmallIntegerField("年度")
    self_score = models.DecimalField(
        "自评分", max_digits=6, decimal_places=2, null=True, blank=True
    )
    self_note = models.TextField("自评说明", blank=True)
    evidence = models.FileField(
        "佐证材料", upload_to=manual_evidence_upload_to, max_length=200, blank=True
    )
    evidence_name = models.CharField("佐证材料原文件名", max_length=200, blank=True)
    evidence_type = models.CharField("佐证材料类型", max_length=100, blank=True)
    self_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="自评人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    self_at = models.DateTimeField("自评时间", null=True, blank=True)
    assessor_score = models.DecimalField(
        "考评分", max_digits=6, decimal_places=2, null=True, blank=True
    )
    letter_grade = models.CharField(
        "考评等级", max_length=1, choices=LetterGrade.choices, blank=True
    )
    assessor_note = models.TextField("考评意见", blank=True)
    scored_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="考评人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    scored_at = models.DateTimeField("考评时间", null=True, blank=True)
    # 区县考评: on an item of the district's published scheme, the district's assessors score
    # beside the street's; theirs counts when present (scoring.counted_manual).
    district_score = models.DecimalField(
        "区县考评分", max_digits=6, decimal_places=2, null=True, blank=True
    )
    district_letter = models.CharField(
        "区县考评等级", max_length=1, choices=LetterGrade.choices, blank=True
    )
    district_note = models.TextField("区县考评意见", blank=True)
    district_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="区县考评人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    district_at = models.DateTimeField("区县考评时间", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "人工评分"
        verbose_name_plural = "人工评分"
        ordering = ["indicator", "community"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "community"],
                name="manual_score_once",
                violation_error_code="manual_score_once",
                violation_error_message="该社区的这一指标已有人工评分记录。",
            ),
            models.CheckConstraint(
                condition=Q(assessor_score__isnull=True) | Q(letter_grade=""),
                name="manual_score_number_or_letter",
                violation_error_code="manual_score_number_or_letter",
                violation_error_message="考评分和考评等级只能填写其中一项。",
            ),
            models.CheckConstraint(
                condition=Q(district_score__isnull=True) | Q(district_letter=""),
                name="manual_score_district_number_or_letter",
                violation_error_code="manual_score_district_number_or_letter",
                violation_error_message="区县考评分和区县考评等级只能填写其中一项。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.community} {self.indicator}"

    @property
    def is_scored(self) -> bool:
        return self.street_scored or self.district_scored

    @property
    def street_scored(self) -> bool:
        return self.assessor_score is not None or bool(self.letter_grade)

    @property
    def district_scored(self) -> bool:
        return self.district_score is not None or bool(self.district_letter)


class RunStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    FINAL = "final", "定稿"


class RunQuerySet(models.QuerySet):
    def update(self, **kwargs: Any) -> int:
        if self.filter(status=RunStatus.FINAL).exists():
            raise FinalisedError()
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        if self.filter(status=RunStatus.FINAL).exists():
            raise FinalisedError()
        return super().delete()


class Run(models.Model):
    """One computation of the assessment of a street for a year (a version)."""

    street = models.ForeignKey(
        Street, verbose_name="街道", on_delete=models.PROTECT, related_name="assessment_runs"
    )
    year = models.PositiveSmallIntegerField("年度")
    version = models.PositiveIntegerField("版本")
    as_of = models.DateField("截至日期")
    provisional = models.BooleanField("临时（年度未结束）", default=False)
    scheme = models.ForeignKey(
        Scheme, verbose_name="方案", on_delete=models.PROTECT, related_name="runs"
    )
    scheme_name = models.CharField("方案名称", max_length=50)
    # The scheme as it was when the run was made: a run never depends on later edits.
    scheme_snapshot = models.JSONField("方案快照")
    status = models.CharField(
        "状态", max_length=10, choices=RunStatus.choices, default=RunStatus.DRAFT
    )
    complete = models.BooleanField("完整", default=True)
    missing = models.JSONField("未评分的人工指标", default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="运行人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("运行时间", auto_now_add=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="定稿人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    finalised_at = models.DateTimeField("定稿时间", null=True, blank=True)
    history = HistoricalRecords()

    objects = RunQuerySet.as_manager()

    class Meta:
        verbose_name = "考核结果"
        verbose_name_plural = "考核结果"
        ordering = ["street", "-year", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["street", "year", "version"],
                name="run_version_unique",
                violation_error_code="run_version_unique",
                violation_error_message="该街道这一年度已有相同版本的考核结果，请刷新页面后重试。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.street} {self.year}年考核 第{self.version}版（{self.get_status_display()}）"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk and Run.objects.filter(pk=self.pk, status=RunStatus.FINAL).exists():
            raise FinalisedError()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("assessments:run", args=[self.pk])

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if self.pk and Run.objects.filter(pk=self.pk, status=RunStatus.FINAL).exists():
            raise FinalisedError()
        return super().delete(*args, **kwargs)

    @property
    def is_final(self) -> bool:
        return self.status == RunStatus.FINAL


class ResultQuerySet(models.QuerySet):
    run_path = "run"

    def _touches_final(self) -> bool:
        return self.filter(**{f"{self.run_path}__status": RunStatus.FINAL}).exists()

    def update(self, **kwargs: Any) -> int:
        if self._touches_final():
            raise FinalisedError()
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        if self._touches_final():
            raise FinalisedError()
        return super().delete()


class IndicatorResultQuerySet(ResultQuerySet):
    run_path = "result__run"


class _FrozenWithRun(models.Model):
    """Results may be written only while their run is a draft."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self._run_is_final():
            raise FinalisedError()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if self._run_is_final():
            raise FinalisedError()
        return super().delete(*args, **kwargs)

    def _run_id(self) -> int:
        # Abstract: each frozen model says which run it belongs to.
        raise NotImplementedError(f"{type(self).__name__} must define _run_id()")

    def _run_is_final(self) -> bool:
        return Run.objects.filter(pk=self._run_id(), status=RunStatus.FINAL).exists()


class CommunityResult(_FrozenWithRun):
    run = models.ForeignKey(
        Run, verbose_name="考核", on_delete=models.CASCADE, related_name="results"
    )
    community = models.ForeignKey(
        Community, verbose_name="社区", on_delete=models.PROTECT, related_name="+"
    )
    community_name = models.CharField("社区", max_length=50)
    population = models.PositiveIntegerField("常住人口", null=True, blank=True)
    population_year = models.PositiveSmallIntegerField("人口年度", null=True, blank=True)
    cards = models.JSONField("记分卡得分", default=dict, blank=True)  # {"A": "92.50", …}
    bonus = models.DecimalField("加分", max_digits=8, decimal_places=2, null=True, blank=True)
    bonus_ids = models.JSONField("获奖记录", default=list, blank=True)
    deduction = models.DecimalField("扣分", max_digits=8, decimal_places=2, null=True, blank=True)
    deduction_ids = models.JSONField("扣分记录", default=list, blank=True)
    veto = models.BooleanField("一票否决", default=False)
    total = models.DecimalField("总分", max_digits=8, decimal_places=2, null=True, blank=True)
    grade = models.CharField("等次", max_length=20, blank=True)
    grade_gap = models.CharField("距下一等次", max_length=100, blank=True)
    rank = models.PositiveIntegerField("名次", null=True, blank=True)
    complete = models.BooleanField("完整", default=True)
    error = models.TextField("无法计分原因", blank=True)

    objects = ResultQuerySet.as_manager()

    class Meta:
        verbose_name = "社区考核结果"
        verbose_name_plural = "社区考核结果"
        ordering = ["run", "rank", "community_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "community"],
                name="community_result_once",
                violation_error_code="community_result_once",
                violation_error_message="同一次考核中每个社区只能有一条结果。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.run} · {self.community_name}"

    def _run_id(self) -> int:
        return self.run_id

    def outcome(self, indicators: Iterable[IndicatorResult] = ()) -> CommunityOutcome:
        """The frozen row read back in the engine's shape (with the given indicator rows)."""
        from .outcomes import CommunityOutcome

        return CommunityOutcome(
            community_id=self.community_id,
            name=self.community_name,
            population=self.population,
            population_year=self.population_year,
            indicators=[i.outcome() for i in indicators],
            cards={k: Decimal(str(v)) for k, v in self.cards.items()},
            bonus=self.bonus,
            bonus_ids=list(self.bonus_ids),
            deduction=self.deduction,
            deduction_ids=list(self.deduction_ids),
            veto=self.veto,
            total=self.total,
            grade=self.grade,
            grade_gap=self.grade_gap,
            rank=self.rank,
            error=self.error,
        )


class IndicatorResult(_FrozenWithRun):
    result = models.ForeignKey(
        CommunityResult,
        verbose_name="社区结果",
        on_delete=models.CASCADE,
        related_name="indicators",
    )
    code = models.CharField("代码", max_length=10)
    name = models.CharField("指标", max_length=100)
    card = models.CharField("记分卡", max_length=5)
    order = models.PositiveSmallIntegerField("顺序", default=0)
    is_manual = models.BooleanField("人工评分", default=False)
    value = models.DecimalField("实际值", max_digits=14, decimal_places=4, null=True, blank=True)
    target = models.DecimalField("目标值", max_digits=14, decimal_places=4, null=True, blank=True)
    points = models.DecimalField("得分", max_digits=8, decimal_places=2, null=True, blank=True)
    max_points = models.DecimalField("分值", max_digits=8, decimal_places=2)
    evidence = models.JSONField(
        "佐证记录", default=dict, blank=True
    )  # {"model": label, "ids": [...]}
    detail = models.JSONField("明细", default=dict, blank=True)
    gap = models.CharField("差距", max_length=200, blank=True)

    objects = IndicatorResultQuerySet.as_manager()

    class Meta:
        verbose_name = "指标得分"
        verbose_name_plural = "指标得分"
        ordering = ["result", "order", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["result", "code"],
                name="indicator_result_once",
                violation_error_code="indicator_result_once",
                violation_error_message="同一社区结果中每个指标只能有一条得分。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.result} · {self.code}"

    def _run_id(self) -> int:
        return self.result.run_id

    def outcome(self) -> IndicatorOutcome:
        """The frozen row read back in the engine's shape: one type from computation on."""
        from .outcomes import IndicatorOutcome

        return IndicatorOutcome(
            code=self.code,
            name=self.name,
            card=self.card,
            order=self.order,
            is_manual=self.is_manual,
            max_points=self.max_points,
            points=self.points,
            value=self.value,
            target=self.target,
            evidence_model=self.evidence.get("model", ""),
            evidence_ids=tuple(self.evidence.get("ids", [])),
            detail=dict(self.detail),
            gap=self.gap,
        )
