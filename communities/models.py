"""街道、社区 and what is recorded about a community year by year.

Also the binding of a user to a role and a scope (Membership); the rules that turn a
membership into visible and editable communities live in communities/scope.py.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords


class District(models.Model):
    """区县: the tier above the streets; its office ranks all of its communities."""

    name = models.CharField("区县", max_length=50, unique=True)
    # 行政区划代码 (e.g. 330104); blank until entered (the migrated free text had none).
    code = models.CharField("区划代码", max_length=12, blank=True)

    class Meta:
        verbose_name = "区县"
        verbose_name_plural = "区县"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["code"],
                condition=~Q(code=""),
                name="district_code_unique",
                violation_error_code="district_code_unique",
                violation_error_message="已有使用该区划代码的区县。",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Street(models.Model):
    name = models.CharField("街道", max_length=50, unique=True)
    district = models.ForeignKey(
        District,
        verbose_name="所属区县",
        on_delete=models.PROTECT,
        related_name="streets",
        null=True,
        blank=True,
    )

    class Meta:
        verbose_name = "街道"
        verbose_name_plural = "街道"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class CommunityKind(models.TextChoices):
    ORDINARY = "普通", "普通"
    RESETTLED = "回迁", "回迁"
    PARTLY_RESETTLED = "部分回迁", "部分回迁"


class Community(models.Model):
    street = models.ForeignKey(
        Street, verbose_name="街道", on_delete=models.PROTECT, related_name="communities"
    )
    name = models.CharField("社区", max_length=50)
    kind = models.CharField(
        "社区类型", max_length=10, choices=CommunityKind.choices, default=CommunityKind.ORDINARY
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "社区"
        verbose_name_plural = "社区"
        ordering = ["street__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["street", "name"],
                name="community_unique_in_street",
                violation_error_code="community_unique_in_street",
                violation_error_message="本街道已有同名的社区。",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Grid(models.Model):
    """网格: an optional subdivision of a community."""

    community = models.ForeignKey(
        Community, verbose_name="社区", on_delete=models.CASCADE, related_name="grids"
    )
    name = models.CharField("网格", max_length=50)

    class Meta:
        verbose_name = "网格"
        verbose_name_plural = "网格"
        constraints = [
            models.UniqueConstraint(
                fields=["community", "name"],
                name="grid_unique_in_community",
                violation_error_code="grid_unique_in_community",
                violation_error_message="本社区已有同名的网格。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.community} {self.name}"


class Population(models.Model):
    """常住人口 and 户数 of a community for one year (the 社区 sheet of the workbook)."""

    community = models.ForeignKey(
        Community, verbose_name="社区", on_delete=models.CASCADE, related_name="populations"
    )
    year = models.PositiveSmallIntegerField("年度")
    residents = models.PositiveIntegerField("常住人口", null=True, blank=True)
    households = models.PositiveIntegerField("户数", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "人口"
        verbose_name_plural = "人口"
        ordering = ["community", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "year"],
                name="population_one_per_year",
                violation_error_code="population_one_per_year",
                violation_error_message="该社区这一年度的人口已经登记过。",
            ),
            models.CheckConstraint(
                condition=Q(residents__isnull=True) | Q(residents__gt=0),
                name="population_residents_positive",
                violation_error_code="population_residents_positive",
                violation_error_message="常住人口必须大于 0。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.community} {self.year}年 {self.residents or '—'}人"


class StarTarget(models.Model):
    """目标星级 that the plan sets for a community in a year."""

    community = models.ForeignKey(
        Community, verbose_name="社区", on_delete=models.CASCADE, related_name="star_targets"
    )
    year = models.PositiveSmallIntegerField("年度")
    stars = models.PositiveSmallIntegerField("目标星级")
    history = HistoricalRecords()

    class Meta:
        verbose_name = "星级目标"
        verbose_name_plural = "星级目标"
        ordering = ["community", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "year"],
                name="star_target_one_per_year",
                violation_error_code="star_target_one_per_year",
                violation_error_message="该社区这一年度已有星级目标。",
            ),
            models.CheckConstraint(
                condition=Q(stars__gte=1, stars__lte=5),
                name="star_target_1_to_5",
                violation_error_code="star_target_1_to_5",
                violation_error_message="目标星级必须在 1 到 5 星之间。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.community} {self.year}年目标{self.stars}星"


class StarRating(models.Model):
    """星级评定: a star rating awarded to a community in a year."""

    community = models.ForeignKey(
        Community, verbose_name="社区", on_delete=models.CASCADE, related_name="star_ratings"
    )
    year = models.PositiveSmallIntegerField("年度")
    stars = models.PositiveSmallIntegerField("星级")
    rated_by = models.CharField("评定单位", max_length=100, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "星级评定"
        verbose_name_plural = "星级评定"
        ordering = ["community", "-year", "-stars"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "year", "stars"],
                name="star_rating_unique",
                violation_error_code="star_rating_unique",
                violation_error_message="该社区这一年度已有这一星级的评定记录。",
            ),
            models.CheckConstraint(
                condition=Q(stars__gte=1, stars__lte=5),
                name="star_rating_1_to_5",
                violation_error_code="star_rating_1_to_5",
                violation_error_message="星级必须在 1 到 5 星之间。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.community} {self.year}年{self.stars}星"


class AwardLevel(models.TextChoices):
    DISTRICT = "区级", "区级"
    CITY = "市级", "市级"
    PROVINCE = "省级", "省级"
    NATIONAL = "国家级", "国家级"


class Award(models.Model):
    """获奖: an honour won by the community in a year (bonus points)."""

    community = models.ForeignKey(
        Community, verbose_name="社区", on_delete=models.CASCADE, related_name="awards"
    )
    year = models.PositiveSmallIntegerField("年度")
    name = models.CharField("获奖名称", max_length=200)
    level = models.CharField("级别", max_length=10, choices=AwardLevel.choices)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "获奖"
        verbose_name_plural = "获奖"
        ordering = ["community", "-year", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "year", "name"],
                name="award_unique",
                violation_error_code="award_unique",
                violation_error_message="该社区这一年度已有同名的获奖记录。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.community} {self.year}年 {self.name}（{self.level}）"


class Deduction(models.Model):
    """扣分: points taken off in a year; 一票否决 vetoes the grade."""

    community = models.ForeignKey(
        Community, verbose_name="社区", on_delete=models.CASCADE, related_name="deductions"
    )
    year = models.PositiveSmallIntegerField("年度")
    item = models.CharField("事项", max_length=200)
    points = models.DecimalField("扣分", max_digits=8, decimal_places=2)
    veto = models.BooleanField("一票否决", default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "扣分"
        verbose_name_plural = "扣分"
        ordering = ["community", "-year", "item"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "year", "item"],
                name="deduction_unique",
                violation_error_code="deduction_unique",
                violation_error_message="该社区这一年度已有同一事项的扣分。",
            ),
            models.CheckConstraint(
                condition=Q(points__gt=0),
                name="deduction_points_positive",
                violation_error_code="deduction_points_positive",
                violation_error_message="扣分必须大于 0。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.community} {self.year}年 {self.item} −{self.points}"


class Role(models.TextChoices):
    STREET_ADMIN = "street_admin", "街道管理员"
    STREET_STAFF = "street_staff", "街道工作人员"
    COMMUNITY_ADMIN = "community_admin", "社区管理员"
    LEADER = "leader", "领导"
    DISTRICT_ADMIN = "district_admin", "区县管理员"
    DISTRICT_VIEWER = "district_viewer", "区县领导"


DISTRICT_ROLES = (Role.DISTRICT_ADMIN, Role.DISTRICT_VIEWER)


class Membership(models.Model):
    """A user's role and the district, street or community it applies to.

    District roles are bound to a district (no street); street roles to a street;
    社区管理员 to one community (its street follows). Users without a membership see
    nothing, except superusers (the platform operator), who see every street.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="用户",
        on_delete=models.CASCADE,
        related_name="membership",
    )
    role = models.CharField("角色", max_length=20, choices=Role.choices)
    district = models.ForeignKey(
        District,
        verbose_name="区县",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
    )
    street = models.ForeignKey(
        Street,
        verbose_name="街道",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
    )
    community = models.ForeignKey(
        Community,
        verbose_name="社区",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "用户角色"
        verbose_name_plural = "用户角色"
        constraints = [
            # A cadre has exactly one community; street roles have none.
            models.CheckConstraint(
                condition=(Q(role="community_admin") & Q(community__isnull=False))
                | (~Q(role="community_admin") & Q(community__isnull=True)),
                name="membership_community_iff_cadre",
                violation_error_code="membership_community_iff_cadre",
                violation_error_message="社区管理员必须选择所属社区；其他角色不能选择社区。",
            ),
            # A district role has a district and no street; every other role the reverse.
            models.CheckConstraint(
                condition=(
                    Q(role__in=DISTRICT_ROLES) & Q(district__isnull=False) & Q(street__isnull=True)
                )
                | (
                    ~Q(role__in=DISTRICT_ROLES) & Q(district__isnull=True) & Q(street__isnull=False)
                ),
                name="membership_district_xor_street",
                violation_error_code="membership_district_xor_street",
                violation_error_message="区县角色只能选择区县；其他角色必须选择街道、不能选择区县。",
            ),
        ]

    def __str__(self) -> str:
        where = self.community or self.street or self.district
        return f"{self.user} · {self.get_role_display()} · {where}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.community_id and self.street_id and self.community.street_id != self.street_id:
            raise ValidationError({"community": "社区不属于所选街道。"})


class StreetDataVersion(models.Model):
    """A number every write that can change a score of the street raises, in the write's own
    transaction (communities/versions.py). Computed scores are cached under it, so a page
    after a write never sees a score from before it. Its own table, not a column of Street:
    saving a street's form would write back the number read when the form was opened."""

    street = models.OneToOneField(
        Street, on_delete=models.CASCADE, primary_key=True, related_name="data_version"
    )
    version = models.BigIntegerField("数据版本", default=0)

    class Meta:
        verbose_name = "街道数据版本"
        verbose_name_plural = "街道数据版本"

    def __str__(self) -> str:
        return f"{self.street_id}: {self.version}"
