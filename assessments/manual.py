"""Manual scores (人工指标): the community's 自评, the street's 考评 and, on the district's
published scheme, the district's 考评 (which counts over the street's: scoring.counted_manual)."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from communities import scope
from communities.models import Community

from .models import Indicator, LetterGrade, ManualScore

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def _manual_target(indicator: Indicator, community: Community) -> None:
    if not indicator.is_manual:
        raise ValidationError("该指标由系统根据台账计算，不能人工评分。")
    if community.street_id != indicator.scheme.street_id:
        raise ValidationError("社区不属于该方案的街道。")


def _check_score(value: Decimal | None, points: Decimal, label: str) -> None:
    if value is None:
        raise ValidationError(f"请填写{label}。")
    if value < 0 or value > points:
        raise ValidationError(f"{label}必须在0到{points}之间。")
    if value != value.quantize(Decimal("0.01")):
        raise ValidationError(f"{label}最多保留两位小数。")


def _score_or_letter(
    indicator: Indicator, score: Decimal | None, letter: str, who: str
) -> tuple[Decimal | None, str]:
    if indicator.letter_grades:
        if letter not in LetterGrade.values:
            raise ValidationError(f"请选择{who}考评等级 A/B/C/D。")
        return None, letter
    _check_score(score, indicator.points, f"{who}考评分")
    return score, ""


def manual_self_score(
    *,
    indicator: Indicator,
    community: Community,
    user: User,
    score: Decimal | None,
    note: str = "",
    evidence: Any = None,
) -> ManualScore:
    """自评: the community (its cadre, or street staff for it) enters a score, note and file
    (`evidence` is a CheckedUpload from portal.uploads.check_upload)."""
    _manual_target(indicator, community)
    if not scope.can_edit_community(user, community):
        raise PermissionDenied("您无权为该社区自评。")
    _check_score(score, indicator.points, "自评分")
    with transaction.atomic():
        ms, _ = ManualScore.objects.select_for_update().get_or_create(
            indicator=indicator, community=community, defaults={"year": indicator.scheme.year}
        )
        ms.self_score = score
        ms.self_note = note.strip()
        if evidence is not None:
            # A CheckedUpload (portal.uploads.check_upload): its type was read from content.
            ms.evidence.save(f"evidence{evidence.extension}", evidence.file, save=False)
            ms.evidence_name = evidence.original_name[:200]
            ms.evidence_type = evidence.content_type
        ms.self_by = user
        ms.self_at = timezone.now()
        ms.save()
    return ms


def manual_assess(
    *,
    indicator: Indicator,
    community: Community,
    user: User,
    score: Decimal | None = None,
    letter: str = "",
    note: str = "",
) -> ManualScore:
    """考评: street staff enter the score that counts (a letter A–D on letter-graded items)."""
    _manual_target(indicator, community)
    if not scope.can_verify(user) or not scope.can_edit_community(user, community):
        raise PermissionDenied("只有街道工作人员可以考评。")
    score, letter = _score_or_letter(indicator, score, letter, "")
    return _write(
        indicator,
        community,
        assessor_score=score,
        letter_grade=letter,
        assessor_note=note.strip(),
        scored_by=user,
        scored_at=timezone.now(),
    )


def manual_district_assess(
    *,
    indicator: Indicator,
    community: Community,
    user: User,
    score: Decimal | None = None,
    letter: str = "",
    note: str = "",
) -> ManualScore:
    """区县考评: the district admin scores a manual item of its published scheme's copy for a
    community of its district, beside the street's 考评 (kept) and the community's 自评. The
    street's services never write these fields."""
    _manual_target(indicator, community)
    if indicator.scheme.district_scheme_id is None:
        raise ValidationError("只有区县统一方案的指标由区县考评。")
    if not scope.can_administer_district(user) or not scope.can_view_community(user, community):
        raise PermissionDenied("只有本区县的管理员可以进行区县考评。")
    score, letter = _score_or_letter(indicator, score, letter, "区县")
    return _write(
        indicator,
        community,
        district_score=score,
        district_letter=letter,
        district_note=note.strip(),
        district_by=user,
        district_at=timezone.now(),
    )


def _write(indicator: Indicator, community: Community, **fields: object) -> ManualScore:
    """One community's manual score row of an indicator, locked, created if missing, with
    the given fields set: each scorer (自评, 街道考评, 区县考评) writes only its own."""
    with transaction.atomic():
        ms, _ = ManualScore.objects.select_for_update().get_or_create(
            indicator=indicator, community=community, defaults={"year": indicator.scheme.year}
        )
        for name, value in fields.items():
            setattr(ms, name, value)
        ms.save()
    return ms
