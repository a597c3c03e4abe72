"""Every kind of bad input is reported with its sheet, Excel row, column header and reason."""

import datetime as dt

import pytest

from reports.workbook.importer import parse_workbook
from tests import factories as f

from .workbook_util import (
    STREET,
    activity,
    at,
    build,
    cadre,
    community,
    facility,
    instructor,
    member,
    team,
    volunteer,
)

D = dt.date

# (id, sheets besides the two communities, sheet, row, column, part of the reason)
CASES = [
    (
        "formula",
        {"社区": [community(常住人口="=1+1")]},
        "社区",
        2,
        "常住人口",
        "不支持公式，请粘贴为数值",
    ),
    ("not-whole", {"社区": [community(常住人口=3.5)]}, "社区", 2, "常住人口", "应为整数"),
    ("not-a-number", {"社区": [community(户数="很多")]}, "社区", 2, "户数", "应为整数"),
    ("residents-zero", {"社区": [community(常住人口=0)]}, "社区", 2, "常住人口", "应大于0"),
    ("logical-cell", {"社区": [community(户数=True)]}, "社区", 2, "户数", "不支持逻辑值"),
    ("year-range", {"社区": [community(year=14)]}, "社区", 2, "年度", "应在1900到2100之间"),
    ("year-blank", {"社区": [community(year=None)]}, "社区", 2, "年度", "不能为空"),
    (
        "community-kind",
        {"社区": [community(社区类型="城中村")]},
        "社区",
        2,
        "社区类型",
        "应为以下之一：普通、回迁、部分回迁",
    ),
    ("street-blank", {"社区": [community(街道=None)]}, "社区", 2, "街道", "不能为空"),
    (
        "facility-kind",
        {"设施": [facility(设施类型="礼堂")]},
        "设施",
        2,
        "设施类型",
        "应为以下之一：文化活动室",
    ),
    ("facility-kind-blank", {"设施": [facility(设施类型=None)]}, "设施", 2, "设施类型", "不能为空"),
    ("facility-name-blank", {"设施": [facility(设施名称="  ")]}, "设施", 2, "设施名称", "不能为空"),
    ("facility-status", {"设施": [facility(状态=None)]}, "设施", 2, "状态", "不能为空"),
    (
        "facility-status-list",
        {"设施": [facility(状态="维修")]},
        "设施",
        2,
        "状态",
        "应为以下之一：在用、在建、停用",
    ),
    (
        "area-negative",
        {"设施": [facility(**{"面积(平方米)": -1})]},
        "设施",
        2,
        "面积(平方米)",
        "不能小于0",
    ),
    (
        "area-decimals",
        {"设施": [facility(**{"面积(平方米)": "1.234"})]},
        "设施",
        2,
        "面积(平方米)",
        "最多2位小数",
    ),
    ("sets-fraction", {"设施": [facility(**{"数量(套)": 1.5})]}, "设施", 2, "数量(套)", "应为整数"),
    ("sets-negative", {"设施": [facility(**{"数量(套)": -1})]}, "设施", 2, "数量(套)", "不能小于0"),
    (
        "ownership",
        {"设施": [facility(产权="租赁")]},
        "设施",
        2,
        "产权",
        "应为以下之一：自有、共建共享",
    ),
    ("yes-no", {"设施": [facility(免费开放="Y")]}, "设施", 2, "免费开放", "应为以下之一：是、否"),
    (
        "date-text",
        {"设施": [facility(启用日期="2014/05/01")]},
        "设施",
        2,
        "启用日期",
        "应为日期（Excel 日期单元格或 YYYY-MM-DD 文本）",
    ),
    (
        "date-invalid",
        {"设施": [facility(启用日期="2014-02-30")]},
        "设施",
        2,
        "启用日期",
        "日期无效",
    ),
    ("date-number", {"设施": [facility(启用日期=41640)]}, "设施", 2, "启用日期", "应为日期"),
    (
        "text-too-long",
        {"设施": [facility(设施名称="长" * 101)]},
        "设施",
        2,
        "设施名称",
        "不能超过100个字",
    ),
    (
        "project-year",
        {"提升工程": [at(项目名称="改造", 计划年度=None, 状态="计划")]},
        "提升工程",
        2,
        "计划年度",
        "不能为空",
    ),
    (
        "project-status",
        {"提升工程": [at(项目名称="改造", 计划年度=2014, 状态=None)]},
        "提升工程",
        2,
        "状态",
        "不能为空",
    ),
    ("team-category", {"团队": [team(类别=None)]}, "团队", 2, "类别", "不能为空"),
    (
        "team-dissolved",
        {"团队": [team(解散日期=D(2012, 2, 1))]},
        "团队",
        2,
        "解散日期",
        "不能早于「成立日期」",
    ),
    (
        "volunteer-left",
        {"志愿者": [volunteer(退出日期=D(2012, 12, 31))]},
        "志愿者",
        2,
        "退出日期",
        "不能早于「注册日期」",
    ),
    (
        "volunteer-hours",
        {"志愿者": [volunteer(**{"服务时长(小时)": "-2"})]},
        "志愿者",
        2,
        "服务时长(小时)",
        "不能小于0",
    ),
    (
        "certificate-expired",
        {"社会体育指导员": [instructor(失效日期=D(2012, 1, 1))]},
        "社会体育指导员",
        2,
        "失效日期",
        "不能早于「发证日期」",
    ),
    (
        "certificate-level",
        {"社会体育指导员": [instructor(等级="四级")]},
        "社会体育指导员",
        2,
        "等级",
        "应为以下之一：三级、二级、一级、国家级",
    ),
    (
        "certificate-number",
        {"社会体育指导员": [instructor(证书编号=None)]},
        "社会体育指导员",
        2,
        "证书编号",
        "不能为空",
    ),
    ("cadre-post", {"文体干部": [cadre(职务=None)]}, "文体干部", 2, "职务", "不能为空"),
    (
        "cadre-appointed",
        {"文体干部": [cadre(任职日期=None)]},
        "文体干部",
        2,
        "任职日期",
        "不能为空",
    ),
    (
        "cadre-left",
        {"文体干部": [cadre(离任日期=D(2013, 1, 1))]},
        "文体干部",
        2,
        "离任日期",
        "不能早于「任职日期」",
    ),
    (
        "person-code-blank",
        {"志愿者": [volunteer(人员编号=None)]},
        "志愿者",
        2,
        "人员编号",
        "不能为空",
    ),
    (
        "activity-category",
        {"活动": [activity(类别="其他")]},
        "活动",
        2,
        "类别",
        "应为以下之一：文化、体育",
    ),
    ("activity-date", {"活动": [activity(活动日期=None)]}, "活动", 2, "活动日期", "不能为空"),
    ("activity-scale", {"活动": [activity(规模="超大型")]}, "活动", 2, "规模", "应为以下之一"),
    (
        "activity-status",
        {"活动": [activity(审核状态="通过")]},
        "活动",
        2,
        "审核状态",
        "应为以下之一：已审核、待审核、已退回、草稿",
    ),
    (
        "activity-archive",
        {"活动": [activity(计划="是")]},
        "活动",
        2,
        "计划",
        "应为以下之一：有、无",
    ),
    (
        "activity-participants",
        {"活动": [activity(参与人数=-5)]},
        "活动",
        2,
        "参与人数",
        "不能小于0",
    ),
    (
        "brand-category",
        {"品牌": [at(品牌名称="龙舟", 类别=None, 认定年度=2013)]},
        "品牌",
        2,
        "类别",
        "不能为空",
    ),
    (
        "brand-year",
        {"品牌": [at(品牌名称="龙舟", 类别="特色体育项目", 认定年度=None)]},
        "品牌",
        2,
        "认定年度",
        "不能为空",
    ),
    (
        "brand-revoked",
        {"品牌": [at(品牌名称="龙舟", 类别="特色体育项目", 认定年度=2013, 撤销年度=2012)]},
        "品牌",
        2,
        "撤销年度",
        "不能早于「认定年度」",
    ),
    ("stars", {"星级评定": [at(年度=2014, 星级=6)]}, "星级评定", 2, "星级", "应在1到5之间"),
    ("stars-blank", {"星级评定": [at(年度=2014, 星级=None)]}, "星级评定", 2, "星级", "不能为空"),
    (
        "target-stars",
        {"星级目标": [at(年度=2014, 目标星级=0)]},
        "星级目标",
        2,
        "目标星级",
        "应在1到5之间",
    ),
    (
        "award-level",
        {"获奖": [at(年度=2014, 获奖名称="先进", 级别=None)]},
        "获奖",
        2,
        "级别",
        "不能为空",
    ),
    (
        "deduction-zero",
        {"扣分": [at(年度=2014, 事项="台账", 扣分=0)]},
        "扣分",
        2,
        "扣分",
        "应大于0",
    ),
    (
        "deduction-decimals",
        {"扣分": [at(年度=2014, 事项="台账", 扣分=1.255)]},
        "扣分",
        2,
        "扣分",
        "最多2位小数",
    ),
    (
        "deduction-blank",
        {"扣分": [at(年度=2014, 事项="台账", 扣分=None)]},
        "扣分",
        2,
        "扣分",
        "不能为空",
    ),
    (
        "veto",
        {"扣分": [at(年度=2014, 事项="台账", 扣分=1, 一票否决="Y")]},
        "扣分",
        2,
        "一票否决",
        "应为以下之一：是、否",
    ),
    # Rules that cross rows and sheets.
    (
        "unknown-community",
        {"设施": [facility(社区="三社区")]},
        "设施",
        2,
        "社区",
        "社区「三社区」（测试街道）不在「社区」工作表中，系统中也没有",
    ),
    (
        "duplicate-key",
        {"设施": [facility(), facility(状态="停用")]},
        "设施",
        3,
        "街道+社区+设施名称",
        "与第2行重复",
    ),
    (
        "duplicate-volunteer",
        {"志愿者": [volunteer(), volunteer(社区="二社区")]},
        "志愿者",
        3,
        "街道+人员编号",
        "与第2行重复",
    ),
    (
        "honour-without-team",
        {"团队荣誉": [at(团队名称="合唱团", 年度=2014, 荣誉称号="优秀团队")]},
        "团队荣誉",
        2,
        "团队名称",
        "团队「合唱团」在本社区不存在",
    ),
    (
        "member-team-elsewhere",
        {"团队": [team(社区="二社区")], "团队成员": [member()]},
        "团队成员",
        2,
        "团队名称",
        "在本社区不存在",
    ),
    (
        "unknown-brand",
        {"活动": [activity(所属品牌="龙舟")]},
        "活动",
        2,
        "所属品牌",
        "「龙舟」不是本社区的品牌",
    ),
    (
        "brand-of-other-community",
        {
            "品牌": [at(社区="二社区", 品牌名称="龙舟", 类别="特色体育项目", 认定年度=2013)],
            "活动": [activity(所属品牌="龙舟")],
        },
        "活动",
        2,
        "所属品牌",
        "不是本社区的品牌",
    ),
    (
        "partners-without-exchange",
        {"活动": [activity(文化走亲="否", 走亲社区="二社区")]},
        "活动",
        2,
        "走亲社区",
        "只有「文化走亲」为「是」时才能填写走亲社区",
    ),
    (
        "partner-unknown",
        {"活动": [activity(文化走亲="是", 走亲社区="二社区、九社区")]},
        "活动",
        2,
        "走亲社区",
        "走亲社区「九社区」在测试街道不存在",
    ),
    (
        "partner-is-host",
        {"活动": [activity(文化走亲="是", 走亲社区="一社区")]},
        "活动",
        2,
        "走亲社区",
        "走亲社区不能是本社区",
    ),
    (
        "person-names-differ",
        {"志愿者": [volunteer()], "社会体育指导员": [instructor(姓名="李四")]},
        "社会体育指导员",
        2,
        "姓名",
        "人员编号「P001」在工作表「志愿者」第2行的姓名是「张三」，与此处「李四」不一致",
    ),
    ("person-name-blank", {"文体干部": [cadre(姓名=None)]}, "文体干部", 2, "姓名", "不能为空"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("sheets", "sheet", "row", "column", "reason"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_error_names_sheet_row_column_and_reason(sheets, sheet, row, column, reason):
    workbook = {"社区": [community(), community("二社区")]} | sheets
    parsed = parse_workbook(build(workbook))
    assert not parsed.ok
    located = [e for e in parsed.errors if (e.sheet, e.row, e.column) == (sheet, row, column)]
    assert located, [str(e) for e in parsed.errors]
    assert any(reason in e.message for e in located), [str(e) for e in parsed.errors]
    text = str(located[0])
    assert text.startswith(f"工作表「{sheet}」第{row}行「{column}」：")


@pytest.mark.django_db
def test_every_error_of_the_workbook_is_collected():
    parsed = parse_workbook(
        build(
            {
                "社区": [community(常住人口="=A1"), community("二社区", 户数=2.5)],
                "设施": [facility(状态=None), facility(设施名称="另一处", 设施类型="礼堂")],
                "扣分": [at(年度=2014, 事项="台账", 扣分=0)],
            }
        )
    )
    assert {(e.sheet, e.row, e.column) for e in parsed.errors} == {
        ("社区", 2, "常住人口"),
        ("社区", 3, "户数"),
        ("设施", 2, "状态"),
        ("设施", 3, "设施类型"),
        ("扣分", 2, "扣分"),
    }


@pytest.mark.django_db
def test_missing_required_column_is_named():
    headers = {"设施": ["街道", "社区", "设施名称", "设施类型", "面积(平方米)"]}
    parsed = parse_workbook(build({"社区": [community()], "设施": [facility()]}, headers))
    assert [str(e) for e in parsed.errors] == [
        "工作表「设施」第1行「状态」：缺少必需的列",
    ]


@pytest.mark.django_db
def test_missing_community_sheet_is_an_error():
    parsed = parse_workbook(build({"设施": [facility()]}))
    assert "工作表「社区」：缺少必需的工作表「社区」" in [str(e) for e in parsed.errors]


@pytest.mark.django_db
def test_repeated_header_is_an_error():
    headers = {"社区": ["街道", "社区", "年度", "常住人口", "常住人口"]}
    parsed = parse_workbook(build({"社区": [["测试街道", "一社区", 2014, 1, 2]]}, headers))
    assert [str(e) for e in parsed.errors] == ["工作表「社区」第1行「常住人口」：列名重复"]


@pytest.mark.django_db
def test_row_numbers_count_the_blank_rows_that_are_skipped():
    parsed = parse_workbook(
        build({"社区": [community(), [], [None, "  ", None], community("二社区", 常住人口="x")]})
    )
    assert [(e.row, e.column) for e in parsed.errors] == [(5, "常住人口")]


@pytest.mark.django_db
def test_community_in_the_database_needs_no_community_row():
    f.CommunityFactory(street=f.StreetFactory(name=STREET), name="三社区")
    parsed = parse_workbook(build({"社区": [community()], "设施": [facility(社区="三社区")]}))
    assert parsed.ok, [str(e) for e in parsed.errors]


@pytest.mark.django_db
def test_team_and_brand_in_the_database_are_known():
    c = f.CommunityFactory(street=f.StreetFactory(name=STREET), name="一社区")
    f.TeamFactory(community=c, name="合唱团")
    f.BrandFactory(community=c, name="龙舟")
    parsed = parse_workbook(
        build(
            {
                "社区": [community()],
                "团队荣誉": [at(团队名称="合唱团", 年度=2014, 荣誉称号="优秀团队")],
                "活动": [activity(所属品牌="龙舟")],
            }
        )
    )
    assert parsed.ok, [str(e) for e in parsed.errors]


@pytest.mark.django_db
def test_partner_of_another_street_is_unknown():
    f.CommunityFactory(street=f.StreetFactory(name="别的街道"), name="外社区")
    parsed = parse_workbook(
        build(
            {
                "社区": [community()],
                "活动": [activity(文化走亲="是", 走亲社区="外社区")],
            }
        )
    )
    assert [str(e) for e in parsed.errors] == [
        "工作表「活动」第2行「走亲社区」：走亲社区「外社区」在测试街道不存在",
    ]


@pytest.mark.django_db
def test_person_name_in_the_database_may_differ():
    street = f.StreetFactory(name=STREET)
    f.PersonFactory(street=street, code="P001", name="张叁")
    parsed = parse_workbook(build({"社区": [community()], "志愿者": [volunteer()]}))
    assert parsed.ok, [str(e) for e in parsed.errors]
