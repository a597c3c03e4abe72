"""文体设施 and 提升工程 (facility upgrade projects)."""

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from communities.models import Community


class FacilityKind(models.TextChoices):
    CULTURE_ROOM = "文化活动室", "文化活动室"
    MULTI_ROOM = "多功能活动室", "多功能活动室"
    READING_ROOM = "图书阅览室", "图书阅览室"
    E_READING_ROOM = "电子阅览室", "电子阅览室"
    TRAINING_ROOM = "培训排练室", "培训排练室"
    RECREATION_ROOM = "文体娱乐室", "文体娱乐室"
    SHARING_POINT = "共享工程服务点", "共享工程服务点"
    AUDITORIUM = "文化礼堂", "文化礼堂"
    LECTURE_HALL = "讲堂", "讲堂"
    CULTURE_CORRIDOR = "文化长廊", "文化长廊"
    INDOOR_SPORTS = "室内体育活动室", "室内体育活动室"
    FITNESS_PATH = "健身路径", "健身路径"
    OUTDOOR_FIELD = "室外运动场地", "室外运动场地"
    OTHER = "其他", "其他"


# The kinds whose area counts towards "文化活动室面积 ≥200㎡" (assessment.md, A1).
CULTURE_ROOM_KINDS = (
    FacilityKind.CULTURE_ROOM,
    FacilityKind.MULTI_ROOM,
    FacilityKind.READING_ROOM,
    FacilityKind.E_READING_ROOM,
    FacilityKind.TRAINING_ROOM,
    FacilityKind.RECREATION_ROOM,
    FacilityKind.AUDITORIUM,
    FacilityKind.LECTURE_HALL,
)


class FacilityStatus(models.TextChoices):
    IN_USE = "在用", "在用"
    BUILDING = "在建", "在建"
    CLOSED = "停用", "停用"


class Ownership(models.TextChoices):
    OWN = "自有", "自有"
    SHARED = "共建共享", "共建共享"


class Facility(models.Model):
    community = models.ForeignKey(
        Community, verbose_name="社区", on_delete=models.PROTECT, related_name="facilities"
    )
    name = models.CharField("设施名称", max_length=100)
    kind = models.CharField("设施类型", max_length=20, choices=FacilityKind.choices)
    area = models.DecimalField(
        "面积(平方米)", max_digits=12, decimal_places=2, null=True, blank=True
    )
    sets = models.PositiveIntegerField("数量(套)", default=0)
    status = models.CharField(
        "状态", max_length=10, choices=FacilityStatus.choices, default=FacilityStatus.IN_USE
    )
    opened_on = models.DateField("启用日期", null=True, blank=True)
    ownership = models.CharField(
        "产权", max_length=10, choices=Ownership.choices, default=Ownership.OWN
    )
    partner_unit = models.CharField("共建单位", max_length=100, blank=True)
    agreement = models.FileField("共建协议", upload_to="facilities/agreements/%Y/", blank=True)
    free_open = models.BooleanField("免费开放", default=False)
    photo = models.ImageField("照片", upload_to="facilities/photos/%Y/", blank=True)
    note = models.TextField("备注", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "文体设施"
        verbose_name_plural = "文体设施"
        ordering = ["community", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "name"],
                name="facility_unique_name",
                violation_error_code="facility_unique_name",
                violation_error_message="本社区已有同名的设施（设施名称不能重复）。",
            ),
            models.CheckConstraint(
                condition=Q(area__isnull=True) | Q(area__gte=0),
                name="facility_area_not_negative",
                violation_error_code="facility_area_not_negative",
                violation_error_message="面积（平方米）不能为负数。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.community} · {self.name}"


class ProjectStatus(models.TextChoices):
    PLANNED = "计划", "计划"
    BUILDING = "在建", "在建"
    DONE = "完成", "完成"


class UpgradeProject(models.Model):
    """提升工程: a facility upgrade scheduled for a year (plan 四(一)2)."""

    community = models.ForeignKey(
        Community, verbose_name="社区", on_delete=models.PROTECT, related_name="upgrade_projects"
    )
    name = models.CharField("项目名称", max_length=100)
    planned_year = models.PositiveSmallIntegerField("计划年度")
    status = models.CharField(
        "状态", max_length=10, choices=ProjectStatus.choices, default=ProjectStatus.PLANNED
    )
    completed_on = models.DateField("完成日期", null=True, blank=True)
    investment = models.DecimalField(
        "投资(万元)", max_digits=12, decimal_places=2, null=True, blank=True
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "提升工程"
        verbose_name_plural = "提升工程"
        ordering = ["community", "planned_year", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "name"],
                name="upgrade_unique_name",
                violation_error_code="upgrade_unique_name",
                violation_error_message="本社区已有同名的提升工程（项目名称不能重复）。",
            ),
            models.CheckConstraint(
                condition=Q(investment__isnull=True) | Q(investment__gte=0),
                name="upgrade_investment_not_negative",
                violation_error_code="upgrade_investment_not_negative",
                violation_error_message="投资（万元）不能为负数。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.community} · {self.name}（{self.planned_year}）"

    @property
    def is_late(self) -> bool:
        """Not done and its planned year is over (or done after its planned year)."""
        from django.utils import timezone

        if self.status == ProjectStatus.DONE:
            return bool(self.completed_on and self.completed_on.year > self.planned_year)
        return timezone.localdate().year > self.planned_year
