"""Random but valid standard workbooks, dense in the spec's boundaries.

Dates cluster around 31 Dec / 1 Jan and anniversaries, certificates expire on the as-of
date or just after it, teams dissolve on it, population rows come from other years, people
hold two certificates, facilities are 在建 or open after the as-of date …
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from openpyxl import Workbook

HEADERS = {
    "社区": ["街道", "社区", "年度", "常住人口", "户数", "社区类型"],
    "设施": [
        "街道",
        "社区",
        "设施名称",
        "设施类型",
        "面积(平方米)",
        "数量(套)",
        "状态",
        "启用日期",
        "产权",
        "共建单位",
        "免费开放",
    ],
    "提升工程": ["街道", "社区", "项目名称", "计划年度", "状态", "完成日期", "投资(万元)"],
    "团队": [
        "街道",
        "社区",
        "团队名称",
        "类别",
        "项目",
        "负责人",
        "联系电话",
        "成立日期",
        "解散日期",
    ],
    "团队荣誉": ["街道", "社区", "团队名称", "年度", "荣誉称号", "评定单位"],
    "团队成员": [
        "街道",
        "社区",
        "团队名称",
        "人员编号",
        "姓名",
        "性别",
        "出生年份",
        "联系电话",
        "加入日期",
    ],
    "志愿者": [
        "街道",
        "社区",
        "人员编号",
        "姓名",
        "性别",
        "联系电话",
        "注册日期",
        "退出日期",
        "服务时长(小时)",
    ],
    "社会体育指导员": [
        "街道",
        "社区",
        "人员编号",
        "姓名",
        "性别",
        "等级",
        "证书编号",
        "发证日期",
        "失效日期",
        "指导项目",
    ],
    "文体干部": ["街道", "社区", "人员编号", "姓名", "职务", "任职日期", "离任日期"],
    "活动": [
        "街道",
        "社区",
        "活动名称",
        "活动日期",
        "类别",
        "形式",
        "规模",
        "文化走亲",
        "走亲社区",
        "参与人数",
        "审核状态",
        "计划",
        "安排",
        "资料",
        "影像",
        "总结",
        "所属品牌",
    ],
    "品牌": ["街道", "社区", "品牌名称", "类别", "认定年度", "认定单位", "撤销年度"],
    "星级评定": ["街道", "社区", "年度", "星级", "评定单位"],
    "星级目标": ["街道", "社区", "年度", "目标星级"],
    "获奖": ["街道", "社区", "年度", "获奖名称", "级别"],
    "扣分": ["街道", "社区", "年度", "事项", "扣分", "一票否决"],
}

FACILITY_KINDS = [
    "文化活动室",
    "多功能活动室",
    "图书阅览室",
    "电子阅览室",
    "培训排练室",
    "文体娱乐室",
    "共享工程服务点",
    "文化礼堂",
    "讲堂",
    "文化长廊",
    "室内体育活动室",
    "健身路径",
    "室外运动场地",
    "其他",
]
Y = 2014
D = dt.date(Y, 12, 31)


def near(rng: random.Random, pivot: dt.date, spread_days: int = 3) -> dt.date:
    """A date on or around a boundary, or anywhere in a few years."""
    if rng.random() < 0.5:
        return pivot + dt.timedelta(days=rng.randint(-spread_days, spread_days))
    return dt.date(2011, 1, 1) + dt.timedelta(days=rng.randint(0, 365 * 5))


def maybe(rng, p, value):
    return value if rng.random() < p else None


def generate(seed: int) -> dict[str, list[dict]]:
    rng = random.Random(seed)
    rows: dict[str, list[dict]] = {k: [] for k in HEADERS}
    streets = {f"随机{seed}街道": [f"R{seed}社区{i}" for i in range(rng.randint(2, 5))]}
    if rng.random() < 0.4:
        streets[f"随机{seed}乙街道"] = [f"R{seed}乙社区{i}" for i in range(2)]
    pid = 0
    for street, communities in streets.items():
        persons: list[tuple[str, str]] = []

        def person():
            nonlocal pid
            if persons and rng.random() < 0.3:
                return rng.choice(persons)
            pid += 1
            p = (f"S{seed}-{pid:04d}", f"人{pid}")
            persons.append(p)
            return p

        for c in communities:
            base = {"街道": street, "社区": c}
            years = rng.sample([2012, 2013, 2014, 2015], rng.randint(1, 3))
            if c.endswith("0") and 2013 not in years and 2014 not in years:
                years.append(2013)  # keep most communities scorable
            for yr in years:
                rows["社区"].append(
                    {
                        **base,
                        "年度": yr,
                        "常住人口": maybe(rng, 0.93, rng.randint(150, 9000)),
                        "户数": maybe(rng, 0.7, rng.randint(50, 3000)),
                        "社区类型": rng.choice([None, "普通", "回迁", "部分回迁"]),
                    }
                )
            for i in range(rng.randint(0, 9)):
                kind = rng.choice(FACILITY_KINDS)
                shared = rng.random() < 0.3
                rows["设施"].append(
                    {
                        **base,
                        "设施名称": f"{c}设施{i}",
                        "设施类型": kind,
                        "面积(平方米)": maybe(
                            rng,
                            0.85,
                            Decimal(
                                rng.choice([0, 50, 66.67, 100, 150, 199.99, 200, 250])
                            ).quantize(Decimal("0.01")),
                        ),
                        "数量(套)": maybe(rng, 0.6, rng.randint(0, 3)),
                        "状态": rng.choice(["在用", "在用", "在用", "在建", "停用"]),
                        "启用日期": maybe(rng, 0.7, near(rng, D)),
                        "产权": rng.choice([None, "自有", "共建共享"])
                        if not shared
                        else "共建共享",
                        "共建单位": "某中学" if shared else None,
                        "免费开放": rng.choice([None, "是", "否"]),
                    }
                )
            if rng.random() < 0.6:
                _add_rich(rows, rng, base, c, person, others=[o for o in communities if o != c])
            for i in range(rng.randint(0, 2)):
                rows["提升工程"].append(
                    {
                        **base,
                        "项目名称": f"{c}工程{i}",
                        "计划年度": rng.choice([2013, 2014]),
                        "状态": rng.choice(["计划", "在建", "完成"]),
                        "完成日期": None,
                        "投资(万元)": maybe(rng, 0.5, 12),
                    }
                )
            brand_names = []
            for i in range(rng.randint(0, 3)):
                ry = rng.choice([2012, 2013, 2014, 2015])
                rows["品牌"].append(
                    {
                        **base,
                        "品牌名称": f"{c}品牌{i}",
                        "类别": rng.choice(["示范文化品牌", "特色体育项目"]),
                        "认定年度": ry,
                        "认定单位": None,
                        "撤销年度": maybe(
                            rng, 0.3, rng.choice([ry, ry + 1, 2014, 2015]) if ry <= 2014 else ry
                        ),
                    }
                )
                brand_names.append(f"{c}品牌{i}")
            for i in range(rng.randint(0, 12)):
                founded = maybe(rng, 0.8, near(rng, D))
                dissolved = maybe(rng, 0.25, near(rng, D))
                if founded and dissolved and dissolved < founded:
                    founded, dissolved = dissolved, founded
                name = f"{c}团队{i}"
                rows["团队"].append(
                    {
                        **base,
                        "团队名称": name,
                        "类别": rng.choice(["文化", "体育"]),
                        "项目": None,
                        "负责人": None,
                        "联系电话": None,
                        "成立日期": founded,
                        "解散日期": dissolved,
                    }
                )
                for yr in rng.sample([2013, 2014, 2015], rng.randint(0, 2)):
                    rows["团队荣誉"].append(
                        {
                            **base,
                            "团队名称": name,
                            "年度": yr,
                            "荣誉称号": rng.choice(["优秀团队", "优秀团队", "先进团队"]),
                            "评定单位": None,
                        }
                    )
                for _ in range(rng.randint(0, 3)):
                    code, pname = person()
                    if any(
                        m["团队名称"] == name and m["人员编号"] == code for m in rows["团队成员"]
                    ):
                        continue
                    rows["团队成员"].append(
                        {
                            **base,
                            "团队名称": name,
                            "人员编号": code,
                            "姓名": pname,
                            "性别": None,
                            "出生年份": None,
                            "联系电话": None,
                            "加入日期": None,
                        }
                    )
            for _ in range(rng.randint(0, 40)):
                code, pname = person()
                if any(v["人员编号"] == code and v["街道"] == street for v in rows["志愿者"]):
                    continue
                reg = maybe(rng, 0.9, near(rng, D))
                left = maybe(rng, 0.2, near(rng, D))
                if reg and left and left < reg:
                    reg, left = left, reg
                rows["志愿者"].append(
                    {
                        **base,
                        "人员编号": code,
                        "姓名": pname,
                        "性别": "男",
                        "联系电话": None,
                        "注册日期": reg,
                        "退出日期": left,
                        "服务时长(小时)": rng.randint(0, 50),
                    }
                )
            for _ in range(rng.randint(0, 30)):
                code, pname = person()
                issued = maybe(rng, 0.95, near(rng, D))
                expires = maybe(rng, 0.4, near(rng, D))
                if issued and expires and expires < issued:
                    issued, expires = expires, issued
                rows["社会体育指导员"].append(
                    {
                        **base,
                        "人员编号": code,
                        "姓名": pname,
                        "性别": None,
                        "等级": rng.choice(["三级", "三级", "二级", "一级", "国家级"]),
                        "证书编号": f"Z{seed}-{len(rows['社会体育指导员']):05d}",
                        "发证日期": issued,
                        "失效日期": expires,
                        "指导项目": None,
                    }
                )
            for _ in range(rng.randint(0, 3)):
                code, pname = person()
                anniversary = rng.choice(
                    [
                        dt.date(2013, 12, 31),
                        dt.date(2014, 1, 1),
                        dt.date(2011, 12, 31),
                        dt.date(2012, 1, 1),
                        near(rng, D, 400),
                    ]
                )
                appointed = min(anniversary, D + dt.timedelta(days=3))
                left = maybe(rng, 0.2, near(rng, D))
                if left and left < appointed:
                    left = appointed
                post = rng.choice(["两委分管文体", "文体管理员"])
                if any(
                    k["人员编号"] == code
                    and k["职务"] == post
                    and k["任职日期"] == appointed
                    and k["社区"] == c
                    for k in rows["文体干部"]
                ):
                    continue
                rows["文体干部"].append(
                    {
                        **base,
                        "人员编号": code,
                        "姓名": pname,
                        "职务": post,
                        "任职日期": appointed,
                        "离任日期": left,
                    }
                )
            others = [o for o in communities if o != c]
            for i in range(rng.randint(0, 25)):
                exchange = rng.random() < 0.25
                partners = (
                    "、".join(rng.sample(others, rng.randint(0, min(2, len(others)))))
                    if exchange and others
                    else ""
                )
                partners = partners or None
                rows["活动"].append(
                    {
                        **base,
                        "活动名称": f"{c}活动{i}",
                        "活动日期": near(
                            rng, dt.date(Y, 12, 31) if rng.random() < 0.5 else dt.date(Y, 1, 1)
                        ),
                        "类别": rng.choice(["文化", "文化", "体育"]),
                        "形式": "演出",
                        "规模": rng.choice([None, "大型", "中型", "小型"]),
                        "文化走亲": "是" if exchange else rng.choice([None, "否"]),
                        "走亲社区": partners,
                        "参与人数": maybe(rng, 0.8, rng.randint(10, 500)),
                        "审核状态": rng.choice(
                            [None, "已审核", "已审核", "已审核", "待审核", "已退回"]
                        ),
                        **{
                            s: rng.choice([None, "有", "有", "有", "无"])
                            for s in ("计划", "安排", "资料", "影像", "总结")
                        },
                        "所属品牌": rng.choice(brand_names)
                        if brand_names and rng.random() < 0.3
                        else None,
                    }
                )
            for yr in rng.sample([2013, 2014, 2015], rng.randint(0, 2)):
                for s in rng.sample([1, 2, 3, 4, 5], rng.randint(1, 2)):
                    if not any(
                        r["社区"] == c and r["年度"] == yr and r["星级"] == s
                        for r in rows["星级评定"]
                    ):
                        rows["星级评定"].append({**base, "年度": yr, "星级": s, "评定单位": None})
            for yr in rng.sample([2013, 2014], rng.randint(0, 2)):
                rows["星级目标"].append({**base, "年度": yr, "目标星级": rng.randint(2, 5)})
            for i in range(rng.randint(0, 5)):
                rows["获奖"].append(
                    {
                        **base,
                        "年度": rng.choice([2013, 2014, 2014]),
                        "获奖名称": f"奖{i}",
                        "级别": rng.choice(["区级", "市级", "省级", "国家级"]),
                    }
                )
            for i in range(rng.randint(0, 2)):
                rows["扣分"].append(
                    {
                        **base,
                        "年度": rng.choice([2013, 2014]),
                        "事项": f"事项{i}",
                        "扣分": rng.choice(
                            [Decimal("0.5"), Decimal(1), Decimal(2), Decimal("30"), Decimal("120")]
                        ),
                        "一票否决": rng.choice([None, None, None, "否", "是"]),
                    }
                )
    # Normalise the blank defaults the oracle relies on (workbook.md "Allowed values").
    for r in rows["设施"]:
        if r["数量(套)"] is None:
            r["数量(套)"] = 1 if r["设施类型"] == "健身路径" else 0
    return rows


def _add_rich(rows, rng, base, c, person, others) -> None:
    """A well-run community near full points, so that every grade band is reached."""
    for kind in (
        "文化活动室",
        "多功能活动室",
        "图书阅览室",
        "培训排练室",
        "文体娱乐室",
        "共享工程服务点",
        "室内体育活动室",
    ):
        rows["设施"].append(
            {
                **base,
                "设施名称": f"{c}{kind}",
                "设施类型": kind,
                "面积(平方米)": Decimal(rng.choice([40, 60, 80])),
                "数量(套)": None,
                "状态": "在用",
                "启用日期": dt.date(2012, 5, 1),
                "产权": "共建共享" if kind == "室内体育活动室" else "自有",
                "共建单位": None,
                "免费开放": "是",
            }
        )
    rows["设施"].append(
        {
            **base,
            "设施名称": f"{c}健身路径",
            "设施类型": "健身路径",
            "面积(平方米)": None,
            "数量(套)": rng.choice([None, 1, 2, 3]),
            "状态": "在用",
            "启用日期": None,
            "产权": None,
            "共建单位": None,
            "免费开放": None,
        }
    )
    for cat in ("文化", "体育"):
        for i in range(rng.randint(3, 6)):
            name = f"{c}{cat}队{i}"
            rows["团队"].append(
                {
                    **base,
                    "团队名称": name,
                    "类别": cat,
                    "项目": None,
                    "负责人": None,
                    "联系电话": None,
                    "成立日期": dt.date(2012, 1, 1),
                    "解散日期": None,
                }
            )
            if i < rng.randint(0, 3):
                rows["团队荣誉"].append(
                    {**base, "团队名称": name, "年度": Y, "荣誉称号": "优秀团队", "评定单位": None}
                )
    for i in range(rng.randint(8, 18)):
        cat = "文化" if i % 4 else "体育"
        rows["活动"].append(
            {
                **base,
                "活动名称": f"{c}常规活动{i}",
                "活动日期": dt.date(Y, 1 + i % 12, 10),
                "类别": cat,
                "形式": "比赛",
                "规模": rng.choice(["大型", "中型", "小型"]),
                "文化走亲": "是" if i < 2 and others else "否",
                "走亲社区": others[0] if i < 2 and others else None,
                "参与人数": 100,
                "审核状态": "已审核",
                **{
                    s: ("有" if rng.random() < 0.9 else "无")
                    for s in ("计划", "安排", "资料", "影像", "总结")
                },
                "所属品牌": None,
            }
        )
    for i in range(rng.randint(5, 30)):
        code, pname = person()
        if any(x["人员编号"] == code and x["社区"] == c for x in rows["社会体育指导员"]):
            continue
        rows["社会体育指导员"].append(
            {
                **base,
                "人员编号": code,
                "姓名": pname,
                "性别": None,
                "等级": "一级" if i == 0 else "三级",
                "证书编号": f"RZ-{c}-{i}",
                "发证日期": dt.date(2013, 3, 1),
                "失效日期": None,
                "指导项目": None,
            }
        )
    rows["品牌"].append(
        {
            **base,
            "品牌名称": f"{c}示范品牌",
            "类别": "示范文化品牌",
            "认定年度": 2013,
            "认定单位": None,
            "撤销年度": None,
        }
    )
    stars = rng.choice([3, 4])
    if not any(r["社区"] == c and r["年度"] == Y and r["星级"] == stars for r in rows["星级评定"]):
        rows["星级评定"].append({**base, "年度": Y, "星级": stars, "评定单位": "市体育局"})


def oracle_view(rows: dict[str, list[dict]]) -> dict[str, list[dict]]:
    """The rows as the oracle reads them: blanks replaced by the workbook's defaults."""
    out = {k: [dict(r) for r in v] for k, v in rows.items()}
    for r in out["活动"]:
        r["审核状态"] = r["审核状态"] or "待审核"
        for s in ("计划", "安排", "资料", "影像", "总结"):
            r[s] = r[s] or "无"
        r["文化走亲"] = r["文化走亲"] or "否"
    for r in out["扣分"]:
        r["一票否决"] = r["一票否决"] or "否"
    for r in out["设施"]:
        r["产权"] = r["产权"] or "自有"
        r["免费开放"] = r["免费开放"] or "否"
    return out


def write_xlsx(rows: dict[str, list[dict]], path, seed: int = 0) -> None:
    """Write the rows; dates alternate between date cells and YYYY-MM-DD text."""
    rng = random.Random(seed)
    wb = Workbook()
    wb.remove(wb.active)
    for sheet, headers in HEADERS.items():
        ws = wb.create_sheet(sheet)
        ws.append(headers)
        for r in rows[sheet]:
            values = []
            for h in headers:
                v = r.get(h)
                if isinstance(v, dt.date) and rng.random() < 0.5:
                    v = v.isoformat()
                elif isinstance(v, Decimal):
                    v = float(v) if rng.random() < 0.5 else str(v)
                values.append(v)
            ws.append(values)
            for cell in ws[ws.max_row]:
                if isinstance(cell.value, dt.date):
                    cell.number_format = "yyyy-mm-dd"
    wb.save(path)
