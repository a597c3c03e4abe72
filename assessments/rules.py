"""双百分考核 rules: counted values and scheme parameters → points.

Pure functions with no Django import, so that they can be tested without a database and
property-tested with hypothesis. Arithmetic is exact (fractions.Fraction); each indicator is
rounded once, half-up to 2 decimals, and everything after that (cards, total) adds rounded
Decimals (assessment.md, "Definitions").

One module of ~500 lines on purpose: every rule of the scheme side by side, with the
registry (RULES) that checks their parameters, reads best as one page.

Plan references are to seed 000 (社区文体工作计划), sections 四 (主要任务) and 五 (保障措施).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any, TypeVar

Number = int | str | Decimal | Fraction | float
K = TypeVar("K")

CENT = Decimal("0.01")
ZERO = Fraction(0)
ONE = Fraction(1)
NO_POINTS = Decimal("0.00")  # to_points(0)


class RuleError(ValueError):
    """A parameter that makes a rule meaningless (a target of 0, a negative weight…)."""


def exact(x: Number) -> Fraction:
    """An exact rational; floats (e.g. from JSON params) mean their shortest decimal form."""
    kind = type(x)
    # The common exact types first, without isinstance: Fraction's ABC checks are slow and
    # a city's assessment converts a few hundred thousand numbers.
    if kind is Fraction:
        return x
    if kind is int:
        return _from_int(x)
    if kind is Decimal:
        return _from_decimal(x)
    if kind is str:
        return _from_text(x.strip())
    if isinstance(x, Fraction):
        return x
    if isinstance(x, bool):
        return Fraction(int(x))
    if isinstance(x, int):
        return Fraction(x)
    if isinstance(x, float):
        return _from_text(repr(x))
    if isinstance(x, str):
        return _from_text(x.strip())
    return _from_decimal(x)


# A city's assessment reads the same parameter texts and values many thousands of times;
# Fractions are immutable, so their parsed forms are shared.
@functools.lru_cache(maxsize=4096)
def _from_text(text: str) -> Fraction:
    try:
        return Fraction(text)
    except ValueError:
        raise RuleError(f"不是有效的数字：{text!r}") from None


@functools.lru_cache(maxsize=4096)
def _from_decimal(x: Decimal) -> Fraction:
    return Fraction(x)


@functools.lru_cache(maxsize=4096)
def _from_int(x: int) -> Fraction:
    return Fraction(x)


def to_points(x: Number) -> Decimal:
    """Round half-up (away from zero) to 2 decimals, exactly: 0.005 → 0.01, 2.345 → 2.35."""
    # A Fraction (a rule's exact result) is rounded directly: hashing it for a cache costs
    # more than the rounding; the texts and Decimals a scheme repeats are shared.
    if type(x) is Fraction:
        return _fraction_points(x)
    return _points(x)


# A street's dashboard rounds the same few hundred values thousands of times (points, maxima,
# targets); equal numbers round alike and Decimals are immutable, so the results are shared.
@functools.lru_cache(maxsize=8192, typed=True)
def _points(x: Number) -> Decimal:
    return _fraction_points(exact(x))


def _fraction_points(value: Fraction) -> Decimal:
    return _cents(value.numerator, value.denominator)


def _cents(numerator: int, denominator: int) -> Decimal:
    """to_points(numerator / denominator), denominator > 0, the fraction not yet reduced."""
    # In integers: cents = round-half-up(|value| × 100), without Fraction arithmetic.
    cents, rest = divmod(abs(numerator) * 100, denominator)
    if rest * 2 >= denominator:
        cents += 1
    result = Decimal(cents).scaleb(-2).quantize(CENT, rounding=ROUND_HALF_UP)
    return -result if numerator < 0 else result


def min1(x: Fraction) -> Fraction:
    """min1(x) = min(x, 1) (assessment.md)."""
    return min(x, ONE)


# The sign of a Fraction is its numerator's (its denominator is positive): compared as an
# int, not through Fraction's comparison, as every rule checks its parameters each time.
def _positive(name: str, x: Number) -> Fraction:
    value = exact(x)
    if value.numerator <= 0:
        raise RuleError(f"参数“{name}”必须大于0")
    return value


def _not_negative(name: str, x: Number) -> Fraction:
    value = exact(x)
    if value.numerator < 0:
        raise RuleError(f"参数“{name}”不能为负数")
    return value


# --- the arithmetic of the plan's targets ---------------------------------------------------


def proportional(value: Number, target: Number, points: Number) -> Decimal:
    """points × min1(value / target).

    The plan's "at least N" targets, scored pro rata up to the target: 文化活动室200平方米以上
    (四(一)1, A1), 文化活动12次、大中型6次、"文化走亲"2次 (四(三)3, A4–A6), 1-2个示范文化品牌
    (四(三)2, A7), 社区每年开展2-5个单项体育比赛 and 至少拥有一个特色项目 (四(三)3, B7–B8).
    """
    v = _not_negative("数值", value)
    pts, t = exact(points), _positive("目标值", target)  # in the order they were always read
    # In integers, as per_capita: share = v / target.
    share_num, share_den = v.numerator * t.denominator, v.denominator * t.numerator
    if share_num >= share_den:
        return to_points(pts)
    return _cents(pts.numerator * share_num, pts.denominator * share_den)


def per_capita_share(count: Number, population: int, per: Number, target: Number) -> Fraction:
    """(count / P × per) / target, not yet capped."""
    if population is None or population <= 0:
        raise RuleError("常住人口缺失，无法计分")
    return exact(count) / population * _positive("每多少人", per) / _positive("目标值", target)


def per_capita(
    count: Number, population: int, per: Number, target: Number, points: Number
) -> Decimal:
    """points × min1((count / P × per) / target).

    志愿者人数占社区常住人口3%以上 (四(二)2, A8: per 1, target 0.03) and 每千人拥有各级社会体育
    指导员5名以上 (四(二)3, B3: per 1000, target 5).
    """
    pts = exact(points)  # read first, as it always was
    if population is None or population <= 0:
        raise RuleError("常住人口缺失，无法计分")
    c, p = exact(count), _positive("每多少人", per)
    t = _positive("目标值", target)
    # points × min1(c × per / (P × target)) in integers: every community has its own P, so
    # this is the one rule a city scores thousands of times (per_capita_share, unrounded).
    people = exact(population)
    share_num = c.numerator * p.numerator * t.denominator * people.denominator
    share_den = c.denominator * people.numerator * p.denominator * t.numerator
    if share_num >= share_den:
        return to_points(pts)
    return _cents(pts.numerator * share_num, pts.denominator * share_den)


def capped_multiple(value: Number, each: Number, cap: Number) -> Decimal:
    """each × min(value, cap): 各社区至少建设2套健身路径 (四(一)2, B1: 5 × min(sets, 2))."""
    v = _not_negative("数值", value)
    return to_points(_not_negative("每项分值", each) * min(v, _not_negative("上限", cap)))


def per_item(present: Sequence[bool], item_points: Sequence[Number]) -> Decimal:
    """The sum of the points of the items present.

    功能室配置: 多功能活动室、图书阅览室(公共电子阅览室)、培训排练室、文体娱乐室、共享工程
    基层服务点 (四(一)1, A2); 文体骨干配置: 两委班子成员分管文体, 至少配备1名文体管理员
    (四(二)1, A9).
    """
    if len(present) != len(item_points):
        raise RuleError("分项数目与分值数目不一致")
    return to_points(
        sum(
            (
                _not_negative("分项分值", p)
                for ok, p in zip(present, item_points, strict=True)
                if ok
            ),
            ZERO,
        )
    )


def presence(value: Number, points: Number, minimum: Number = 1) -> Decimal:
    """Full points when at least `minimum` is there, else 0.

    室内体育活动室 (四(一)2, B2), 其中至少1名为一级 (四(二)3, B4), 设施共建共享、免费开放
    (四(一)3, A11).
    """
    return to_points(exact(points) if exact(value) >= _positive("最少数量", minimum) else ZERO)


def two_part(
    count: Number,
    target: Number,
    weight: Number,
    excellent: Number,
    excellent_target: Number,
    excellent_weight: Number,
) -> Decimal:
    """weight × min1(count / target) + excellent_weight × min1(excellent / excellent_target).

    每个社区拥有文化团队5支以上，体育团队5支以上，其中优秀文体团队各2支以上 (四(二)4, A3/B6:
    6 × min1(teams/5) + 4 × min1(excellent/2)), rounded once as the indicator.
    """
    first = _not_negative("团队分值", weight) * min1(exact(count) / _positive("团队目标", target))
    second = _not_negative("优秀团队分值", excellent_weight) * min1(
        exact(excellent) / _positive("优秀团队目标", excellent_target)
    )
    return to_points(first + second)


def ratio_of_counts(part: Number, whole: Number, points: Number) -> Decimal:
    """points × part / whole; 0 when whole is 0 (nothing to be a share of).

    活动台账"五有" (四(三)4 高质量制作创建台账; 五.5 考评机制, A10) and 文体干部持证 (四(二)3
    上任一年内取得三级…三年内取得一级, B5).
    """
    w = exact(whole)
    if w == 0:
        return to_points(ZERO)
    p = _not_negative("数值", part)
    if p > w:
        raise RuleError("分子不能大于分母")
    return to_points(exact(points) * p / w)


def star(
    stars: int, target: int | None, points: Number, default_target: int, one_below_share: Number
) -> Decimal:
    """S ≥ T → full; S = T − 1 → points × one_below_share (half: 10 of 20); else 0.

    争创市星级社区 (四(三)4, B9). T falls back to `default_target` (3) when the plan sets none.
    """
    t = default_target if target is None else target
    share = exact(one_below_share)
    if not 0 <= share <= 1:
        raise RuleError("差一星得分比例必须在0到1之间")
    if stars >= t:
        return to_points(exact(points))
    if stars == t - 1:
        return to_points(exact(points) * share)
    return to_points(ZERO)


DEFAULT_LETTERS: dict[str, str] = {"A": "100", "B": "66", "C": "33", "D": "0"}


def letter_grade(
    letter: str, points: Number, percents: Mapping[str, Number] | None = None
) -> Decimal:
    """A/B/C/D = 100% / 66% / 33% / 0% of the points (manual indicators; 五.5 对社区文体干部
    进行定期考核)."""
    table = percents or DEFAULT_LETTERS
    if letter not in table:
        raise RuleError(f"等级只能是{'/'.join(table)}")
    return to_points(exact(points) * exact(table[letter]) / 100)


def manual(score: Number, points: Number) -> Decimal:
    """An assessor's 考评分, which must lie within [0, points] (五.5 完善双百分考核机制)."""
    s = exact(score)
    if not 0 <= s <= exact(points):
        raise RuleError(f"考评分必须在0到{to_points(points)}之间")
    return to_points(s)


# --- adjustments, total, grade, rank (五.5 完善双百分考核机制) ----------------------------------


def _in_cents(values: Sequence[Number]) -> int | None:
    """The exact sum of Decimals of at most 2 decimals (points, the adjustments, the cards),
    in integer cents; None when one is anything else (then the Fraction path decides)."""
    cents = 0
    for value in values:
        if type(value) is not Decimal or not value.is_finite():
            return None
        numerator, denominator = value.as_integer_ratio()
        if 100 % denominator:
            return None
        cents += numerator * (100 // denominator)
    return cents


def bonus(level_points: Iterable[Number], cap: Number) -> Decimal:
    """The sum of the 获奖 points of the year, capped (10 by default)."""
    level_points = list(level_points)
    got, limit = _in_cents(level_points), _in_cents([cap])
    if got is not None and limit is not None:
        _not_negative("加分上限", cap)
        return _cents(min(got, limit), 100)
    return to_points(
        min(sum((exact(p) for p in level_points), ZERO), _not_negative("加分上限", cap))
    )


def deduction(points: Iterable[Number]) -> Decimal:
    """The sum of the 扣分 rows of the year; no cap."""
    points = list(points)
    got = _in_cents(points)
    if got is not None:
        return _cents(got, 100)
    return to_points(sum((exact(p) for p in points), ZERO))


def total(cards: Iterable[Decimal], bonus_points: Decimal, deduction_points: Decimal) -> Decimal:
    """A + B + bonus − deduction, floored at 0."""
    cards = list(cards)
    plus, minus = _in_cents([*cards, bonus_points]), _in_cents([deduction_points])
    if plus is not None and minus is not None:  # in cents, exactly (a community's hot path)
        return _cents(max(plus - minus, 0), 100)
    raw = sum((exact(c) for c in cards), ZERO) + exact(bonus_points) - exact(deduction_points)
    return to_points(max(raw, ZERO))


def grade(total_points: Number, bands: Sequence[tuple[str, Number]], veto: bool) -> str:
    """The band with the highest threshold the total reaches; a veto gives the lowest band.

    Bands are (name, min_total), e.g. 优秀 180, 良好 160, 合格 120, 不合格 0.
    """
    if not bands:
        raise RuleError("方案没有等次")
    value_of = _comparable(total_points, bands)
    ordered = sorted(bands, key=lambda b: value_of(b[1]), reverse=True)
    if veto:
        return ordered[-1][0]
    t = value_of(total_points)
    for name, minimum in ordered:
        if t >= value_of(minimum):
            return name
    return ordered[-1][0]


def _same(x: Number) -> Number:
    return x


def _comparable(
    total_points: Number, bands: Sequence[tuple[str, Number]]
) -> Callable[[Number], Number]:
    """How to compare a total with the bands exactly: Decimals (a total and a scheme's
    thresholds) as they are, anything else as Fractions."""
    if type(total_points) is Decimal and all(type(m) is Decimal for _, m in bands):
        return _same
    return exact


def next_band(
    total_points: Number, bands: Sequence[tuple[str, Number]]
) -> tuple[str, Decimal] | None:
    """The next band above the total and how many points are missing, or None at the top."""
    value_of = _comparable(total_points, bands)
    t = value_of(total_points)
    above = [(n, value_of(m)) for n, m in bands if value_of(m) > t]
    if not above:
        return None
    name, minimum = min(above, key=lambda b: b[1])
    return name, to_points(exact(minimum) - exact(t))  # exact whatever the decimal context


def competition_rank(totals: Mapping[K, Number]) -> dict[K, int]:
    """Rank by total, descending; equal totals share a rank and the next rank skips (1, 2, 2, 4)."""
    # Decimals (the totals) compare exactly as they are; anything else as a Fraction.
    same = all(type(v) is Decimal for v in totals.values())
    value_of: Callable[[Number], Number] = _same if same else exact
    ordered = sorted(totals.items(), key=lambda kv: value_of(kv[1]), reverse=True)
    ranks: dict[K, int] = {}
    previous: Number | None = None
    rank = 0
    for position, (key, value) in enumerate(ordered, start=1):
        v = value_of(value)
        if previous is None or v != previous:
            rank = position
            previous = v
        ranks[key] = rank
    return ranks


# --- B5: cadre certificate deadlines (四(二)3) -------------------------------------------------


def whole_years(start: dt.date, end: dt.date) -> int:
    """Whole years from start to end; the anniversary itself counts as reached."""
    return end.year - start.year - ((end.month, end.day) < (start.month, start.day))


def cadre_required_rank(
    appointed_on: dt.date,
    as_of: dt.date,
    basic_years: int,
    basic_rank: int,
    senior_years: int,
    senior_rank: int,
) -> int:
    """The certificate level (as a rank, 0 = none) a cadre must hold at as_of.

    社区文体分管领导、文体管理员必须在上任一年内取得三级社会体育指导员证书，三年内取得一级
    (四(二)3): in office ≥ senior_years → senior_rank; ≥ basic_years → basic_rank; else none.
    """
    years = whole_years(appointed_on, as_of)
    if years >= senior_years:
        return senior_rank
    if years >= basic_years:
        return basic_rank
    return 0


# --- the registry a scheme's indicators name -------------------------------------------------


@dataclass(frozen=True)
class Inputs:
    """What a metric counted for one community, plus its population."""

    value: Fraction
    parts: Mapping[str, Any] = field(default_factory=dict)
    population: int | None = None


@dataclass(frozen=True)
class Param:
    name: str
    label: str
    kind: str = "number"  # number | integer | share


@dataclass(frozen=True)
class Rule:
    key: str
    label: str
    params: tuple[Param, ...]
    apply: Callable[[Inputs, Mapping[str, Any], Fraction], Decimal]
    target: Callable[[Inputs, Mapping[str, Any]], Fraction | None]
    # The points the rule can reach with these params, when it fixes them itself; a scheme
    # is only valid when this equals the indicator's points.
    reachable: Callable[[Mapping[str, Any]], Fraction] | None = None


def _items_points(params: Mapping[str, Any]) -> list[Fraction]:
    return [exact(item.get("points", 0)) for item in params.get("items", [])]


RULES: dict[str, Rule] = {
    r.key: r
    for r in (
        Rule(
            "proportional",
            "按比例（达到目标值得满分）",
            (Param("target", "目标值"),),
            lambda i, p, pts: proportional(i.value, p["target"], pts),
            lambda i, p: exact(p["target"]),
        ),
        Rule(
            "per_capita",
            "按常住人口比例",
            (Param("target", "目标值"), Param("per", "每多少人", "integer")),
            lambda i, p, pts: per_capita(i.value, i.population, p["per"], p["target"], pts),
            lambda i, p: exact(i.population) * exact(p["target"]) / exact(p["per"]),
        ),
        Rule(
            "capped_multiple",
            "每项计分，设上限",
            (Param("each", "每项分值"), Param("cap", "上限", "integer")),
            lambda i, p, pts: capped_multiple(i.value, p["each"], p["cap"]),
            lambda i, p: exact(p["cap"]),
            lambda p: exact(p["each"]) * exact(p["cap"]),
        ),
        Rule(
            "per_item",
            "分项计分",
            (),
            lambda i, p, pts: per_item(
                i.parts.get("present") or [False] * len(p.get("items", [])), _items_points(p)
            ),
            lambda i, p: Fraction(len(p.get("items", []))),
            lambda p: sum(_items_points(p), ZERO),
        ),
        Rule(
            "presence",
            "具备即得满分",
            (Param("minimum", "最少数量", "integer"),),
            lambda i, p, pts: presence(i.value, pts, p.get("minimum", 1)),
            lambda i, p: exact(p.get("minimum", 1)),
        ),
        Rule(
            "two_part",
            "数量与优秀数量两部分",
            (
                Param("target", "数量目标", "integer"),
                Param("weight", "数量分值"),
                Param("excellent_target", "优秀数量目标", "integer"),
                Param("excellent_weight", "优秀分值"),
            ),
            lambda i, p, pts: two_part(
                i.value,
                p["target"],
                p["weight"],
                i.parts.get("excellent", 0),
                p["excellent_target"],
                p["excellent_weight"],
            ),
            lambda i, p: exact(p["target"]),
            lambda p: exact(p["weight"]) + exact(p["excellent_weight"]),
        ),
        Rule(
            "ratio",
            "达标数占比（无记录得0分）",
            (),
            lambda i, p, pts: ratio_of_counts(i.value, i.parts.get("total", 0), pts),
            lambda i, p: exact(i.parts.get("total", 0)),
        ),
        Rule(
            "star",
            "星级达标",
            (
                Param("default_target", "未设目标时的目标星级", "integer"),
                Param("one_below_share", "差一星得分比例", "share"),
            ),
            lambda i, p, pts: star(
                int(i.value),
                i.parts.get("target"),
                pts,
                int(p["default_target"]),
                p["one_below_share"],
            ),
            lambda i, p: exact(
                i.parts["target"] if i.parts.get("target") is not None else p["default_target"]
            ),
        ),
    )
}

# Manual indicators are scored by people, not by a metric; their rule keys are fixed.
MANUAL_RULE = "manual"
LETTER_RULE = "letter"


def score(rule_key: str, inputs: Inputs, params: Mapping[str, Any], points: Number) -> Decimal:
    """Apply a registered rule; the result always lies within [0, points]."""
    rule = RULES.get(rule_key)
    if rule is None:
        raise RuleError(f"未知的计分规则：{rule_key}")
    pts = exact(points)
    result = rule.apply(inputs, params, pts)
    # Guard against a scheme whose parameters reach beyond the indicator's points.
    return min(max(result, NO_POINTS), to_points(pts))


def check_params(rule_key: str, params: Mapping[str, Any], points: Number) -> list[str]:
    """Chinese messages for parameters that do not fit the rule or the indicator's points."""
    rule = RULES.get(rule_key)
    if rule is None:
        return [f"未知的计分规则：{rule_key}"]
    errors: list[str] = []
    for param in rule.params:
        if param.name not in params:
            if param.name == "minimum":
                continue
            errors.append(f"缺少参数“{param.label}”")
            continue
        try:
            value = exact(params[param.name])
        except (RuleError, TypeError, ValueError):
            errors.append(f"参数“{param.label}”不是有效的数字")
            continue
        if param.kind == "share" and not 0 <= value <= 1:
            errors.append(f"参数“{param.label}”必须在0到1之间")
        elif param.kind == "integer" and (value.denominator != 1 or value <= 0):
            errors.append(f"参数“{param.label}”必须是正整数")
        elif param.kind == "number" and value < 0:
            errors.append(f"参数“{param.label}”不能为负数")
        elif param.name in ("target", "per", "excellent_target") and value <= 0:
            errors.append(f"参数“{param.label}”必须大于0")
    if not errors and rule.reachable is not None:
        try:
            reachable = rule.reachable(params)
        except (RuleError, TypeError, ValueError, KeyError):
            return [*errors, "分项分值无效"]
        if reachable != exact(points):
            errors.append(
                f"各分项分值合计（{to_points(reachable)}）必须等于指标分值（{to_points(points)}）"
            )
    return errors
