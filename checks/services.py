"""Writes of the validation rules: a street admin changes one rule's setting."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from communities import scope
from communities.models import Street

from .models import ValidationRule
from .registry import RULES, SEVERITY_LABELS

if TYPE_CHECKING:
    from communities.scope import User


def may_change(user: User, street: Street) -> bool:
    """Only a street admin of `street` (or the platform operator) changes its rules."""
    if not scope.can_administer(user):
        return False
    if user.is_superuser:
        return True
    membership = scope.membership_of(user)
    return membership is not None and membership.street_id == street.pk


@transaction.atomic
def rule_update(
    *,
    user: User,
    street: Street,
    code: str,
    enabled: bool,
    severity: str,
    low: Decimal | None = None,
    high: Decimal | None = None,
) -> ValidationRule:
    if not may_change(user, street):
        raise PermissionDenied("只有本街道的街道管理员可以设置校验规则。")
    rule = RULES.get(code)
    if rule is None:
        raise ValidationError("没有这条校验规则。")
    if severity not in SEVERITY_LABELS:
        raise ValidationError("级别只能是“错误”或“提示”。")
    if not rule.has_parameters:
        low = high = None
    elif low is not None and high is not None and low > high:
        raise ValidationError(f"{rule.low_label}不能大于{rule.high_label}。")
    row, _ = ValidationRule.objects.update_or_create(
        street=street,
        code=code,
        defaults={"enabled": enabled, "severity": severity, "low": low, "high": high},
    )
    return row
