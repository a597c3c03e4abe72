"""队伍建设: persons, teams and rosters, honours, volunteers, instructors, cadres.

A Person is one human being in a street, identified by 人员编号; the same person may be
a team member, a volunteer, an instructor with several certificates and a cadre.
"""

from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from communities.models import Community, Street


class Gender(models.TextChoices):
    MALE = "男", "男"
    FEMALE = "女", "女"


class Person(models.Model):
    street = models.ForeignKey(
        Street, verbose_name="街道", on_delete=models.PROTECT, related_name="persons"
    )
    code = models.CharField("人员编号", max_length=50)
    name = models.CharField("姓名", max_length=50)
    gender = models.CharField("性别", max_length=10, blank=True)
    birth_year = models.PositiveSmallIntegerField("出生年份", null=True, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "人员"
        verbose_name_plural = "人员"
        ordering = ["street", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["street", "code"],
                name="person_code_unique_in_street",
                violation_error_code="person_code_unique_in_street",
                violation_error_message="本街道已有该人员编号的人员。",
            ),
        ]
        # The persons list of a district (all streets) is sorted by 人员编号 alone.
        indexes = [models.Index(fields=["code"], name="person_code")]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"


class TeamCategory(models.TextChoices):
    CULTURE = "文化", "文化"
    SPORTS = "体育", "体育"


class Team(models.Model):
    community = models.ForeignKey(
        Community, verbose_name="社区", on_delete=models.PROTECT, related_name="teams"
    )
    name = models.CharField("团队名称", max_length=100)
    category = models.CharField("类别", max_length=10, choices=TeamCategory.choices)
    project = models.CharField("项目", max_length=100, blank=True)
    leader = models.CharField("负责人", max_length=50, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    founded_on = models.DateField("成立日期", null=True, blank=True)
    dissolved_on = models.DateField("解散日期", null=True, blank=True)
    members = models.ManyToManyField(
        Person, through="TeamMember", related_name="teams", verbose_name="成员"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "文体团队"
        verbose_name_plural = "文体团队"
        ordering = ["community", "category", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "name"],
                name="team_unique_name",
                violation_error_code="team_unique_name",
                violation_error_message="本社区已有同名的团队（团队名称不能重复）。",
            ),
            models.CheckConstraint(
                condition=Q(dissolved_on__isnull=True)
                | Q(founded_on__isnull=True)
                | Q(dissolved_on__gte=F("founded_on")),
                name="team_dissolved_not_before_founded",
                violation_error_code="team_dissolved_not_before_founded",
                violation_error_message="解散日期不能早于成立日期。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.community} · {self.name}"


class TeamHonour(models.Model):
    """团队荣誉; the title 优秀团队 makes the team excellent in that year."""

    EXCELLENT = "优秀团队"

    team = models.ForeignKey(
        Team, verbose_name="团队", on_delete=models.CASCADE, related_name="honours"
    )
    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("荣誉称号", max_length=100)
    awarded_by = models.CharField("评定单位", max_length=100, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "团队荣誉"
        verbose_name_plural = "团队荣誉"
        ordering = ["team", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "year", "title"],
                name="team_honour_unique",
                violation_error_code="team_honour_unique",
                violation_error_message="该团队这一年度已有同一荣誉称号。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.team} {self.year}年{self.title}"


class TeamMember(models.Model):
    """A row of a team's 花名册."""

    team = models.ForeignKey(
        Team, verbose_name="团队", on_delete=models.CASCADE, related_name="memberships"
    )
    person = models.ForeignKey(
        Person, verbose_name="人员", on_delete=models.PROTECT, related_name="team_memberships"
    )
    joined_on = models.DateField("加入日期", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "团队成员"
        verbose_name_plural = "团队成员（花名册）"
        ordering = ["team", "person__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "person"],
                name="team_member_unique",
                violation_error_code="team_member_unique",
                violation_error_message="该人员已经是这个团队的成员。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.team} · {self.person}"


class Volunteer(models.Model):
    """文体志愿者: one registration per person in a street (natural key 街道+人员编号)."""

    person = models.OneToOneField(
        Person, verbose_name="人员", on_delete=models.PROTECT, related_name="volunteer"
    )
    community = models.ForeignKey(
        Community, verbose_name="社区", on_delete=models.PROTECT, related_name="volunteers"
    )
    registered_on = models.DateField("注册日期", null=True, blank=True)
    left_on = models.DateField("退出日期", null=True, blank=True)
    # The sum of the person's counted service entries, kept by service.services.refresh_totals
    # (the workbook exports it; an imported value becomes the labelled opening balance).
    service_hours = models.DecimalField(
        "服务时长(小时)", max_digits=10, decimal_places=2, default=0
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = "文体志愿者"
        verbose_name_plural = "文体志愿者"
        ordering = ["community", "person__code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(left_on__isnull=True)
                | Q(registered_on__isnull=True)
                | Q(left_on__gte=F("registered_on")),
                name="volunteer_left_not_before_registered",
                violation_error_code="volunteer_left_not_before_registered",
                violation_error_message="退出日期不能早于注册日期。",
            ),
            models.CheckConstraint(
                condition=Q(service_hours__gte=0),
                name="volunteer_hours_not_negative",
                violation_error_code="volunteer_hours_not_negative",
                violation_error_message="服务时长（小时）不能为负数。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.community} · {self.person}"


class ServiceRecord(models.Model):
    """Retired: service entries live in the service app (service.ServiceEntry). Migration
    service 0002 turned every row into an approved make-up entry; nothing writes here now.
    The table stays until the demo loader no longer names it (then drop it)."""

    volunteer = models.ForeignKey(
        Volunteer, verbose_name="志愿者", on_delete=models.CASCADE, related_name="services"
    )
    date = models.DateField("服务日期")
    hours = models.DecimalField("时长(小时)", max_digits=6, decimal_places=1)
    content = models.CharField("服务内容", max_length=200)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "志愿服务记录"
        verbose_name_plural = "志愿服务记录"
        ordering = ["volunteer", "-date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0),
                name="service_hours_positive",
                violation_error_code="service_hours_positive",
                violation_error_message="服务时长（小时）必须大于 0。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer} {self.date} {self.hours}小时"


class InstructorLevel(models.TextChoices):
    THIRD = "三级", "三级"
    SECOND = "二级", "二级"
    FIRST = "一级", "一级"
    NATIONAL = "国家级", "国家级"


# 三级 < 二级 < 一级 < 国家级 (assessment.md); rank used to compare levels in rules and queries.
LEVEL_RANK = {
    InstructorLevel.THIRD: 1,
    InstructorLevel.SECOND: 2,
    InstructorLevel.FIRST: 3,
    InstructorLevel.NATIONAL: 4,
}


class Certificate(models.Model):
    """社会体育指导员证书. An instructor counts for the community named here."""

    person = models.ForeignKey(
        Person, verbose_name="人员", on_delete=models.PROTECT, related_name="certificates"
    )
    community = models.ForeignKey(
        Community, verbose_name="社区", on_delete=models.PROTECT, related_name="certificates"
    )
    level = models.CharField("等级", max_length=10, choices=InstructorLevel.choices)
    number = models.CharField("证书编号", max_length=50, unique=True)
    issued_on = models.DateField("发证日期", null=True, blank=True)
    expires_on = models.DateField("失效日期", null=True, blank=True)
    sport = models.CharField("指导项目", max_length=100, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "社会体育指导员证书"
        verbose_name_plural = "社会体育指导员证书"
        ordering = ["community", "person__code", "issued_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True)
                | Q(issued_on__isnull=True)
                | Q(expires_on__gte=F("issued_on")),
                name="certificate_expiry_not_before_issue",
                violation_error_code="certificate_expiry_not_before_issue",
                violation_error_message="失效日期不能早于发证日期。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.level} {self.number}"


class CadrePost(models.TextChoices):
    COMMITTEE = "两委分管文体", "两委分管文体"
    MANAGER = "文体管理员", "文体管理员"


class Cadre(models.Model):
    """文体干部: a person holding a post in a community from 任职日期 to 离任日期."""

    community = models.ForeignKey(
        Community, verbose_name="社区", on_delete=models.PROTECT, related_name="cadres"
    )
    person = models.ForeignKey(
        Person, verbose_name="人员", on_delete=models.PROTECT, related_name="cadre_posts"
    )
    post = models.CharField("职务", max_length=20, choices=CadrePost.choices)
    appointed_on = models.DateField("任职日期")
    left_on = models.DateField("离任日期", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "文体干部"
        verbose_name_plural = "文体干部"
        ordering = ["community", "post", "appointed_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "person", "post", "appointed_on"],
                name="cadre_unique",
                violation_error_code="cadre_unique",
                violation_error_message="该人员在本社区的同一职务、同一任职日期已有任职记录。",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=F("appointed_on")),
                name="cadre_left_not_before_appointed",
                violation_error_code="cadre_left_not_before_appointed",
                violation_error_message="离任日期不能早于任职日期。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.community} · {self.post} · {self.person.name}"
