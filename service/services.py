"""Writes of volunteer service: mark at an activity, make-up entries and their approval, the
workbook's opening balance, certificates. Each checks the user, validates, then writes in
one transaction and brings `Volunteer.service_hours` back to the counted sum."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from activities.models import Activity, ActivityStatus
from communities import scope
from communities.models import Community
from reporting import locks
from teams.models import Person, Volunteer

from . import rules, selectors
from .models import (
    COUNTED,
    Approval,
    CertificateCounter,
    EntryKind,
    ServiceCertificate,
    ServiceEntry,
    ServiceRole,
)

if TYPE_CHECKING:
    from communities.scope import User

MAX_HOURS_PER_SERVICE = Decimal(24)
OPENING_CONTENT = "工作簿导入的期初时长"


# ------------------------------------------------------------------ the maintained total


def refresh_totals(person_ids: Iterable[int]) -> None:
    """Set each volunteer's 服务时长 to the sum of their counted entries (locked rows, only
    the changed ones written)."""
    ids = set(person_ids)
    if not ids:
        return
    totals = selectors.counted_hours(ids)
    changed = []
    # .order_by(): Meta.ordering would join Person and Community, and FOR UPDATE would lock
    # their rows too.
    for v in (
        Volunteer.objects.select_for_update()
        .filter(person_id__in=ids)
        .order_by()
        .only("pk", "person_id", "service_hours")
    ):
        total = totals.get(v.person_id, Decimal(0))
        if v.service_hours != total:
            v.service_hours = total
            changed.append(v)
    Volunteer.objects.bulk_update(changed, ["service_hours"], batch_size=1000)


def on_activity_status_changed(sender: Any, activity: Activity, **kwargs: Any) -> None:
    """Verified, returned or reopened: the activity's entries change sides, totals follow."""
    refresh_totals(activity.service_entries.values_list("person_id", flat=True))


# ------------------------------------------------------------------ service at an activity


@dataclass(frozen=True)
class Mark:
    person_id: int
    role: str
    hours: Decimal


def mark_error(activity: Activity) -> str | None:
    if activity.status == ActivityStatus.VERIFIED:
        return "活动已审核，服务记录已锁定；如需更正，请街道重新打开该活动。"
    return None


@transaction.atomic
def mark_service(*, activity: Activity, user: User, marks: Sequence[Mark]) -> list[ServiceEntry]:
    """Replace the activity's service entries with `marks` (the whole list as ticked)."""
    activity = Activity.objects.select_for_update().get(pk=activity.pk)
    if not scope.can_edit_community(user, activity.community_id):
        raise PermissionDenied("您无权登记该社区活动的志愿服务。")
    if error := mark_error(activity):
        raise ValidationError(error)
    # An approved (locked) month stays as the street approved it (reporting/locks.py).
    if lock := locks.lock_error(user, activity.community_id, activity.date):
        raise ValidationError(lock)
    roster = {r.person.pk: r for r in selectors.roster(activity)}
    errors = []
    seen: set[int] = set()
    for m in marks:
        row = roster.get(m.person_id)
        if row is None or m.person_id in seen:
            errors.append("所选人员不在本活动可登记的志愿者、指导员名单中。")
        elif not (Decimal(0) < m.hours <= MAX_HOURS_PER_SERVICE):
            errors.append(f"{row.person.name}：服务时长须大于 0 且不超过 24 小时。")
        elif m.role not in ServiceRole.values:
            errors.append(f"{row.person.name}：请选择角色。")
        seen.add(m.person_id)
    if errors:
        raise ValidationError(errors)
    old = set(activity.service_entries.values_list("person_id", flat=True))
    activity.service_entries.exclude(person_id__in=seen).delete()
    entries = []
    for m in marks:
        fields = {
            "kind": EntryKind.ACTIVITY,
            "community": roster[m.person_id].community,
            "date": activity.date,
            "role": m.role,
            "hours": m.hours,
            "content": activity.name[:200],
        }
        entry, _ = ServiceEntry.objects.update_or_create(
            activity=activity,
            person_id=m.person_id,
            defaults=fields,
            create_defaults={**fields, "created_by": user if user.is_authenticated else None},
        )
        entries.append(entry)
    refresh_totals(old | seen)
    return entries


# ------------------------------------------------------------------ make-up entries (补录)


@transaction.atomic
def makeup_add(
    *,
    user: User,
    person: Person,
    community: Community,
    date: dt.date,
    hours: Decimal,
    content: str,
    reason: str,
    today: dt.date | None = None,
) -> ServiceEntry:
    """A service typed without an activity: needs a reason, fits the yearly cap, waits for
    the street's approval before it counts."""
    scope.ensure_can_edit(user, community)
    Person.objects.select_for_update().get(pk=person.pk)  # two make-ups cannot pass the cap
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    if not reason.strip():
        errors["reason"] = "补录须填写原因（如：活动时未登记、系统上线前的服务）。"
    if not content.strip():
        errors["content"] = "请填写服务内容。"
    if date > today:
        errors["date"] = "服务日期不能晚于今天。"
    elif lock := locks.lock_error(user, community, date):
        errors["date"] = lock
    if not (Decimal(0) < hours <= MAX_HOURS_PER_SERVICE):
        errors["hours"] = "服务时长须大于 0 且不超过 24 小时。"
    elif refusal := rules.makeup_refusal(
        selectors.makeup_used(person.pk, date.year), hours, settings.SERVICE_MAKEUP_CAP_HOURS
    ):
        errors["hours"] = refusal
    if errors:
        raise ValidationError(errors)
    return ServiceEntry.objects.create(
        person=person,
        community=community,
        kind=EntryKind.MAKEUP,
        date=date,
        hours=hours,
        content=content.strip()[:200],
        reason=reason.strip()[:200],
        approval=Approval.PENDING,
        created_by=user,
    )


def can_approve(user: User, entry: ServiceEntry) -> bool:
    return scope.can_verify(user) and scope.can_edit_community(user, entry.community_id)


@transaction.atomic
def makeup_decide(
    *, entry: ServiceEntry, user: User, approve: bool, reason: str = ""
) -> ServiceEntry:
    entry = ServiceEntry.objects.select_for_update().get(pk=entry.pk)
    if not can_approve(user, entry):
        raise PermissionDenied("只有街道工作人员可以审批补录。")
    if entry.kind != EntryKind.MAKEUP or entry.approval != Approval.PENDING:
        raise ValidationError("该记录不是待审批的补录。")
    if not approve and not reason.strip():
        raise ValidationError({"reason": "不批准须填写原因。"})
    entry.approval = Approval.APPROVED if approve else Approval.REFUSED
    entry.refusal_reason = "" if approve else reason.strip()[:200]
    entry.decided_by = user
    entry.decided_at = timezone.now()
    entry.save(update_fields=["approval", "refusal_reason", "decided_by", "decided_at"])
    refresh_totals([entry.person_id])
    return entry


@transaction.atomic
def makeup_withdraw(*, entry: ServiceEntry, user: User) -> None:
    """The community takes back a make-up still waiting for approval."""
    scope.ensure_can_edit(user, entry.community_id)
    if entry.kind != EntryKind.MAKEUP or entry.approval != Approval.PENDING:
        raise ValidationError("只能撤回待审批的补录。")
    locks.ensure_unlocked(user, entry.community_id, entry.date)
    entry.delete()


# ------------------------------------------------------------------ the workbook's 服务时长


@transaction.atomic
def sync_declared_totals(
    declared: dict[int, Decimal],
    today: dt.date | None = None,
    also_refresh: Iterable[int] = (),
) -> None:
    """After a workbook import: the 服务时长 column is each volunteer's total. What the
    entries do not explain becomes (or stays) the labelled opening balance, so exporting
    and importing again changes nothing. A total below the entries cannot remove entries:
    the opening balance goes and the total stays the entries' sum.
    A few queries for the whole sheet; only changed opening balances are written.
    `also_refresh`: more persons whose totals are brought back to their entries in the same
    pass (an import's other volunteers), rather than a second pass over mostly the same."""
    today = today or timezone.localdate()
    volunteers = list(
        Volunteer.objects.filter(pk__in=list(declared))
        .order_by()
        .values_list("pk", "person_id", "community_id", "registered_on")
    )
    people = [v[1] for v in volunteers]
    # .order_by(): without it Meta.ordering joins Person, which PostgreSQL ran as a nested
    # loop over every entry × person for the demo's 1,700 volunteers (minutes).
    entries = ServiceEntry.objects.filter(person_id__in=people).order_by()
    others = dict(
        entries.filter(COUNTED)
        .exclude(kind=EntryKind.OPENING)
        .values("person_id")
        .annotate(s=Sum("hours"))
        .values_list("person_id", "s")
    )
    openings = dict(entries.filter(kind=EntryKind.OPENING).values_list("person_id", "hours"))
    stale, new = [], []
    for pk, person_id, community_id, registered_on in volunteers:
        opening = declared[pk] - others.get(person_id, Decimal(0))
        if opening == openings.get(person_id) or (opening <= 0 and person_id not in openings):
            continue
        if person_id in openings:
            stale.append(person_id)
        if opening > 0:
            new.append(
                ServiceEntry(
                    person_id=person_id,
                    community_id=community_id,
                    kind=EntryKind.OPENING,
                    date=registered_on or today,
                    hours=opening,
                    content=OPENING_CONTENT,
                )
            )
    ServiceEntry.objects.filter(person_id__in=stale, kind=EntryKind.OPENING).delete()
    ServiceEntry.objects.bulk_create(new, batch_size=1000)
    refresh_totals([*people, *also_refresh])


# ------------------------------------------------------------------ certificates


def can_issue(user: User, community_id: int) -> bool:
    return scope.can_edit_community(user, community_id)


def next_number(street_id: int, year: int) -> str:
    """Take the next certificate number of a street and year (inside a transaction: the
    counter row is locked until it ends, so two issuers never get the same number)."""
    CertificateCounter.objects.get_or_create(street_id=street_id, year=year)
    counter = CertificateCounter.objects.select_for_update().get(street_id=street_id, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return rules.certificate_number(street_id, year, counter.last)


@transaction.atomic
def issue_certificate(
    *, user: User, volunteer: Volunteer, start: dt.date, end: dt.date, today: dt.date | None = None
) -> ServiceCertificate:
    today = today or timezone.localdate()
    if not can_issue(user, volunteer.community_id):
        raise PermissionDenied("您无权为该社区的志愿者开具证明。")
    if start > end:
        raise ValidationError({"start": "起始日期不能晚于截止日期。"})
    if end > today:
        raise ValidationError({"end": "截止日期不能晚于今天。"})
    entries = selectors.certified_entries(volunteer.person_id, start, end)
    if not entries:
        raise ValidationError("该期间没有已认证的服务记录，不能开具证明。")
    street_id = volunteer.community.street_id
    return ServiceCertificate.objects.create(
        number=next_number(street_id, today.year),
        street_id=street_id,
        community_id=volunteer.community_id,
        person_id=volunteer.person_id,
        period_start=start,
        period_end=end,
        total_hours=sum((e.hours for e in entries), Decimal(0)),
        services=[
            [
                e.date.isoformat(),
                e.activity.name if e.activity_id else f"补录：{e.content}",
                str(e.hours),
            ]
            for e in entries
        ],
        issued_on=today,
        issued_by=user,
    )


@transaction.atomic
def issue_certificates(
    *,
    user: User,
    volunteers: Sequence[Volunteer],
    start: dt.date,
    end: dt.date,
    today: dt.date | None = None,
) -> tuple[list[ServiceCertificate], list[str]]:
    """One certificate each, all in one transaction; volunteers without verified service in
    the period are skipped and named. Nothing is issued if no one has any."""
    issued, skipped = [], []
    for v in volunteers:
        try:
            issued.append(
                issue_certificate(user=user, volunteer=v, start=start, end=end, today=today)
            )
        except ValidationError as error:
            if "没有已认证" not in " ".join(error.messages):
                raise
            skipped.append(v.person.name)
    if not issued:
        raise ValidationError("所选志愿者在该期间都没有已认证的服务记录，没有开具证明。")
    return issued, skipped
