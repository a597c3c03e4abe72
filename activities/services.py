"""Every write to activities and brands.

Workflow: 草稿 → 待审核 → 已审核, or 待审核 → 已退回 → 待审核 …; a street verifier may
reopen a verified activity, which sends it back to 已退回 with the reason (so the cadre
sees why, as after any return, and resubmits). Each step locks the activity row first,
re-reads its status and writes an ActivityTransition, so of two staff acting at once the
second gets a clear error instead of a silent double transition.

Content rules: a verified activity is locked for everyone (its content is what was
verified; to change it, a verifier reopens it, which leaves a log row). While 待审核, only
verifiers may touch it; in 草稿/已退回 anyone who may edit the community may.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from communities import scope, versions
from communities.models import Community, Membership, Role
from inbox import services as inbox
from inbox.models import Kind as InboxKind
from portal.uploads import CheckedUpload
from reporting import locks
from teams.models import Team

from .models import (
    Activity,
    ActivityPartner,
    ActivityStatus,
    ActivityTransition,
    ArchiveFile,
    ArchiveSlot,
    Brand,
)
from .signals import status_changed

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

    User = AbstractBaseUser

S = ActivityStatus

CONTENT_FIELDS = (
    "name",
    "date",
    "category",
    "form",
    "scale",
    "participants",
    "location",
    "brand",
    "is_exchange",
    "description",
    *(Activity.archive_field(s) for s in ArchiveSlot.values),
)

LOCKED_MESSAGE = "该活动已审核，内容已锁定，不能再修改；如确需修改，请街道工作人员重新打开。"
PENDING_MESSAGE = "该活动正在审核中，暂不能修改；如需修改，请联系街道工作人员退回。"


# ---------------------------------------------------------------------------- checks


def content_edit_error(
    user: User, activity: Activity, *, may_edit_community: bool | None = None
) -> str | None:
    """Why `user` may not change this activity's content or files now (None: they may)."""
    if may_edit_community is None:
        may_edit_community = scope.can_edit_community(user, activity.community_id)
    if not may_edit_community:
        return "您无权修改该社区的活动。"
    if activity.status == S.VERIFIED:
        return LOCKED_MESSAGE
    if activity.status == S.PENDING and not scope.can_verify(user):
        return PENDING_MESSAGE
    # A period the street approved is locked for community users (reporting.locks).
    return locks.lock_error(user, activity.community_id, activity.date)


def _require_content_editable(user: User, activity: Activity) -> None:
    error = content_edit_error(user, activity)
    if error:
        raise PermissionDenied(error)


def _require_verifier(user: User, activity: Activity, action: str) -> None:
    if not (scope.can_verify(user) and scope.can_edit_community(user, activity.community_id)):
        raise PermissionDenied(f"只有街道工作人员可以{action}本街道的活动。")


def _require_status(activity: Activity, allowed: Iterable[str], action: str) -> None:
    allowed = tuple(allowed)
    if activity.status not in allowed:
        labels = "或".join(f"“{S(s).label}”" for s in allowed)
        raise ValidationError(
            f"该活动当前状态为“{activity.get_status_display()}”，不能{action}"
            f"（只有{labels}的活动可以{action}；可能已被他人处理，请刷新页面）。"
        )


def _require_reason(reason: str, action: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(f"{action}时必须填写原因。")
    return reason


def _locked(activity: Activity) -> Activity:
    # Re-read under a row lock: the caller's copy may be stale if someone acted meanwhile.
    return Activity.objects.select_for_update().select_related("community").get(pk=activity.pk)


def _clean_relations(
    community: Community,
    fields: Mapping[str, Any],
    teams: Sequence[Team],
    partners: Sequence[Community],
    *,
    exclude_pk: int | None = None,
) -> None:
    errors: dict[str, list[str]] = {}
    location = fields.get("location")
    if location is not None and location.community_id != community.pk:
        errors.setdefault("location", []).append("活动地点必须是本社区的设施。")
    brand = fields.get("brand")
    if brand is not None and brand.community_id != community.pk:
        errors.setdefault("brand", []).append("所属品牌必须是本社区的品牌。")
    if any(t.community_id != community.pk for t in teams):
        errors.setdefault("teams", []).append("组织团队必须是本社区的团队。")
    if any(p.street_id != community.street_id or p.pk == community.pk for p in partners):
        errors.setdefault("partners", []).append("走亲社区只能是同一街道的其他社区。")
    if fields.get("is_exchange") and not partners:
        errors.setdefault("partners", []).append("文化走亲活动请至少选择一个走亲社区。")
    name, date = fields.get("name"), fields.get("date")
    if name and date:
        clash = Activity.objects.filter(community=community, name=name, date=date)
        if exclude_pk:
            clash = clash.exclude(pk=exclude_pk)
        if clash.exists():
            errors.setdefault("name", []).append("本社区同一天已有同名活动。")
    if errors:
        raise ValidationError(errors)


def _check_field_names(fields: Mapping[str, Any]) -> None:
    # Status, community and the audit fields only change through their own services.
    unknown = set(fields) - set(CONTENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown activity fields: {sorted(unknown)}")


def _set_relations(
    activity: Activity, teams: Sequence[Team], partners: Sequence[Community]
) -> None:
    activity.teams.set(teams)
    wanted = {p.pk for p in partners} if activity.is_exchange else set()
    ActivityPartner.objects.filter(activity=activity).exclude(community_id__in=wanted).delete()
    have = set(
        ActivityPartner.objects.filter(activity=activity).values_list("community_id", flat=True)
    )
    added = sorted(wanted - have)
    ActivityPartner.objects.bulk_create(
        [ActivityPartner(activity=activity, community_id=pk) for pk in added]
    )
    # bulk_create sends no signal: the new partners' streets (maybe another street) and
    # the activity's own get a new data version (the deletes above bumped theirs).
    if added:
        ids = [activity.community_id, *added]
        versions.bump(Community.objects.filter(pk__in=ids).values_list("street_id", flat=True))


# -------------------------------------------------------------------------- content


@transaction.atomic
def activity_create(
    *,
    user: User,
    community: Community,
    teams: Sequence[Team] = (),
    partners: Sequence[Community] = (),
    uploads: Mapping[str, Sequence[CheckedUpload]] | None = None,
    **fields: Any,
) -> Activity:
    """A new 草稿 activity of `community` with its files."""
    if not scope.can_edit_community(user, community):
        raise PermissionDenied("您无权为该社区录入活动。")
    _check_field_names(fields)
    locks.ensure_unlocked(user, community, fields.get("date"), field="date")
    teams, partners = list(teams), list(partners)
    _clean_relations(community, fields, teams, partners)
    activity = Activity(community=community, created_by=user, status=S.DRAFT, **fields)
    activity.save()
    _set_relations(activity, teams, partners)
    for slot, files in (uploads or {}).items():
        _attach(activity, user, slot, files)
    return activity


@transaction.atomic
def activity_update(
    *,
    activity: Activity,
    user: User,
    teams: Sequence[Team] = (),
    partners: Sequence[Community] = (),
    uploads: Mapping[str, Sequence[CheckedUpload]] | None = None,
    **fields: Any,
) -> Activity:
    """Change the content of an activity (not its community or status) and add files."""
    _check_field_names(fields)
    locked = _locked(activity)
    _require_content_editable(user, locked)
    # Moving an activity into a locked period is refused as creating one there would be.
    locks.ensure_unlocked(user, locked.community_id, fields.get("date"), field="date")
    teams, partners = list(teams), list(partners)
    _clean_relations(locked.community, fields, teams, partners, exclude_pk=locked.pk)
    for name, value in fields.items():
        setattr(locked, name, value)
    # A slot that still holds files stays marked whatever the form said.
    for slot in _slots_with_files(locked):
        setattr(locked, Activity.archive_field(slot), True)
    locked.save()
    _set_relations(locked, teams, partners)
    for slot, files in (uploads or {}).items():
        _attach(locked, user, slot, files)
    return locked


def _slots_with_files(activity: Activity) -> set[str]:
    return set(ArchiveFile.objects.filter(activity=activity).values_list("slot", flat=True))


# -------------------------------------------------------------------------- archive


def _attach(activity: Activity, user: User, slot: str, files: Sequence[CheckedUpload]) -> None:
    if slot not in ArchiveSlot.values:
        raise ValidationError(f"未知的档案类别：{slot}")
    if not files:
        return
    for upload in files:
        record = ArchiveFile(
            activity=activity,
            slot=slot,
            original_name=upload.original_name,
            content_type=upload.content_type,
            size=upload.size,
            uploaded_by=user,
        )
        # The stored name takes the extension of what the content is, not what it was
        # called; upload_to adds a random stem.
        record.file.save(f"upload{upload.extension}", File(upload.file), save=False)
        record.save()
    flag = Activity.archive_field(slot)
    if not getattr(activity, flag):
        setattr(activity, flag, True)
        activity.save(update_fields=[flag, "updated_at"])


@transaction.atomic
def archive_attach(
    *, activity: Activity, user: User, slot: str, files: Sequence[CheckedUpload]
) -> Activity:
    """Add checked files to one slot of the 五有 archive; the slot is then marked."""
    locked = _locked(activity)
    _require_content_editable(user, locked)
    _attach(locked, user, slot, files)
    return locked


@transaction.atomic
def archive_detach(*, archive_file: ArchiveFile, user: User) -> Activity:
    """Remove a file from the archive.

    When it was the last file of its slot the slot is unmarked: a mark with nothing behind
    it would earn 五有 credit for a deleted file. A paper archive is declared again by
    ticking the slot on the edit page. The stored file itself is kept (the history row
    still points at it), so a deletion can be undone by an administrator.
    """
    locked = _locked(archive_file.activity)
    _require_content_editable(user, locked)
    slot = archive_file.slot
    ArchiveFile.objects.filter(pk=archive_file.pk, activity=locked).delete()
    if not ArchiveFile.objects.filter(activity=locked, slot=slot).exists():
        flag = Activity.archive_field(slot)
        if getattr(locked, flag):
            setattr(locked, flag, False)
            locked.save(update_fields=[flag, "updated_at"])
    return locked


# ------------------------------------------------------------------------- workflow


def _tell_returned(activity: Activity, reason: str) -> None:
    """The community's cadres and whoever recorded it find the return in their inbox."""
    cadres = [
        m.user
        for m in Membership.objects.filter(
            community_id=activity.community_id, role=Role.COMMUNITY_ADMIN
        ).select_related("user")
    ]
    inbox.post(
        [*cadres, activity.created_by],
        kind=InboxKind.ACTIVITY_RETURNED,
        title=f"活动“{activity.name}”被退回，请修改后重新提交",
        body=reason,
        url=activity.get_absolute_url(),
    )


def _move(activity: Activity, user: User, to: str, reason: str = "") -> Activity:
    from_status = activity.status
    activity.status = to
    update = ["status", "return_reason", "updated_at"]
    if to == S.PENDING:
        activity.submitted_at = timezone.now()
        activity.return_reason = ""
        update.append("submitted_at")
    elif to == S.RETURNED:
        activity.return_reason = reason
        _tell_returned(activity, reason)
    else:
        activity.return_reason = ""
    activity.save(update_fields=update)
    ActivityTransition.objects.create(
        activity=activity, from_status=from_status, to_status=to, by=user, reason=reason
    )
    status_changed.send(sender=Activity, activity=activity)
    return activity


@transaction.atomic
def activity_submit(*, activity: Activity, user: User) -> Activity:
    """草稿/已退回 → 待审核, by anyone who may edit the community."""
    locked = _locked(activity)
    if not scope.can_edit_community(user, locked.community_id):
        raise PermissionDenied("您无权提交该社区的活动。")
    _require_status(locked, (S.DRAFT, S.RETURNED), "提交审核")
    return _move(locked, user, S.PENDING)


@transaction.atomic
def activity_verify(*, activity: Activity, user: User) -> Activity:
    """待审核 → 已审核, by a street verifier."""
    locked = _locked(activity)
    _require_verifier(user, locked, "审核")
    _require_status(locked, (S.PENDING,), "审核通过")
    return _move(locked, user, S.VERIFIED)


@transaction.atomic
def activity_return(*, activity: Activity, user: User, reason: str) -> Activity:
    """待审核 → 已退回 with the reason the cadre will see."""
    locked = _locked(activity)
    _require_verifier(user, locked, "退回")
    reason = _require_reason(reason, "退回")
    _require_status(locked, (S.PENDING,), "退回")
    return _move(locked, user, S.RETURNED, reason)


@transaction.atomic
def activity_reopen(*, activity: Activity, user: User, reason: str) -> Activity:
    """已审核 → 已退回: the cadre sees the reason, corrects and resubmits as after a return."""
    locked = _locked(activity)
    _require_verifier(user, locked, "重新打开")
    reason = _require_reason(reason, "重新打开")
    _require_status(locked, (S.VERIFIED,), "重新打开")
    return _move(locked, user, S.RETURNED, reason)


# ---------------------------------------------------------------- brands


BRAND_FIELDS = (
    "name",
    "category",
    "recognised_year",
    "recognised_by",
    "revoked_year",
    "description",
)


def _check_brand(community: Community, fields: Mapping[str, Any], exclude_pk: int | None) -> None:
    errors: dict[str, list[str]] = {}
    revoked, recognised = fields.get("revoked_year"), fields.get("recognised_year")
    if revoked is not None and recognised is not None and revoked < recognised:
        errors["revoked_year"] = ["撤销年度不能早于认定年度。"]
    clash = Brand.objects.filter(community=community, name=fields.get("name"))
    if exclude_pk:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        errors["name"] = ["本社区已有同名品牌。"]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def brand_create(*, user: User, community: Community, **fields: Any) -> Brand:
    if not scope.can_edit_community(user, community):
        raise PermissionDenied("您无权为该社区登记品牌。")
    _check_brand(community, fields, None)
    return Brand.objects.create(
        community=community, **{k: fields[k] for k in BRAND_FIELDS if k in fields}
    )


@transaction.atomic
def brand_update(*, brand: Brand, user: User, **fields: Any) -> Brand:
    brand = Brand.objects.select_for_update().get(pk=brand.pk)
    if not scope.can_edit_community(user, brand.community_id):
        raise PermissionDenied("您无权修改该社区的品牌。")
    _check_brand(brand.community, fields, brand.pk)
    for name in BRAND_FIELDS:
        if name in fields:
            setattr(brand, name, fields[name])
    brand.save()
    return brand
