"""A second, deliberately naive implementation of assessment.md's default scheme.

It reads the workbook's rows (sheet → list of {header: value}) with no Django and no
database, so that `import_workbook` + `assess --json` can be checked against it on random
workbooks: two independent implementations that must agree to the cent.

Values in the rows are already typed: dates as datetime.date, numbers as int/Decimal,
blank as None. Only the default scheme is implemented.
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

CULTURE_ROOMS = {
    "文化活动室",
    "多功能活动室",
    "图书阅览室",
    "电子阅览室",
    "培训排练室",
    "文体娱乐室",
    "文化礼堂",
    "讲堂",
}
LEVEL = {"三级": 1, "二级": 2, "一级": 3, "国家级": 4}
AWARD = {"区级": 1, "市级": 2, "省级": 3, "国家级": 5}


def r2(x) -> Decimal:
    return Decimal(x.numerator) / Decimal(x.denominator) if isinstance(x, Fraction) else Decimal(x)


def rnd(x) -> Decimal:
    if isinstance(x, Fraction):
        # exact half-up on a rational: floor(x*100 + 1/2) / 100
        n = (x * 100 + Fraction(1, 2)).__floor__()
        return Decimal(n) / 100
    return Decimal(x).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def min1(x: Fraction) -> Fraction:
    return min(x, Fraction(1))


def F(x) -> Fraction:
    return Fraction(str(x)) if not isinstance(x, int) else Fraction(x)


def years_between(start: dt.date, end: dt.date) -> int:
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


def assess(rows: dict[str, list[dict]], street: str, year: int) -> dict:
    D = dt.date(year, 12, 31)
    Y = year

    def of(sheet):
        return [r for r in rows.get(sheet, []) if r["街道"] == street]

    names = sorted({r["社区"] for r in of("社区")})
    out, errors = [], []
    for c in names:
        pops = [
            r for r in of("社区") if r["社区"] == c and r["年度"] <= Y and r["常住人口"] is not None
        ]
        if not pops:
            errors.append(c)
            continue
        P = max(pops, key=lambda r: r["年度"])["常住人口"]

        fac = [
            r
            for r in of("设施")
            if r["社区"] == c
            and r["状态"] == "在用"
            and (r["启用日期"] is None or r["启用日期"] <= D)
        ]
        kinds = {r["设施类型"] for r in fac}
        acts = [r for r in of("活动") if r["审核状态"] == "已审核" and r["活动日期"].year == Y]
        own = [r for r in acts if r["社区"] == c]
        culture = [r for r in own if r["类别"] == "文化"]
        sports = [r for r in own if r["类别"] == "体育"]

        def teams(cat):
            active = [
                t
                for t in of("团队")
                if t["社区"] == c
                and t["类别"] == cat
                and (t["成立日期"] is None or t["成立日期"] <= D)
                and (t["解散日期"] is None or t["解散日期"] > D)
            ]
            names_ = {t["团队名称"] for t in active}
            excellent = {
                h["团队名称"]
                for h in of("团队荣誉")
                if h["社区"] == c
                and h["年度"] == Y
                and h["荣誉称号"] == "优秀团队"
                and h["团队名称"] in names_
            }
            return len(active), len(excellent)

        def brands(cat):
            return len(
                [
                    b
                    for b in of("品牌")
                    if b["社区"] == c
                    and b["类别"] == cat
                    and b["认定年度"] <= Y
                    and (b["撤销年度"] is None or b["撤销年度"] > Y)
                ]
            )

        def valid_certs(person=None, community=None):
            return [
                x
                for x in of("社会体育指导员")
                if (person is None or x["人员编号"] == person)
                and (community is None or x["社区"] == community)
                and x["发证日期"] is not None
                and x["发证日期"] <= D
                and (x["失效日期"] is None or x["失效日期"] > D)
            ]

        ind = {}
        area = sum(
            (F(r["面积(平方米)"] or 0) for r in fac if r["设施类型"] in CULTURE_ROOMS), Fraction(0)
        )
        ind["A1"] = rnd(15 * min1(area / 200))
        ind["A2"] = rnd(
            Fraction(
                sum(
                    [
                        "多功能活动室" in kinds,
                        bool(kinds & {"图书阅览室", "电子阅览室"}),
                        "培训排练室" in kinds,
                        "文体娱乐室" in kinds,
                        "共享工程服务点" in kinds,
                    ]
                )
            )
        )
        n, e = teams("文化")
        ind["A3"] = rnd(6 * min1(Fraction(n, 5)) + 4 * min1(Fraction(e, 2)))
        ind["A4"] = rnd(15 * min1(Fraction(len(culture), 12)))
        ind["A5"] = rnd(
            10 * min1(Fraction(len([r for r in culture if r["规模"] in ("大型", "中型")]), 6))
        )
        visits = [
            r
            for r in acts
            if r["文化走亲"] == "是" and (r["社区"] == c or c in (r["走亲社区"] or "").split("、"))
        ]
        ind["A6"] = rnd(5 * min1(Fraction(len(visits), 2)))
        ind["A7"] = rnd(10 * min1(Fraction(brands("示范文化品牌"), 1)))
        vols = [
            v
            for v in of("志愿者")
            if v["社区"] == c
            and v["注册日期"] is not None
            and v["注册日期"] <= D
            and (v["退出日期"] is None or v["退出日期"] > D)
        ]
        ind["A8"] = rnd(10 * min1(Fraction(len(vols), P) / Fraction(3, 100)))
        cadres = [
            k
            for k in of("文体干部")
            if k["社区"] == c
            and k["任职日期"] <= D
            and (k["离任日期"] is None or k["离任日期"] > D)
        ]
        posts = {k["职务"] for k in cadres}
        ind["A9"] = rnd(Fraction(3 * ("两委分管文体" in posts) + 2 * ("文体管理员" in posts)))
        five = [
            r for r in own if all(r[s] == "有" for s in ("计划", "安排", "资料", "影像", "总结"))
        ]
        ind["A10"] = rnd(10 * Fraction(len(five), len(own))) if own else Decimal("0.00")
        ind["A11"] = rnd(
            Fraction(
                5 if any(r["产权"] == "共建共享" and r["免费开放"] == "是" for r in fac) else 0
            )
        )

        sets = sum(r["数量(套)"] for r in fac if r["设施类型"] == "健身路径")
        ind["B1"] = rnd(Fraction(5 * min(sets, 2)))
        ind["B2"] = rnd(Fraction(10 if "室内体育活动室" in kinds else 0))
        instructors = {x["人员编号"] for x in valid_certs(community=c)}
        ind["B3"] = rnd(20 * min1(Fraction(len(instructors) * 1000, P) / 5))
        top = max((LEVEL[x["等级"]] for x in valid_certs(community=c)), default=0)
        ind["B4"] = rnd(Fraction(5 if top >= 3 else 0))
        if cadres:
            ok = 0
            for k in cadres:
                yrs = years_between(k["任职日期"], D)
                best = max((LEVEL[x["等级"]] for x in valid_certs(person=k["人员编号"])), default=0)
                need = 3 if yrs >= 3 else (1 if yrs >= 1 else 0)
                ok += best >= need
            ind["B5"] = rnd(10 * Fraction(ok, len(cadres)))
        else:
            ind["B5"] = Decimal("0.00")
        n, e = teams("体育")
        ind["B6"] = rnd(6 * min1(Fraction(n, 5)) + 4 * min1(Fraction(e, 2)))
        ind["B7"] = rnd(10 * min1(Fraction(len(sports), 2)))
        ind["B8"] = rnd(5 * min1(Fraction(brands("特色体育项目"), 1)))
        S = max((r["星级"] for r in of("星级评定") if r["社区"] == c and r["年度"] == Y), default=0)
        T = next((r["目标星级"] for r in of("星级目标") if r["社区"] == c and r["年度"] == Y), 3)
        ind["B9"] = Decimal(20 if S >= T else 10 if S == T - 1 else 0).quantize(Decimal("0.01"))

        A = sum((v for k, v in ind.items() if k.startswith("A")), Decimal(0))
        B = sum((v for k, v in ind.items() if k.startswith("B")), Decimal(0))
        bonus = min(
            sum(AWARD[a["级别"]] for a in of("获奖") if a["社区"] == c and a["年度"] == Y), 10
        )
        deds = [d for d in of("扣分") if d["社区"] == c and d["年度"] == Y]
        deduction = sum((Decimal(str(d["扣分"])) for d in deds), Decimal(0))
        veto = any(d["一票否决"] == "是" for d in deds)
        total = max(A + B + bonus - deduction, Decimal(0)).quantize(Decimal("0.01"), ROUND_HALF_UP)
        grade = (
            "不合格"
            if veto
            else "优秀"
            if total >= 180
            else "良好"
            if total >= 160
            else "合格"
            if total >= 120
            else "不合格"
        )
        out.append(
            {
                "community": c,
                "grade": grade,
                "cards": {"A": float(A), "B": float(B)},
                "bonus": float(bonus),
                "deduction": float(deduction),
                "veto": veto,
                "total": float(total),
                "indicators": {k: float(v) for k, v in ind.items()},
            }
        )
    out.sort(key=lambda r: (-r["total"], r["community"]))
    for i, r in enumerate(out):
        r["rank"] = out[i - 1]["rank"] if i and out[i - 1]["total"] == r["total"] else i + 1
    return {"street": street, "year": year, "communities": out, "errors": errors}
