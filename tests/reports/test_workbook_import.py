"""Importing the standard workbook: values, defaults, upserts, persons, activities, atomicity."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from activities.models import Activity, ActivityStatus, ActivityTransition, ArchiveFile, Brand
from communities.models import (
    Award,
    Community,
    Deduction,
    Population,
    StarRating,
    StarTarget,
    Street,
)
from facilities.models import Facility, UpgradeProject
from reports.workbook import plan as plan_module
from reports.workbook.importer import (
    Counts,
    WorkbookRejected,
    apply,
    parse_workbook,
    preview,
)
from teams.models import Cadre, Certificate, Person, Team, TeamHonour, TeamMember, Volunteer
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
MODELS = (
    Street,
    Community,
    Population,
    Facility,
    UpgradeProject,
    Team,
    TeamHonour,
    TeamMember,
    Person,
    Volunteer,
    Certificate,
    Cadre,
    Brand,
    Activity,
    ActivityTransition,
    StarRating,
    StarTarget,
    Award,
    Deduction,
)
HISTORIES = [m.history.model for m in MODELS if hasattr(m, "history")]


def load(sheets, headers=None):
    parsed = parse_workbook(build(sheets, headers))
    assert parsed.ok, [str(e) for e in parsed.errors]
    return apply(parsed)


def full_workbook():
    """Every sheet, two communities, a person in four roles."""
    return {
        "社区": [
            community(year=2013, 社区类型="回迁"),
            community(year=2014, 社区类型="部分回迁"),
            community("二社区", 常住人口=None, 户数=None, 社区类型=None),
        ],
        "设施": [
            facility(产权="共建共享", 共建单位="某中学", 免费开放="是"),
            facility(设施名称="健身路径一", 设施类型="健身路径", **{"面积(平方米)": None}),
        ],
        "提升工程": [
            at(
                项目名称="活动室改造",
                计划年度=2014,
                状态="完成",
                完成日期=D(2014, 10, 1),
                **{"投资(万元)": 12.5},
            )
        ],
        "团队": [team(项目="广场舞", 负责人="王五", 联系电话="13800000000")],
        "团队荣誉": [at(团队名称="舞蹈队", 年度=2014, 荣誉称号="优秀团队", 评定单位="区文化局")],
        "团队成员": [member(性别="女", 出生年份=1960, 加入日期=D(2013, 3, 1))],
        "志愿者": [volunteer(联系电话="13900000000", **{"服务时长(小时)": "12.5"})],
        "社会体育指导员": [
            instructor(),
            instructor(证书编号="Z002", 等级="一级", 发证日期="2014-06-01", 指导项目="太极"),
        ],
        "文体干部": [cadre()],
        "品牌": [at(品牌名称="龙舟", 类别="特色体育项目", 认定年度=2013)],
        "活动": [
            activity(
                文化走亲="是",
                走亲社区="二社区",
                参与人数=120,
                计划="有",
                安排="有",
                资料="有",
                影像="有",
                总结="有",
                所属品牌="龙舟",
            ),
            activity(活动名称="健身操", 类别="体育", 规模=None, 审核状态=None),
        ],
        "星级评定": [at(年度=2014, 星级=4, 评定单位="市体育局")],
        "星级目标": [at(年度=2014, 目标星级=4)],
        "获奖": [at(年度=2014, 获奖名称="先进集体", 级别="市级")],
        "扣分": [at(年度=2014, 事项="台账缺失", 扣分="1.5", 一票否决="是")],
    }


@pytest.mark.django_db
def test_full_workbook_is_stored():
    counts = load(full_workbook())
    assert counts["社区"] == Counts(3, 0, 0)
    assert counts["活动"] == Counts(2, 0, 0)
    assert counts["人员"] == Counts(1, 0, 0)

    one = Community.objects.get(name="一社区", street__name=STREET)
    assert one.kind == "部分回迁"  # from the row with the latest 年度
    assert Community.objects.get(name="二社区").kind == "普通"
    assert Population.objects.get(community__name="二社区").residents is None

    room = Facility.objects.get(name="文化活动室")
    assert (room.area, room.sets, room.ownership, room.partner_unit, room.free_open) == (
        Decimal("120"),
        0,
        "共建共享",
        "某中学",
        True,
    )
    path = Facility.objects.get(name="健身路径一")
    assert (path.area, path.sets, path.ownership, path.free_open) == (None, 1, "自有", False)
    project = UpgradeProject.objects.get()
    assert (project.completed_on, project.investment) == (D(2014, 10, 1), Decimal("12.5"))

    person = Person.objects.get(code="P001")
    assert (person.name, person.gender, person.birth_year, person.phone) == (
        "张三",
        "女",
        1960,
        "13900000000",
    )
    assert Volunteer.objects.get().service_hours == Decimal("12.5")
    assert Certificate.objects.get(number="Z002").issued_on == D(2014, 6, 1)
    assert Cadre.objects.get().person == person
    assert TeamMember.objects.get().person == person
    assert TeamHonour.objects.get().awarded_by == "区文化局"

    dance = Activity.objects.get(name="广场舞比赛")
    assert dance.status == ActivityStatus.VERIFIED
    assert dance.archive_complete and dance.is_exchange
    assert [c.name for c in dance.partners.all()] == ["二社区"]
    assert dance.brand.name == "龙舟"
    plain = Activity.objects.get(name="健身操")
    assert (plain.status, plain.scale, plain.has_plan, plain.is_exchange) == (
        ActivityStatus.PENDING,
        "",
        False,
        False,
    )
    deduction = Deduction.objects.get()
    assert (deduction.points, deduction.veto) == (Decimal("1.5"), True)
    assert StarTarget.objects.get().stars == 4
    assert Award.objects.get().level == "市级"


@pytest.mark.django_db
def test_streets_are_created_as_needed():
    load({"社区": [community(), community("乙社区", 街道="新街道")]})
    assert set(Street.objects.values_list("name", flat=True)) == {STREET, "新街道"}


@pytest.mark.django_db
def test_date_cells_and_date_text_are_the_same():
    load(
        {
            "社区": [community()],
            "团队": [
                team(成立日期=D(2012, 3, 1)),
                team(团队名称="合唱团", 成立日期="2012-03-01"),
                team(团队名称="腰鼓队", 成立日期=dt.datetime(2012, 3, 1, 0, 0)),
            ],
        }
    )
    assert set(Team.objects.values_list("founded_on", flat=True)) == {D(2012, 3, 1)}


@pytest.mark.django_db
def test_numbers_as_text_and_whole_floats_are_numbers():
    load(
        {
            "社区": [community(常住人口=" 5000 ", 户数=1800.0)],
            "扣分": [at(年度="2014", 事项="台账", 扣分=" 2 ")],
        }
    )
    population = Population.objects.get()
    assert (population.year, population.residents, population.households) == (2014, 5000, 1800)
    assert Deduction.objects.get().points == Decimal("2")


@pytest.mark.django_db
def test_codes_typed_as_numbers_and_spaces_are_stripped():
    load(
        {
            "社区": [community(社区=" 一社区 ")],
            "志愿者": [volunteer(人员编号=1001, 姓名=" 张三 ", 性别="未知")],
        }
    )
    person = Person.objects.get()
    assert (person.code, person.name, person.gender) == ("1001", "张三", "未知")
    assert Community.objects.get().name == "一社区"


@pytest.mark.django_db
def test_extra_columns_and_sheets_are_ignored_and_missing_sheets_skipped():
    headers = {"社区": ["备注", "街道", "社区", "年度", "常住人口", "户数", "社区类型", "填表人"]}
    counts = load(
        {"社区": [["随便", STREET, "一社区", 2014, 100, 30, "普通", "小李"]], "随便写写": [["x"]]},
        headers | {"随便写写": ["备注"]},
    )
    assert list(counts) == ["社区"]
    assert Population.objects.get().residents == 100


@pytest.mark.django_db
def test_upsert_updates_changed_rows_and_counts_them():
    load(full_workbook())
    sheets = full_workbook()
    sheets["设施"][0]["状态"] = "停用"
    sheets["扣分"].append(at(年度=2014, 事项="活动造假", 扣分=5))
    counts = load(sheets)
    assert counts["设施"] == Counts(0, 1, 1)
    assert counts["扣分"] == Counts(1, 0, 1)
    assert Facility.objects.get(name="文化活动室").status == "停用"
    assert Facility.objects.count() == 2


@pytest.mark.django_db
def test_community_kind_change_counts_as_an_update():
    load({"社区": [community(社区类型="普通")]})
    assert load({"社区": [community(社区类型="回迁")]})["社区"] == Counts(0, 1, 0)
    assert Community.objects.get().kind == "回迁"


@pytest.mark.django_db
def test_missing_optional_column_keeps_existing_values():
    load({"社区": [community()], "设施": [facility(共建单位="某中学", 免费开放="是")]})
    headers = {"设施": ["街道", "社区", "设施名称", "设施类型", "状态"]}
    counts = load({"社区": [community()], "设施": [facility(状态="停用")]}, headers)
    assert counts["设施"] == Counts(0, 1, 0)
    room = Facility.objects.get()
    assert (room.status, room.partner_unit, room.free_open, room.area) == (
        "停用",
        "某中学",
        True,
        Decimal("120"),
    )


@pytest.mark.django_db
def test_blank_cell_of_a_present_column_means_its_default():
    load({"社区": [community()], "设施": [facility(免费开放="是", 产权="共建共享")]})
    load({"社区": [community()], "设施": [facility()]})
    room = Facility.objects.get()
    assert (room.free_open, room.ownership) == (False, "自有")


@pytest.mark.django_db
def test_person_attributes_merge_and_the_workbook_corrects_the_name():
    street = f.StreetFactory(name=STREET)
    f.PersonFactory(
        street=street, code="P001", name="张叁", gender="", phone="13700000000", birth_year=None
    )
    counts = load(
        {
            "社区": [community()],
            "团队": [team()],
            "团队成员": [member(性别="男", 出生年份=1970)],
            "志愿者": [volunteer(性别=None, 联系电话=None)],
        }
    )
    assert counts["人员"] == Counts(0, 1, 0)
    person = Person.objects.get()
    assert (person.name, person.gender, person.birth_year, person.phone) == (
        "张三",
        "男",
        1970,
        "13700000000",
    )


@pytest.mark.django_db
def test_one_person_per_street_and_code():
    load(
        {
            "社区": [community(), community("乙社区", 街道="乙街道")],
            "志愿者": [volunteer(), volunteer(街道="乙街道", 社区="乙社区", 姓名="另一人")],
            "社会体育指导员": [instructor(), instructor(证书编号="Z002")],
            "文体干部": [cadre()],
        }
    )
    assert Person.objects.count() == 2
    person = Person.objects.get(street__name=STREET)
    assert person.certificates.count() == 2 and person.cadre_posts.count() == 1


@pytest.mark.django_db
def test_status_change_is_logged_as_a_transition():
    load({"社区": [community()], "活动": [activity(审核状态="待审核")]})
    assert not ActivityTransition.objects.exists()  # a creation is not a workflow step
    counts = load({"社区": [community()], "活动": [activity(审核状态="已审核")]})
    assert counts["活动"] == Counts(0, 1, 0)
    step = ActivityTransition.objects.get()
    assert (step.from_status, step.to_status, step.by, step.reason) == (
        "pending",
        "verified",
        None,
        "工作簿导入",
    )
    assert Activity.objects.get().status == "verified"


@pytest.mark.django_db
def test_draft_is_accepted_and_logs_nothing():
    load({"社区": [community()], "活动": [activity(审核状态="草稿")]})
    assert Activity.objects.get().status == ActivityStatus.DRAFT
    assert not ActivityTransition.objects.exists()


@pytest.mark.django_db
def test_partners_replace_the_partner_set():
    sheets = {
        "社区": [community(), community("二社区"), community("三社区"), community("四社区")],
        "活动": [activity(文化走亲="是", 走亲社区="二社区，三社区")],
    }
    load(sheets)
    activity_ = Activity.objects.get()
    assert sorted(c.name for c in activity_.partners.all()) == ["三社区", "二社区"]
    sheets["活动"] = [activity(文化走亲="是", 走亲社区="三社区;四社区")]
    assert load(sheets)["活动"] == Counts(0, 1, 0)
    assert sorted(c.name for c in activity_.partners.all()) == ["三社区", "四社区"]
    sheets["活动"] = [activity(文化走亲="否")]
    load(sheets)
    assert not activity_.partners.exists()


@pytest.mark.django_db
def test_certificate_number_is_its_key_across_streets():
    load({"社区": [community()], "社会体育指导员": [instructor(等级="三级")]})
    counts = load(
        {
            "社区": [community(), community("乙社区", 街道="乙街道")],
            "社会体育指导员": [instructor(街道="乙街道", 社区="乙社区", 等级="二级")],
        }
    )
    assert counts["社会体育指导员"] == Counts(0, 1, 0)
    certificate = Certificate.objects.get()
    assert (certificate.level, certificate.community.name, certificate.person.street.name) == (
        "二级",
        "乙社区",
        "乙街道",
    )


@pytest.mark.django_db
def test_preview_counts_without_writing():
    load({"社区": [community()], "设施": [facility()]})
    sheets = {
        "社区": [community(), community("二社区")],
        "设施": [facility(状态="停用"), facility(社区="二社区")],
    }
    parsed = parse_workbook(build(sheets))
    before = {m: m.objects.count() for m in MODELS}
    history_before = {h: h.objects.count() for h in HISTORIES}
    counts = preview(parsed)
    assert counts == {"社区": Counts(1, 0, 1), "设施": Counts(1, 1, 0)}
    assert {m: m.objects.count() for m in MODELS} == before
    assert {h: h.objects.count() for h in HISTORIES} == history_before
    assert Facility.objects.get().status == "在用"
    assert apply(parsed) == counts


@pytest.mark.django_db
def test_reimport_changes_nothing_and_writes_no_history():
    first = load(full_workbook())
    history = {h: h.objects.count() for h in HISTORIES}
    transitions = ActivityTransition.objects.count()
    second = load(full_workbook())
    assert second == {sheet: Counts(0, 0, c.created) for sheet, c in first.items()}
    assert {h: h.objects.count() for h in HISTORIES} == history
    assert ActivityTransition.objects.count() == transitions


@pytest.mark.django_db
def test_import_writes_history_rows():
    load(full_workbook())
    record = Facility.history.filter(name="文化活动室").get()
    assert (record.history_type, record.history_change_reason) == ("+", "工作簿导入")
    sheets = full_workbook()
    sheets["设施"][0]["状态"] = "停用"
    load(sheets)
    latest = Facility.history.filter(name="文化活动室").latest("history_date")
    assert (latest.history_type, latest.status) == ("~", "停用")


@pytest.mark.django_db
def test_a_bad_row_in_the_last_sheet_writes_nothing():
    sheets = full_workbook()
    sheets["扣分"].append(at(年度=2014, 事项="另一项", 扣分=-1))
    parsed = parse_workbook(build(sheets))
    assert [(e.sheet, e.row) for e in parsed.errors] == [("扣分", 3)]
    with pytest.raises(WorkbookRejected):
        apply(parsed)
    assert all(m.objects.count() == 0 for m in MODELS)


@pytest.mark.django_db
def test_a_failure_while_writing_rolls_everything_back(monkeypatch):
    parsed = parse_workbook(build(full_workbook()))
    original = plan_module._link

    def broken(*args, **kwargs):
        original(*args, **kwargs)
        raise RuntimeError("disk full")

    monkeypatch.setattr(plan_module, "_link", broken)
    with pytest.raises(RuntimeError):
        apply(parsed)
    assert all(m.objects.count() == 0 for m in MODELS)
    assert all(h.objects.count() == 0 for h in HISTORIES)


@pytest.mark.django_db
def test_apply_checks_the_database_again():
    c = f.CommunityFactory(street=f.StreetFactory(name=STREET), name="三社区")
    parsed = parse_workbook(build({"社区": [community()], "设施": [facility(社区="三社区")]}))
    assert parsed.ok
    c.delete()
    with pytest.raises(WorkbookRejected) as caught:
        apply(parsed)
    assert caught.value.errors[0].column == "社区"
    assert not Facility.objects.exists() and not Population.objects.exists()


def _activities(n):
    return {
        "社区": [community()],
        "活动": [activity(活动名称=f"活动{i}") for i in range(n)],
        "志愿者": [volunteer(人员编号=f"P{i}", 姓名=f"人{i}") for i in range(n)],
    }


@pytest.mark.django_db
def test_queries_do_not_grow_with_rows():
    def queries(n):
        parsed = parse_workbook(build(_activities(n)))
        with CaptureQueriesContext(connection) as ctx:
            apply(parsed)
        return len(ctx.captured_queries)

    small = queries(10)
    Activity.objects.all().delete()
    large = queries(200)
    # Inserts are batched (SQLite allows few parameters per statement): a little growth only.
    assert large < small + 30
    again = []
    for n in (10, 200):
        parsed = parse_workbook(build(_activities(n)))
        with CaptureQueriesContext(connection) as ctx:
            counts = apply(parsed)
        assert counts["活动"].unchanged == n
        again.append(len(ctx.captured_queries))
    assert again[0] == again[1]


@pytest.mark.django_db
def test_a_slot_with_uploaded_files_stays_marked():
    load({"社区": [community()], "活动": [activity(计划="有")]})
    dance = Activity.objects.get()
    ArchiveFile.objects.create(
        activity=dance,
        slot="plan",
        file="archives/1/plan/a.pdf",
        original_name="计划.pdf",
        content_type="application/pdf",
        size=1,
    )
    counts = load({"社区": [community()], "活动": [activity(计划="无", 总结="有")]})
    assert counts["活动"] == Counts(0, 1, 0)
    dance.refresh_from_db()
    assert (dance.has_plan, dance.has_summary) == (True, True)


@pytest.mark.django_db
def test_status_change_sets_what_the_workflow_sets():
    load({"社区": [community()], "活动": [activity(审核状态="已退回")]})
    Activity.objects.update(return_reason="缺少照片")
    load({"社区": [community()], "活动": [activity(审核状态="待审核")]})
    dance = Activity.objects.get()
    assert dance.submitted_at is not None and dance.return_reason == ""
    assert dance.updated_at == dance.submitted_at


@pytest.mark.django_db
def test_headers_are_matched_loosely_on_spaces_and_full_width_brackets():
    headers = {
        "社区": [" 街道 ", "社 区", "年度", "常住人口", "户数"],
        "设施": ["街道", "社区", "设施名称", "设施类型", "面积（平方米）", "状态"],
    }
    load(
        {
            "社区": [[STREET, "一社区", 2014, 10, 5]],
            "设施": [[STREET, "一社区", "活动室", "文化活动室", 80, "在用"]],
        },
        headers,
    )
    assert Facility.objects.get().area == Decimal("80")
