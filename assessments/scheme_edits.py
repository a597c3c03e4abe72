"""Scheme edits by the street admin: copy to a year, indicators, grade bands, settings.

Each edit checks the user, validates, then writes in one transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max

from communities import scope
from communities.models import Street

from . import default_scheme, metrics, rules
from .models import BonusLevel, Card, GradeBand, Indicator, Scheme
from .runs import check_street_user

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def _check_admin(user: User, street: Street) -> None:
    if user is None or not scope.can_administer(user):
        raise PermissionDenied("只有街道管理员可以修改考核方案。")
    check_street_user(user, street, True, "修改该街道的考核方案")


DISTRICT_SCHEME_FROZEN = (
    "这是区县统一发布的考核方案，街道不能修改；街道可在本街道自己的方案中调整。"
)


def _check_edit(user: User, scheme: Scheme) -> None:
    """A street admin of the scheme's street, and not the street's copy of its district's
    published scheme (frozen: the district decides it)."""
    _check_admin(user, scheme.street)
    if scheme.district_scheme_id is not None:
        raise ValidationError(DISTRICT_SCHEME_FROZEN)


def scheme_copy(*, scheme: Scheme, year: int, user: User) -> Scheme:
    """复制到年度: the scheme for another year of the same street."""
    _check_admin(user, scheme.street)
    if default_scheme.own_scheme(scheme.street, year) is not None:
        raise ValidationError(f"{scheme.street}已有{year}年的考核方案。")
    return default_scheme.copy_scheme(scheme, year)


def _validate_indicator(indicator: Indicator) -> None:
    if indicator.points is None or indicator.points <= 0:
        raise ValidationError("分值必须大于0。")
    if indicator.is_manual:
        return
    if indicator.metric not in metrics.METRICS:
        raise ValidationError(f"统计口径“{indicator.metric}”不存在。")
    errors = rules.check_params(indicator.rule, indicator.params, indicator.points)
    if errors:
        raise ValidationError(errors)


def indicator_update(
    *, indicator: Indicator, user: User, name: str, points: Decimal, params: dict[str, Any]
) -> Indicator:
    """Change an indicator's name, points and rule parameters."""
    _check_edit(user, indicator.scheme)
    indicator.name = name.strip() or indicator.name
    indicator.points = points
    indicator.params = params
    _validate_indicator(indicator)
    with transaction.atomic():
        indicator.save()
    return indicator


def manual_indicator_add(
    *,
    scheme: Scheme,
    user: User,
    card: Card,
    code: str,
    name: str,
    points: Decimal,
    letter_grades: bool,
) -> Indicator:
    """A qualitative indicator scored by people (自评 + 考评)."""
    _check_edit(user, scheme)
    code = code.strip().upper()
    if not code or not name.strip():
        raise ValidationError("请填写指标代码和名称。")
    if card.scheme_id != scheme.pk:
        raise ValidationError("记分卡不属于该方案。")
    if scheme.indicators.filter(code=code).exists():
        raise ValidationError(f"指标代码 {code} 已存在。")
    order = (scheme.indicators.aggregate(m=Max("order"))["m"] or 0) + 1
    indicator = Indicator(
        scheme=scheme,
        card=card,
        code=code,
        name=name.strip(),
        points=points,
        metric="",
        rule=rules.LETTER_RULE if letter_grades else rules.MANUAL_RULE,
        params={"letters": dict(rules.DEFAULT_LETTERS)} if letter_grades else {},
        order=order,
        is_manual=True,
        letter_grades=letter_grades,
    )
    _validate_indicator(indicator)
    with transaction.atomic():
        indicator.save()
    return indicator


def indicator_delete(*, indicator: Indicator, user: User) -> None:
    """Drop an indicator; refused when manual scores were entered for it (nothing is lost)."""
    _check_edit(user, indicator.scheme)
    if indicator.manual_scores.exists():
        raise ValidationError("该指标已有人工评分记录，不能删除。")
    with transaction.atomic():
        indicator.delete()


def grade_bands_update(*, scheme: Scheme, user: User, bands: list[tuple[str, Decimal]]) -> None:
    """Replace the grade bands (name, min_total); one band must start at 0."""
    _check_edit(user, scheme)
    names = [n.strip() for n, _ in bands]
    if not bands or any(not n for n in names):
        raise ValidationError("请填写等次名称。")
    if len(set(names)) != len(names) or len({m for _, m in bands}) != len(bands):
        raise ValidationError("等次名称和最低总分不能重复。")
    if min(m for _, m in bands) != 0:
        raise ValidationError("最低的等次须从0分起（总分最低为0）。")
    with transaction.atomic():
        scheme.grade_bands.all().delete()
        GradeBand.objects.bulk_create(
            GradeBand(scheme=scheme, name=n, min_total=m, order=k)
            for k, (n, m) in enumerate(
                sorted(zip(names, (m for _, m in bands), strict=True), key=lambda b: -b[1]), start=1
            )
        )
        scheme.save(update_fields=["updated_at"])


def scheme_settings_update(
    *,
    scheme: Scheme,
    user: User,
    bonus_cap: Decimal,
    bonus_levels: Mapping[str, Decimal],
    cadre_basic_years: int,
    cadre_basic_level: str,
    cadre_senior_years: int,
    cadre_senior_level: str,
) -> Scheme:
    """The scheme-wide parameters: bonus per 获奖 level and its cap, B5's deadlines."""
    _check_edit(user, scheme)
    if bonus_cap < 0 or any(p < 0 for p in bonus_levels.values()):
        raise ValidationError("加分不能为负数。")
    if cadre_senior_years < cadre_basic_years:
        raise ValidationError("期限二的年数不能小于期限一。")
    with transaction.atomic():
        scheme.bonus_cap = bonus_cap
        scheme.cadre_basic_years = cadre_basic_years
        scheme.cadre_basic_level = cadre_basic_level
        scheme.cadre_senior_years = cadre_senior_years
        scheme.cadre_senior_level = cadre_senior_level
        scheme.save()
        for level, points in bonus_levels.items():
            BonusLevel.objects.update_or_create(
                scheme=scheme, level=level, defaults={"points": points}
            )
    return scheme


def scheme_ensure(*, street: Street, year: int, user: User) -> Scheme:
    """建立年度方案: the street's own scheme for the year (copied from the latest, or the
    default); in a year its district published a scheme, an extra one for itself."""
    _check_admin(user, street)
    return default_scheme.ensure_own_scheme(street, year)
