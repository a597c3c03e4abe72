"""Writes of 文体设施 and 提升工程: each checks scope, validates and saves in one transaction."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction

from communities.scope import ensure_can_edit

from .models import Facility, UpgradeProject

if TYPE_CHECKING:
    from communities.scope import User


@transaction.atomic
def facility_save(*, facility: Facility, user: User) -> Facility:
    ensure_can_edit(user, facility.community_id)
    facility.full_clean()
    facility.save()
    return facility


def facility_delete_blockers(facility: Facility) -> list[str]:
    n = facility.activities.count()
    if n:
        return [f"已有 {n} 次活动以该设施为活动地点。不再使用的设施请把状态改为“停用”。"]
    return []


@transaction.atomic
def facility_delete(*, obj: Facility, user: User) -> None:
    ensure_can_edit(user, obj.community_id)
    blockers = facility_delete_blockers(obj)
    if blockers:
        raise ValidationError(blockers)
    obj.delete()


@transaction.atomic
def project_save(*, project: UpgradeProject, user: User) -> UpgradeProject:
    ensure_can_edit(user, project.community_id)
    project.full_clean()
    project.save()
    return project


@transaction.atomic
def project_delete(*, obj: UpgradeProject, user: User) -> None:
    ensure_can_edit(user, obj.community_id)
    obj.delete()
