"""Writes of personal-data protection: revealing one phone number, anonymising a person.

Each is logged in the security log (security_log.services.record) with the record's kind
and id and the stated reason, never the name or the number. Both run inside the caller's
transaction: the log entry and the change stand or fall together.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest

from security_log.models import Event, Result
from security_log.services import record as log
from teams.models import Person, Team

from . import rules, selectors
from .models import Anonymisation


def log_refused(event: str, *, user: Any, request: HttpRequest, obj: Any) -> None:
    log(
        event,
        user=user,
        request=request,
        result=Result.REFUSED,
        record=selectors.describe(obj),
        id=obj.pk,
    )


def reveal_phone(*, obj: Person | Team, user: Any, request: HttpRequest, reason: str) -> str:
    """The full number of one person or team contact, after the reason is logged."""
    allowed = (
        selectors.revealable_persons(user)
        if isinstance(obj, Person)
        else selectors.revealable_teams(user)
    )
    if not allowed.filter(pk=obj.pk).exists():
        raise PermissionDenied("您的角色不能查看完整联系电话。")
    reason = rules.clean_reason(reason)
    log(
        Event.REVEAL,
        user=user,
        request=request,
        record=selectors.describe(obj),
        id=obj.pk,
        field="phone",
        reason=reason,
    )
    return obj.phone


@transaction.atomic
def anonymise_person(
    *, person: Person, user: Any, request: HttpRequest | None, reason: str, today: dt.date
) -> None:
    """PIPL art. 47: replace the name and phone of a person who has left, in the record and
    in its history. The person's row, code and ties stay, so every count of past and
    finalised assessments (which store ids and figures, never names) is unchanged."""
    if not selectors.anonymisable_persons(user).filter(pk=person.pk).exists():
        raise PermissionDenied("只有街道管理员可以匿名化人员信息。")
    reason = rules.clean_reason(reason)
    person = Person.objects.select_for_update().get(pk=person.pk)
    if selectors.is_anonymised(person):
        raise ValidationError("该人员已匿名化。")
    if selectors.person_left_on(person, today) is None:
        raise ValidationError(
            "该人员仍是团队成员、在册志愿者、持有效证书的指导员或在任干部，"
            "不能匿名化；请先办理退出（填写退出或离任日期）。"
        )
    person.name = rules.ANONYMOUS_NAME
    person.phone = ""
    person._change_reason = "个人信息匿名化"
    person.save(update_fields=["name", "phone"])
    # The record history kept every earlier name and number: those go too.
    Person.history.filter(id=person.pk).update(name=rules.ANONYMOUS_NAME, phone="")
    Anonymisation.objects.create(person=person, done_by=user)
    log(
        Event.ANONYMISE,
        user=user,
        request=request,
        record=selectors.describe(person),
        id=person.pk,
        reason=reason,
    )


FULL_EXPORT = "标准数据工作簿（含完整联系电话）"


def full_phone_export(*, user: Any, request: HttpRequest, reason: str, **details: Any) -> str:
    """Allow (and log) an export with unmasked phone numbers: only the roles that may reveal,
    only with a reason. A refusal is logged too. Returns the cleaned reason."""
    if not selectors.may_reveal(user):
        log(
            Event.EXPORT,
            user=user,
            request=request,
            result=Result.REFUSED,
            list=FULL_EXPORT,
            full_phones=True,
        )
        raise PermissionDenied("您的角色不能导出完整联系电话。")
    reason = rules.clean_reason(reason)
    log(
        Event.EXPORT,
        user=user,
        request=request,
        list=FULL_EXPORT,
        full_phones=True,
        reason=reason,
        **details,
    )
    return reason
