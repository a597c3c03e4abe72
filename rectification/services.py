"""Writes: issue, answer, return, accept. Each validates, then writes in one transaction with
the task locked (select_for_update) and a Step kept; refusals are Chinese ValidationErrors."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from activities.models import Activity
from assessments.models import IndicatorResult
from communities import scope
from communities.models import Role
from portal.uploads import CheckedUpload

from . import notify, rules
from .models import Attachment, Rectification, Step

if TYPE_CHECKING:
    from communities.scope import User


def _ensure_checker(user: User, community_id: int) -> None:
    if not (
        scope.can_verify(user)
        and scope.is_street_user(user)
        and not scope.is_district_user(user)
        and scope.can_edit_community(user, community_id)
    ):
        raise PermissionDenied("只有街道工作人员可以下达、验收或退回整改任务。")


def issue(
    *,
    user: User,
    source: IndicatorResult,
    requirement: str,
    deadline: dt.date,
    responsible: str,
    today: dt.date,
) -> Rectification:
    community_id = source.result.community_id
    _ensure_checker(user, community_id)
    errors = {}
    if not requirement.strip():
        errors["requirement"] = "请填写整改要求。"
    if not responsible.strip():
        errors["responsible"] = "请填写责任人。"
    if deadline is None or deadline < today:
        errors["deadline"] = "整改期限不能早于今天。"
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        task = Rectification.objects.create(
            community_id=community_id,
            year=source.result.run.year,
            source=source,
            indicator=f"{source.code} {source.name}",
            requirement=requirement.strip(),
            deadline=deadline,
            responsible=responsible.strip(),
            issued_by=user,
        )
        Step.objects.create(rectification=task, action="issue", by=user, note=task.requirement)
        notify.step(task, "issue")
    return task


def _locked(task: Rectification, action: str) -> Rectification:
    locked = Rectification.objects.select_for_update().select_related("community").get(pk=task.pk)
    try:
        locked.status = rules.next_status(action, locked.status)
    except ValueError as error:
        raise ValidationError(str(error)) from None
    return locked


def answer(
    *,
    user: User,
    task: Rectification,
    note: str,
    activity_ids: Sequence[int] = (),
    files: Sequence[CheckedUpload] = (),
) -> Rectification:
    if scope.role_of(user) != Role.COMMUNITY_ADMIN or not scope.can_edit_community(
        user, task.community_id
    ):
        raise PermissionDenied("只有本社区的干部可以答复整改任务。")
    if not note.strip():
        raise ValidationError({"note": "请填写整改说明。"})
    ids = set(activity_ids)
    found = set(
        Activity.objects.filter(pk__in=ids, community_id=task.community_id).values_list(
            "pk", flat=True
        )
    )
    if ids - found:
        raise ValidationError({"activities": "只能关联本社区的活动。"})
    with transaction.atomic():
        task = _locked(task, "answer")
        task.answer = note.strip()
        task.save(update_fields=["status", "answer"])
        task.activities.add(*found)
        for f in files:
            Attachment.objects.create(
                rectification=task, file=f.file, name=f.original_name, size=f.size, uploaded_by=user
            )
        Step.objects.create(rectification=task, action="answer", by=user, note=task.answer)
        notify.step(task, "answer", task.answer)
    return task


def return_(*, user: User, task: Rectification, reason: str) -> Rectification:
    _ensure_checker(user, task.community_id)
    if not reason.strip():
        raise ValidationError({"reason": "请填写退回原因。"})
    with transaction.atomic():
        task = _locked(task, "return")
        task.save(update_fields=["status"])
        Step.objects.create(rectification=task, action="return", by=user, note=reason.strip())
        notify.step(task, "return", reason.strip())
    return task


def accept(*, user: User, task: Rectification, note: str = "") -> Rectification:
    _ensure_checker(user, task.community_id)
    with transaction.atomic():
        task = _locked(task, "accept")
        task.closed_at = timezone.now()
        task.save(update_fields=["status", "closed_at"])
        Step.objects.create(rectification=task, action="accept", by=user, note=note.strip())
        notify.step(task, "accept", note.strip())
    return task
