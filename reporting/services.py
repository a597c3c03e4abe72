"""Every write to the reporting calendar and the submitted periods.

    submit   (anyone who may edit the community)   none/已退回/已解锁 → 已报送
    approve  (street admin or staff)               已报送 → 已审核   (the period is locked)
    return_  (street admin or staff, with reason)  已报送 → 已退回
    unlock   (street admin, with reason)           已审核 → 已解锁   (editable again)

Each step locks the submission row, re-reads its status and writes a PeriodEvent. Whoever
is told (the community after a return or an unlock) is told by the caller: this app sits
below the inbox's callers and knows nothing of pages.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from communities import scope
from communities.models import Community, Street

from . import rules
from .models import EventAction, PeriodEvent, PeriodSubmission, ReportingCalendar
from .models import SubmissionStatus as S

if TYPE_CHECKING:
    from communities.scope import User


def calendar_for(street: Street | int) -> ReportingCalendar:
    """The street's calendar (monthly, the 5th, by default; not stored until changed)."""
    street_id = street if isinstance(street, int) else street.pk
    found = ReportingCalendar.objects.filter(street_id=street_id).first()
    return found or ReportingCalendar(street_id=street_id)


@transaction.atomic
def calendar_update(
    *,
    user: User,
    street: Street,
    cadence: str,
    deadline_day: int,
    require_approval_to_finalise: bool,
) -> ReportingCalendar:
    if not (
        scope.can_administer(user) and scope.visible_streets(user).filter(pk=street.pk).exists()
    ):
        raise PermissionDenied("只有街道管理员可以设置报送日历。")
    if not 1 <= deadline_day <= 28:
        raise ValidationError({"deadline_day": "截止日须在1到28之间。"})
    calendar, _ = ReportingCalendar.objects.select_for_update().get_or_create(street=street)
    calendar.cadence = cadence
    calendar.deadline_day = deadline_day
    calendar.require_approval_to_finalise = require_approval_to_finalise
    calendar.full_clean()
    calendar.save()
    return calendar


def _require_reason(reason: str, action: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(f"{action}时必须填写原因。")
    return reason


def _require_status(submission: PeriodSubmission, allowed: Iterable[str], action: str) -> None:
    allowed = tuple(allowed)
    if submission.status not in allowed:
        raise ValidationError(
            f"{submission.period.label}当前状态为“{submission.get_status_display()}”，不能{action}"
            "（可能已被他人处理，请刷新页面）。"
        )


def _event(submission: PeriodSubmission, action: str, user: User, reason: str = "") -> None:
    PeriodEvent.objects.create(submission=submission, action=action, by=user, reason=reason)


@transaction.atomic
def submit(
    *,
    user: User,
    community: Community,
    period: rules.Period,
    summary: dict[str, Any] | None = None,
    now: dt.datetime | None = None,
) -> PeriodSubmission:
    """Send `community`'s records of `period` for checking, with their summary."""
    if not scope.can_edit_community(user, community):
        raise PermissionDenied("您无权报送该社区的数据。")
    now = now or timezone.now()
    if not rules.is_due(period, timezone.localtime(now).date()):
        raise ValidationError(f"{period.label}尚未结束，期满后才能报送。")
    calendar = calendar_for(community.street_id)
    existing = (
        PeriodSubmission.objects.select_for_update()
        .filter(community=community, start=period.start, end=period.end)
        .first()
    )
    if existing is None:
        submission = PeriodSubmission.objects.create(
            community=community,
            year=period.year,
            number=period.number,
            cadence=period.cadence,
            start=period.start,
            end=period.end,
            due=rules.deadline(period, calendar.deadline_day),
            status=S.SUBMITTED,
            first_submitted_at=now,
            submitted_at=now,
            submitted_by=user,
            summary=summary or {},
        )
    else:
        _require_status(existing, (S.RETURNED, S.UNLOCKED), "报送")
        submission = existing
        submission.status = S.SUBMITTED
        submission.submitted_at = now
        submission.submitted_by = user
        submission.summary = summary or {}
        submission.reason = ""
        submission.save()
    _event(submission, EventAction.SUBMIT, user)
    return submission


def _locked(submission: PeriodSubmission) -> PeriodSubmission:
    return (
        PeriodSubmission.objects.select_for_update()
        .select_related("community")
        .get(pk=submission.pk)
    )


def _require_checker(user: User, submission: PeriodSubmission, action: str) -> None:
    if not (scope.can_verify(user) and scope.can_edit_community(user, submission.community_id)):
        raise PermissionDenied(f"只有街道工作人员可以{action}本街道社区的报送。")


def _decide(submission: PeriodSubmission, user: User, status: str, reason: str = "") -> None:
    submission.status = status
    submission.decided_by = user
    submission.decided_at = timezone.now()
    submission.reason = reason
    submission.save(update_fields=["status", "decided_by", "decided_at", "reason"])


@transaction.atomic
def approve(*, user: User, submission: PeriodSubmission) -> PeriodSubmission:
    """已报送 → 已审核: the period's records are locked for the community."""
    locked = _locked(submission)
    _require_checker(user, locked, "审核")
    _require_status(locked, (S.SUBMITTED,), "审核通过")
    _decide(locked, user, S.APPROVED)
    _event(locked, EventAction.APPROVE, user)
    return locked


@transaction.atomic
def return_(*, user: User, submission: PeriodSubmission, reason: str) -> PeriodSubmission:
    """已报送 → 已退回 with the reason the community will see."""
    locked = _locked(submission)
    _require_checker(user, locked, "退回")
    reason = _require_reason(reason, "退回")
    _require_status(locked, (S.SUBMITTED,), "退回")
    _decide(locked, user, S.RETURNED, reason)
    _event(locked, EventAction.RETURN, user, reason)
    return locked


@transaction.atomic
def unlock(*, user: User, submission: PeriodSubmission, reason: str) -> PeriodSubmission:
    """已审核 → 已解锁, by a street admin with a reason; the community may edit and resubmit."""
    locked = _locked(submission)
    if not (scope.can_administer(user) and scope.can_edit_community(user, locked.community_id)):
        raise PermissionDenied("只有街道管理员可以解锁已审核的期间。")
    reason = _require_reason(reason, "解锁")
    _require_status(locked, (S.APPROVED,), "解锁")
    _decide(locked, user, S.UNLOCKED, reason)
    _event(locked, EventAction.UNLOCK, user, reason)
    return locked
