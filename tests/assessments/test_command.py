"""manage.py assess: the JSON contract, errors and exit codes, and an end-to-end run from a
workbook imported with import_workbook, checked against numbers computed by hand."""

import json

import pytest
from openpyxl import Workbook

from assessments.default_scheme import DEFAULT_SCHEME
from assessments.models import Run
from tests import factories as f
from tests.e2e.random_workbook import HEADERS
from tests.e2e.test_against_oracle import run_command

from .conftest import full_marks

pytestmark = pytest.mark.django_db


def test_unknown_street(cast):
    code, out, err = run_command("assess", "--street", "没有街道", "--year", "2014", "--json")
    assert (code, out) == (1, "") and "街道“没有街道”不存在" in err


def test_json_only_on_stdout_and_nothing_saved(cast):
    full_marks(cast.a1)
    full_marks(cast.a2)
    code, out, err = run_command("assess", "--street", "甲街道", "--year", "2014", "--json")
    assert code == 0 and err == ""
    data = json.loads(out)
    assert list(data) == ["street", "year", "scheme", "communities"]
    first = data["communities"][0]
    assert first == {
        "community": "甲一社区",
        "rank": 1,
        "grade": "优秀",
        "cards": {"A": 100.0, "B": 100.0},
        "bonus": 0.0,
        "deduction": 0.0,
        "veto": False,
        "total": 200.0,
        "indicators": {i["code"]: float(i["points"]) for i in DEFAULT_SCHEME["indicators"]},
    }
    assert list(first["indicators"]) == [f"A{i}" for i in range(1, 12)] + [
        f"B{i}" for i in range(1, 10)
    ]
    assert [c["community"] for c in data["communities"]] == ["甲一社区", "甲二社区"]
    assert not Run.objects.exists()


def test_unscorable_communities_exit_1_with_the_others_printed(cast):
    full_marks(cast.a1)
    code, out, err = run_command("assess", "--street", "甲街道", "--year", "2014", "--json")
    data = json.loads(out)
    assert code == 1
    assert [c["community"] for c in data["communities"]] == ["甲一社区"]
    assert [e["community"] for e in data["errors"]] == ["甲二社区"]
    assert "甲二社区" in err and "常住人口" in err


def test_table_as_of_and_save(cast):
    full_marks(cast.a1)
    f.PopulationFactory(community=cast.a2)
    code, out, err = run_command(
        "assess", "--street", "甲街道", "--year", "2014", "--as-of", "2014-06-30", "--save"
    )
    assert code == 0
    assert "截至 2014-06-30（临时）" in out and "名次" in out and "甲一社区" in out
    assert "还差" in out
    run = Run.objects.get()
    assert run.provisional and run.version == 1 and "第 1 版" in err
    code, out, err = run_command(
        "assess", "--street", "甲街道", "--year", "2014", "--as-of", "2015-01-01"
    )
    assert code == 1 and "不在考核年度" in err


# --- end to end -----------------------------------------------------------------------------

S = "测试街道"


def write(path, sheets: dict[str, list[dict]]) -> None:
    wb = Workbook()
    wb.remove(wb.active)
    for sheet, headers in HEADERS.items():
        ws = wb.create_sheet(sheet)
        ws.append(headers)
        for row in sheets.get(sheet, []):
            ws.append([row.get(h) for h in headers])
    wb.save(path)


def row(community, **values):
    return {"街道": S, "社区": community, **values}


FIVE = {"计划": "有", "安排": "有", "资料": "有", "影像": "有", "总结": "有"}


def workbook_rows() -> dict[str, list[dict]]:
    e, w = "东社区", "西社区"
    s: dict[str, list[dict]] = {k: [] for k in HEADERS}
    s["社区"] = [
        row(e, 年度=2014, 常住人口=2000),
        row(w, 年度=2013, 常住人口=1000),
        row(w, 年度=2015, 常住人口=5000),  # a later year: ignored for 2014
        row("北社区", 年度=2015, 常住人口=800),  # nothing up to 2014: cannot be scored
    ]

    def fac(c, name, kind, area=None, sets=None, status="在用", opened="2012-01-01", **kw):
        s["设施"].append(
            row(
                c,
                设施名称=name,
                设施类型=kind,
                **{"面积(平方米)": area, "数量(套)": sets},
                状态=status,
                启用日期=opened,
                **kw,
            )
        )

    fac(e, "东文化活动室", "文化活动室", 150)
    fac(e, "东多功能室", "多功能活动室", 40)
    fac(e, "东电子阅览室", "电子阅览室", 10)
    fac(e, "东排练室", "培训排练室", 30, status="在建")
    fac(e, "东共享点", "共享工程服务点")
    fac(e, "东健身路径一", "健身路径", sets=1)
    fac(e, "东健身路径二", "健身路径")  # blank 数量 = 1 set for a 健身路径
    fac(e, "东体育室", "室内体育活动室", opened="2015-01-01")
    fac(e, "东学校操场", "室外运动场地", 产权="共建共享", 共建单位="某中学", 免费开放="是")
    fac(w, "西礼堂", "文化礼堂", "120.5")
    fac(w, "西讲堂", "讲堂")

    def team(c, name, cat, founded="2012-01-01", dissolved=None):
        s["团队"].append(row(c, 团队名称=name, 类别=cat, 成立日期=founded, 解散日期=dissolved))

    for i in range(1, 5):
        team(e, f"东文{i}", "文化")
    team(e, "东文5", "文化", dissolved="2014-12-31")  # dissolved on D: not active
    team(e, "东体1", "体育")
    team(e, "东体2", "体育", founded="2015-01-01")
    s["团队荣誉"] = [
        row(e, 团队名称="东文1", 年度=2014, 荣誉称号="优秀团队"),
        row(e, 团队名称="东文2", 年度=2013, 荣誉称号="优秀团队"),
        row(e, 团队名称="东文3", 年度=2014, 荣誉称号="先进团队"),
        row(e, 团队名称="东体1", 年度=2014, 荣誉称号="优秀团队"),
    ]

    def act(c, name, date, cat="文化", scale="小型", status="已审核", five=True, **kw):
        s["活动"].append(
            row(
                c,
                活动名称=name,
                活动日期=date,
                类别=cat,
                规模=scale,
                审核状态=status,
                **(FIVE if five else {}),
                **kw,
            )
        )

    for i, scale in enumerate(["大型", "大型", "大型", "中型", "小型", "小型", "小型"], start=1):
        act(e, f"东活动{i}", f"2014-0{i}-15", scale=scale, five=i <= 5)
    act(e, "东走亲", "2014-12-31", five=True, 文化走亲="是", 走亲社区=w)
    act(e, "东跨年", "2015-01-01")
    act(e, "东待审", "2014-05-05", status="待审核")
    act(e, "东比赛", "2014-06-01", cat="体育")
    act(w, "西旧活动", "2013-12-31")
    s["品牌"] = [
        row(e, 品牌名称="东品牌", 类别="示范文化品牌", 认定年度=2013),
        row(e, 品牌名称="东体品牌", 类别="特色体育项目", 认定年度=2012, 撤销年度=2014),
    ]

    def person(c, code, name):
        return row(c, 人员编号=code, 姓名=name)

    for i in range(45):
        s["志愿者"].append({**person(e, f"EV{i:02d}", f"东志愿者{i}"), "注册日期": "2013-03-01"})
    s["志愿者"] += [
        {**person(e, "EV90", "晚注册"), "注册日期": "2015-01-01"},
        {**person(e, "EV91", "年末退出"), "注册日期": "2013-03-01", "退出日期": "2014-12-31"},
        {**person(e, "EV92", "未注册"), "注册日期": None},
    ]
    for i in range(10):
        s["志愿者"].append({**person(w, f"WV{i:02d}", f"西志愿者{i}"), "注册日期": "2014-12-31"})

    def cert(c, code, name, level, number, issued="2013-01-01", expires=None):
        s["社会体育指导员"].append(
            {
                **person(c, code, name),
                "等级": level,
                "证书编号": number,
                "发证日期": issued,
                "失效日期": expires,
            }
        )

    cert(e, "E1", "东一", "三级", "C-E1-3")
    cert(e, "E1", "东一", "一级", "C-E1-1")  # the same person: counted once, at 一级
    for i in range(2, 8):
        cert(e, f"E{i}", f"东{i}", "三级", f"C-E{i}")
    cert(e, "E8", "东八", "三级", "C-E8", expires="2014-12-31")  # expired on D
    cert(e, "E9", "东九", "二级", "C-E9", issued="2015-01-01")  # issued after D
    cert(w, "W1", "西一", "三级", "C-W1")
    s["文体干部"] = [
        {
            **person(e, "E1", "东一"),
            "职务": "两委分管文体",
            "任职日期": "2011-12-31",
        },  # 3 years: 一级 held
        {
            **person(e, "EM", "东管"),
            "职务": "文体管理员",
            "任职日期": "2013-12-31",
        },  # 1 year: no certificate
        {
            **person(w, "W1", "西一"),
            "职务": "文体管理员",
            "任职日期": "2012-06-01",
        },  # 2 years: 三级 held
    ]
    s["星级评定"] = [
        row(e, 年度=2014, 星级=3),
        row(e, 年度=2014, 星级=4),
        row(w, 年度=2014, 星级=2),
    ]
    s["星级目标"] = [row(e, 年度=2014, 目标星级=4)]
    s["获奖"] = [
        row(e, 年度=2014, 获奖名称="市先进", 级别="市级"),
        row(e, 年度=2014, 获奖名称="省先进", 级别="省级"),
        row(e, 年度=2013, 获奖名称="旧奖", 级别="国家级"),
    ] + [row(w, 年度=2014, 获奖名称=f"国奖{i}", 级别="国家级") for i in range(4)]
    s["扣分"] = [
        row(e, 年度=2014, 事项="台账不全", 扣分="1.5", 一票否决="否"),
        row(w, 年度=2014, 事项="安全事故", 扣分=3, 一票否决="是"),
    ]
    return s


EXPECTED = {
    "street": S,
    "year": 2014,
    "scheme": "default",
    "communities": [
        {
            "community": "东社区",
            "rank": 1,
            "grade": "合格",
            # A: 15+3+6.8+10+6.67+2.5+10+7.5+5+7.78+5 = 79.25;  B: 10+0+14+5+5+3.2+5+0+20 = 62.2
            "cards": {"A": 79.25, "B": 62.2},
            "bonus": 5.0,  # 市级 2 + 省级 3 (the 2013 国家级 is another year)
            "deduction": 1.5,
            "veto": False,
            "total": 144.95,  # 79.25 + 62.2 + 5 − 1.5 → 合格 (≥120, <160)
            "indicators": {
                "A1": 15.0,  # in-use culture rooms 150 + 40 + 10 = 200 (排练室 在建) → 15
                "A2": 3.0,  # 多功能 ✓, 电子阅览 ✓, 排练 ✗ (在建), 娱乐 ✗, 共享点 ✓
                "A3": 6.8,  # 4 active (东文5 dissolved on D), 1 excellent: 6×4/5 + 4×1/2
                "A4": 10.0,  # 8 counted culture (2015 and 待审核 excluded): 15 × 8/12
                "A5": 6.67,  # 大型×3 + 中型×1 = 4: 10 × 4/6 = 6.666…
                "A6": 2.5,  # hosts one 走亲: 5 × 1/2
                "A7": 10.0,
                "A8": 7.5,  # 45 active volunteers / 2000 = 2.25% → 10 × 0.0225/0.03
                "A9": 5.0,  # 两委分管文体 3 + 文体管理员 2
                "A10": 7.78,  # counted 8 culture + 1 sports = 9, five 有 on 5 + 走亲 + 比赛 = 7: 10×7/9
                "A11": 5.0,  # 共建共享 and 免费开放
                "B1": 10.0,  # 1 + blank(=1) = 2 sets
                "B2": 0.0,  # the indoor room opens after D
                "B3": 14.0,  # 7 persons (E1 once; E8 expired on D; E9 issued after D): 20 × 3.5/5
                "B4": 5.0,  # E1 holds 一级
                "B5": 5.0,  # E1 (3 years, 一级) compliant, EM (1 year, none) not: 10 × 1/2
                "B6": 3.2,  # 1 active sports team (东体2 founded after D), 1 excellent: 6×1/5 + 4×1/2
                "B7": 5.0,  # 1 sports activity: 10 × 1/2
                "B8": 0.0,  # revoked in 2014
                "B9": 20.0,  # S = 4 ≥ T = 4
            },
        },
        {
            "community": "西社区",
            "rank": 2,
            "grade": "不合格",
            "cards": {"A": 16.87, "B": 24.0},  # 9.04 + 2.5 + 3.33 + 2;  4 + 10 + 10
            "bonus": 10.0,  # 4 × 国家级 5 = 20, capped at 10
            "deduction": 3.0,
            "veto": True,
            "total": 47.87,  # 16.87 + 24 + 10 − 3; the veto makes it 不合格 anyway
            "indicators": {
                "A1": 9.04,  # 15 × 120.5/200 = 9.0375 → half-up 9.04 (讲堂 with blank area = 0)
                "A2": 0.0,
                "A3": 0.0,
                "A4": 0.0,
                "A5": 0.0,  # its only activity is of 2013
                "A6": 2.5,  # credited as 东社区's 走亲社区
                "A7": 0.0,
                "A8": 3.33,  # P = 1000 (the 2013 row): 10 volunteers = 1% → 10 × 1/3
                "A9": 2.0,  # 文体管理员 only
                "A10": 0.0,  # no counted activity of its own
                "A11": 0.0,
                "B1": 0.0,
                "B2": 0.0,
                "B3": 4.0,  # 1 instructor per 1000 → 20 × 1/5
                "B4": 0.0,
                "B5": 10.0,  # W1: 2 years in office, holds 三级
                "B6": 0.0,
                "B7": 0.0,
                "B8": 0.0,
                "B9": 10.0,  # S = 2, no target → T = 3: one below → half
            },
        },
    ],
    "errors": [
        {"community": "北社区", "error": "北社区：没有2014年及以前的常住人口记录，无法计分。"}
    ],
}


def test_end_to_end_from_a_workbook(tmp_path):
    path = tmp_path / "台账.xlsx"
    write(path, workbook_rows())
    code, out, err = run_command("import_workbook", str(path))
    assert code == 0, err
    code, out, err = run_command("assess", "--street", S, "--year", "2014", "--json")
    assert code == 1 and "北社区" in err
    assert json.loads(out) == EXPECTED
    # importing the same workbook again changes nothing
    assert run_command("import_workbook", str(path))[0] == 0
    assert (
        json.loads(run_command("assess", "--street", S, "--year", "2014", "--json")[1]) == EXPECTED
    )
