"""The standard workbook (workbook.md) as data: sheets, columns in order, natural keys, values.

Import, export and the blank template all read this module, so a column is described once.
A column's `key` is the model field it fills when the names agree; person columns are
prefixed `person_` because they fill Person, not the sheet's own record.
Its length is the workbook's: thirteen sheets described column by column, on purpose in one
place.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.db import models

from activities.models import (
    Activity,
    ActivityCategory,
    ActivityScale,
    ActivityStatus,
    Brand,
    BrandCategory,
)
from communities.models import (
    Award,
    AwardLevel,
    Community,
    CommunityKind,
    Deduction,
    StarRating,
    Street,
)
from facilities.models import (
    Facility,
    FacilityKind,
    FacilityStatus,
    Ownership,
    ProjectStatus,
    UpgradeProject,
)
from teams.models import (
    CadrePost,
    Certificate,
    InstructorLevel,
    Person,
    Team,
    TeamCategory,
    TeamHonour,
)


class Kind(StrEnum):
    TEXT = "text"
    INT = "int"
    DECIMAL = "decimal"
    DATE = "date"
    CHOICE = "choice"  # a closed list: cell text → stored value
    NAMES = "names"  # several community names in one cell


@dataclass(frozen=True)
class SheetColumn:
    header: str
    key: str
    kind: Kind = Kind.TEXT
    required: bool = False
    choices: Mapping[str, Any] | None = None
    # What a blank cell means when the column is optional.
    blank: Any = None
    max_length: int | None = None
    min_value: int | Decimal | None = None
    min_exclusive: bool = False
    max_value: int | Decimal | None = None
    places: int = 0
    max_digits: int | None = None
    # An end date/year may not be before the column with this key (same row).
    not_before: str | None = None
    note: str = ""

    def display(self, stored: Any) -> Any:
        """The cell text for a stored choice value (export)."""
        for text, value in (self.choices or {}).items():
            if value == stored:
                return text
        return stored


@dataclass(frozen=True)
class Sheet:
    name: str
    columns: tuple[SheetColumn, ...]
    key: tuple[str, ...]  # column keys of the natural key
    required: bool = False
    column_by_key: dict[str, SheetColumn] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "column_by_key", {c.key: c for c in self.columns})

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]

    @property
    def key_label(self) -> str:
        return "+".join(self.column_by_key[k].header for k in self.key)


def _length(model: type[models.Model], name: str) -> int:
    return model._meta.get_field(name).max_length


def _labels(choices: type[models.TextChoices]) -> dict[str, str]:
    return {label: value for value, label in choices.choices}


YES_NO = {"是": True, "否": False}
HAVE = {"有": True, "无": False}
# workbook.md lists 已审核/待审核/已退回; 草稿 is accepted too so that drafts round-trip.
STATUS = {
    "已审核": ActivityStatus.VERIFIED.value,
    "待审核": ActivityStatus.PENDING.value,
    "已退回": ActivityStatus.RETURNED.value,
    "草稿": ActivityStatus.DRAFT.value,
}
# A blank 数量(套) means one set for a 健身路径 and none for anything else.
FITNESS_PATH = FacilityKind.FITNESS_PATH.value
PARTNER_SEPARATORS = "、，,;；"
YEAR_MIN, YEAR_MAX = 1900, 2100
INT_MAX = 2_147_483_647  # PositiveIntegerField on PostgreSQL


def _street() -> SheetColumn:
    return SheetColumn("街道", "street", required=True, max_length=_length(Street, "name"))


def _community() -> SheetColumn:
    return SheetColumn("社区", "community", required=True, max_length=_length(Community, "name"))


def _text(
    header: str,
    key: str,
    model: type[models.Model],
    name: str | None = None,
    required: bool = False,
) -> SheetColumn:
    return SheetColumn(
        header, key, required=required, blank="", max_length=_length(model, name or key)
    )


def _year(
    header: str, key: str, required: bool = True, not_before: str | None = None
) -> SheetColumn:
    return SheetColumn(
        header,
        key,
        Kind.INT,
        required=required,
        min_value=YEAR_MIN,
        max_value=YEAR_MAX,
        not_before=not_before,
    )


def _count(header: str, key: str, positive: bool = False, **kw: Any) -> SheetColumn:
    return SheetColumn(
        header, key, Kind.INT, min_value=0, min_exclusive=positive, max_value=INT_MAX, **kw
    )


def _money(header: str, key: str, max_digits: int, **kw: Any) -> SheetColumn:
    return SheetColumn(
        header, key, Kind.DECIMAL, min_value=Decimal(0), places=2, max_digits=max_digits, **kw
    )


def _date(
    header: str, key: str, required: bool = False, not_before: str | None = None
) -> SheetColumn:
    return SheetColumn(header, key, Kind.DATE, required=required, not_before=not_before)


def _choice(
    header: str, key: str, choices: Mapping[str, Any], required: bool = False, blank: Any = None
) -> SheetColumn:
    return SheetColumn(header, key, Kind.CHOICE, required=required, choices=choices, blank=blank)


def _code() -> SheetColumn:
    return SheetColumn("人员编号", "person_code", required=True, max_length=_length(Person, "code"))


def _person_name() -> SheetColumn:
    return SheetColumn("姓名", "person_name", required=True, max_length=_length(Person, "name"))


def _gender() -> SheetColumn:
    return SheetColumn("性别", "person_gender", blank="", max_length=_length(Person, "gender"))


def _phone() -> SheetColumn:
    return SheetColumn("联系电话", "person_phone", blank="", max_length=_length(Person, "phone"))


def _team_name() -> SheetColumn:
    return SheetColumn("团队名称", "team", required=True, max_length=_length(Team, "name"))


def _sheets() -> tuple[Sheet, ...]:
    return (
        Sheet(
            "社区",
            (
                _street(),
                _community(),
                _year("年度", "year"),
                _count("常住人口", "residents", positive=True),
                _count("户数", "households"),
                _choice(
                    "社区类型", "kind", _labels(CommunityKind), blank=CommunityKind.ORDINARY.value
                ),
            ),
            key=("street", "community", "year"),
            required=True,
        ),
        Sheet(
            "设施",
            (
                _street(),
                _community(),
                SheetColumn(
                    "设施名称", "name", required=True, max_length=_length(Facility, "name")
                ),
                _choice("设施类型", "kind", _labels(FacilityKind), required=True),
                _money("面积(平方米)", "area", max_digits=12),
                _count("数量(套)", "sets", note="留空：健身路径为1，其他为0"),
                _choice("状态", "status", _labels(FacilityStatus), required=True),
                _date("启用日期", "opened_on"),
                _choice("产权", "ownership", _labels(Ownership), blank=Ownership.OWN.value),
                _text("共建单位", "partner_unit", Facility),
                _choice("免费开放", "free_open", YES_NO, blank=False),
            ),
            key=("street", "community", "name"),
        ),
        Sheet(
            "提升工程",
            (
                _street(),
                _community(),
                SheetColumn(
                    "项目名称", "name", required=True, max_length=_length(UpgradeProject, "name")
                ),
                _year("计划年度", "planned_year"),
                _choice("状态", "status", _labels(ProjectStatus), required=True),
                _date("完成日期", "completed_on"),
                _money("投资(万元)", "investment", max_digits=12),
            ),
            key=("street", "community", "name"),
        ),
        Sheet(
            "团队",
            (
                _street(),
                _community(),
                SheetColumn("团队名称", "name", required=True, max_length=_length(Team, "name")),
                _choice("类别", "category", _labels(TeamCategory), required=True),
                _text("项目", "project", Team),
                _text("负责人", "leader", Team),
                _text("联系电话", "phone", Team),
                _date("成立日期", "founded_on"),
                _date("解散日期", "dissolved_on", not_before="founded_on"),
            ),
            key=("street", "community", "name"),
        ),
        Sheet(
            "团队荣誉",
            (
                _street(),
                _community(),
                _team_name(),
                _year("年度", "year"),
                SheetColumn(
                    "荣誉称号", "title", required=True, max_length=_length(TeamHonour, "title")
                ),
                _text("评定单位", "awarded_by", TeamHonour),
            ),
            key=("street", "community", "team", "year", "title"),
        ),
        Sheet(
            "团队成员",
            (
                _street(),
                _community(),
                _team_name(),
                _code(),
                _person_name(),
                _gender(),
                _year("出生年份", "person_birth_year", required=False),
                _phone(),
                _date("加入日期", "joined_on"),
            ),
            key=("street", "community", "team", "person_code"),
        ),
        Sheet(
            "志愿者",
            (
                _street(),
                _community(),
                _code(),
                _person_name(),
                _gender(),
                _phone(),
                _date("注册日期", "registered_on"),
                _date("退出日期", "left_on", not_before="registered_on"),
                _money("服务时长(小时)", "service_hours", max_digits=10, blank=Decimal(0)),
            ),
            key=("street", "person_code"),
        ),
        Sheet(
            "社会体育指导员",
            (
                _street(),
                _community(),
                _code(),
                _person_name(),
                _gender(),
                _choice("等级", "level", _labels(InstructorLevel), required=True),
                SheetColumn(
                    "证书编号", "number", required=True, max_length=_length(Certificate, "number")
                ),
                _date("发证日期", "issued_on"),
                _date("失效日期", "expires_on", not_before="issued_on"),
                _text("指导项目", "sport", Certificate),
            ),
            key=("number",),
        ),
        Sheet(
            "文体干部",
            (
                _street(),
                _community(),
                _code(),
                _person_name(),
                _choice("职务", "post", _labels(CadrePost), required=True),
                _date("任职日期", "appointed_on", required=True),
                _date("离任日期", "left_on", not_before="appointed_on"),
            ),
            key=("street", "community", "person_code", "post", "appointed_on"),
        ),
        Sheet(
            "活动",
            (
                _street(),
                _community(),
                SheetColumn(
                    "活动名称", "name", required=True, max_length=_length(Activity, "name")
                ),
                _date("活动日期", "date", required=True),
                _choice("类别", "category", _labels(ActivityCategory), required=True),
                _text("形式", "form", Activity),
                _choice("规模", "scale", _labels(ActivityScale), blank=""),
                _choice("文化走亲", "is_exchange", YES_NO, blank=False),
                SheetColumn(
                    "走亲社区",
                    "partners",
                    Kind.NAMES,
                    blank=(),
                    note="同街道其他社区名称，用「、」分隔；仅当文化走亲为「是」时填写",
                ),
                _count("参与人数", "participants"),
                _choice("审核状态", "status", STATUS, blank=ActivityStatus.PENDING.value),
                _choice("计划", "has_plan", HAVE, blank=False),
                _choice("安排", "has_arrangement", HAVE, blank=False),
                _choice("资料", "has_material", HAVE, blank=False),
                _choice("影像", "has_image", HAVE, blank=False),
                _choice("总结", "has_summary", HAVE, blank=False),
                SheetColumn(
                    "所属品牌",
                    "brand",
                    max_length=_length(Brand, "name"),
                    note="本社区「品牌」工作表或系统中已有的品牌名称",
                ),
            ),
            key=("street", "community", "name", "date"),
        ),
        Sheet(
            "品牌",
            (
                _street(),
                _community(),
                SheetColumn("品牌名称", "name", required=True, max_length=_length(Brand, "name")),
                _choice("类别", "category", _labels(BrandCategory), required=True),
                _year("认定年度", "recognised_year"),
                _text("认定单位", "recognised_by", Brand),
                _year("撤销年度", "revoked_year", required=False, not_before="recognised_year"),
            ),
            key=("street", "community", "name"),
        ),
        Sheet(
            "星级评定",
            (
                _street(),
                _community(),
                _year("年度", "year"),
                SheetColumn("星级", "stars", Kind.INT, required=True, min_value=1, max_value=5),
                _text("评定单位", "rated_by", StarRating),
            ),
            key=("street", "community", "year", "stars"),
        ),
        Sheet(
            "星级目标",
            (
                _street(),
                _community(),
                _year("年度", "year"),
                SheetColumn("目标星级", "stars", Kind.INT, required=True, min_value=1, max_value=5),
            ),
            key=("street", "community", "year"),
        ),
        Sheet(
            "获奖",
            (
                _street(),
                _community(),
                _year("年度", "year"),
                SheetColumn("获奖名称", "name", required=True, max_length=_length(Award, "name")),
                _choice("级别", "level", _labels(AwardLevel), required=True),
            ),
            key=("street", "community", "year", "name"),
        ),
        Sheet(
            "扣分",
            (
                _street(),
                _community(),
                _year("年度", "year"),
                SheetColumn("事项", "item", required=True, max_length=_length(Deduction, "item")),
                SheetColumn(
                    "扣分",
                    "points",
                    Kind.DECIMAL,
                    required=True,
                    min_value=Decimal(0),
                    min_exclusive=True,
                    places=2,
                    max_digits=8,
                ),
                _choice("一票否决", "veto", YES_NO, blank=False),
            ),
            key=("street", "community", "year", "item"),
        ),
    )


SHEETS: tuple[Sheet, ...] = _sheets()
SHEET_BY_NAME: dict[str, Sheet] = {s.name: s for s in SHEETS}
PERSON_SHEETS = ("团队成员", "志愿者", "社会体育指导员", "文体干部")
PERSON_COUNTS = "人员"  # the pseudo-sheet under which imported Person changes are counted
EXPLANATION_SHEET = "说明"

GENERAL_RULES = (
    "每个工作表第一行为列名，按名称识别；多余的列忽略；缺少可选工作表时跳过该表；「社区」工作表必需。",
    "缺少必填列为错误；缺少可选列时，已有记录的该项保持不变，新记录取留空时的默认值。",
    "日期：Excel 日期单元格或 YYYY-MM-DD 文本；数字：数值单元格或数字文本；不支持公式，请粘贴为数值。",
    "是/否、有/无 填写汉字；留空表示未设置；单元格前后空格会被去掉；空行跳过。",
    "按自然键更新或新增（见下表「自然键」）；同一工作簿内自然键重复为错误。",
    "各行的街道+社区必须在本工作簿「社区」工作表中或系统中已有。",
    "团队荣誉、团队成员的团队必须在「团队」工作表或系统中已有（同一社区）。",
    "人员编号在一个街道内标识一个人；同一人员编号的各行姓名必须一致；性别、出生年份、联系电话取非空值。",
    "社区类型取该社区年度最新一行的值。",
    "解散日期、退出日期、失效日期、离任日期不得早于对应的开始日期；撤销年度不得早于认定年度。",
    "文件须为 .xlsx，不超过 20 MB，数据行不超过 200000 行；任何一行有错则整个工作簿不导入。",
)


def describe(sheet: Sheet, column: SheetColumn) -> str:
    """One line of the 说明 sheet: the format and allowed values of a column."""
    parts: list[str] = []
    if column.kind == Kind.CHOICE:
        parts.append("可选：" + "、".join(column.choices or {}))
    elif column.kind == Kind.DATE:
        parts.append("日期（YYYY-MM-DD）")
    elif column.kind == Kind.INT:
        if column.min_value == YEAR_MIN and column.max_value == YEAR_MAX:
            parts.append("年份（四位整数）")
        elif column.max_value == 5:
            parts.append("整数 1–5")
        elif column.min_exclusive:
            parts.append("大于0的整数")
        else:
            parts.append("不小于0的整数")
    elif column.kind == Kind.DECIMAL:
        bound = "大于0" if column.min_exclusive else "不小于0"
        parts.append(f"{bound}的数字，最多{column.places}位小数")
    elif column.kind == Kind.TEXT and column.max_length:
        parts.append(f"文字，最多{column.max_length}字")
    if column.not_before:
        parts.append(f"不得早于「{sheet.column_by_key[column.not_before].header}」")
    if not column.required and column.blank not in (None, "", ()):
        parts.append(f"留空为「{column.display(column.blank)}」")
    if column.note:
        parts.append(column.note)
    return "；".join(parts)
