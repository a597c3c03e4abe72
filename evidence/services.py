"""Every write of the photo check: fingerprints, the flags they raise, explanations.

    fingerprint_file(archive_file_id)   read one photo, store its fingerprint, raise flags
    refresh_date_flags(activity)        after the activity's date changed
    flag_explain(flag=…, user=…, note=…) a verifier's note; the pair's other flag too
    run_backlog(run)                    every photo without a fingerprint (the job's work)

Hashing reads the file before any transaction opens; the fingerprint, its hashes and the
flags are then written in one transaction, so a failure leaves the photo unfingerprinted
(the backlog picks it up again), never half-compared.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from activities.models import Activity, ArchiveFile
from communities import scope

from . import hashing
from .models import (
    FingerprintRun,
    FingerprintStatus,
    FlagKind,
    PhotoFingerprint,
    PhotoFlag,
    PhotoHash,
    RunStatus,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

    User = AbstractBaseUser

logger = logging.getLogger(__name__)


def tolerance_days() -> int:
    """How many days a photo's capture date may be away from its activity's date."""
    return int(getattr(settings, "EVIDENCE_DATE_TOLERANCE_DAYS", 3))


def match_distance() -> int:
    return int(getattr(settings, "EVIDENCE_MATCH_DISTANCE", hashing.MATCH_DISTANCE))


def images() -> Q:
    return Q(content_type__startswith="image/")


# ------------------------------------------------------------------ the search


@dataclass(frozen=True)
class Match:
    fingerprint_id: int
    distance: int


def candidate_q(hashes: dict[int, int], threshold: int) -> Q:
    """Rows that may be within `threshold` of these hashes: the whole photo's hash against
    every stored hash, the crops' hashes against stored whole photos (hashing.distance)."""
    full = hashing.band_candidates([hashes[hashing.FULL]], threshold)
    crops = hashing.band_candidates([h for v, h in hashes.items() if v != hashing.FULL], threshold)
    q = Q()
    for i in range(hashing.BANDS):
        q |= Q(**{f"band{i}__in": sorted(full[i])})
    for i in range(hashing.BANDS):
        q |= Q(variant=hashing.FULL, **{f"band{i}__in": sorted(crops[i])})
    return q


def find_matches(
    street_id: int,
    hashes: dict[int, int],
    *,
    exclude_fingerprint: int | None = None,
    threshold: int | None = None,
) -> list[Match]:
    """Fingerprints of the street within `threshold` bits, found through the band index."""
    if hashing.FULL not in hashes:
        return []
    threshold = match_distance() if threshold is None else threshold
    rows = PhotoHash.objects.filter(candidate_q(hashes, threshold), street_id=street_id)
    if exclude_fingerprint is not None:
        rows = rows.exclude(fingerprint_id=exclude_fingerprint)
    best: dict[int, int] = {}
    for fp, variant, value in rows.values_list("fingerprint_id", "variant", "value"):
        stored = hashing.to_unsigned(value)
        if variant == hashing.FULL:
            d = min(hashing.hamming(h, stored) for h in hashes.values())
        else:
            d = hashing.hamming(hashes[hashing.FULL], stored)
        if d <= threshold and d < best.get(fp, threshold + 1):
            best[fp] = d
    return [Match(fp, d) for fp, d in sorted(best.items(), key=lambda kv: (kv[1], kv[0]))]


# ------------------------------------------------------------------ fingerprints


def fingerprint_file(archive_file_id: int) -> int:
    """Fingerprint one archive photo and raise its flags; the number of new flags."""
    record = (
        ArchiveFile.objects.select_related("activity__community")
        .filter(images(), pk=archive_file_id)
        .first()
    )
    if record is None:
        return 0
    try:
        with record.file.open("rb") as fh:
            print_ = hashing.fingerprint(fh)
    except (hashing.Unreadable, FileNotFoundError):
        print_ = None
    return _store(record, print_)


@transaction.atomic
def _store(record: ArchiveFile, print_: hashing.Fingerprint | None) -> int:
    if not ArchiveFile.objects.select_for_update().filter(pk=record.pk).exists():
        return 0  # deleted while it was being read
    if print_ is None:
        status, fields = FingerprintStatus.UNREADABLE, {}
    else:
        status = FingerprintStatus.PLAIN if print_.plain else FingerprintStatus.OK
        fields = {
            "width": print_.width,
            "height": print_.height,
            "taken_at": _aware(print_.taken_at),
            "camera": print_.camera,
        }
    fingerprint, _ = PhotoFingerprint.objects.update_or_create(
        archive_file=record,
        defaults={
            "status": status,
            "width": None,
            "height": None,
            "taken_at": None,
            "camera": "",
            **fields,
        },
    )
    PhotoHash.objects.filter(fingerprint=fingerprint).delete()
    if print_ is None:
        return 0
    street_id = record.activity.community.street_id
    PhotoHash.objects.bulk_create(
        [
            PhotoHash(
                fingerprint=fingerprint,
                street_id=street_id,
                variant=variant,
                value=hashing.to_signed(value),
                **{f"band{i}": b for i, b in enumerate(hashing.bands(value))},
            )
            for variant, value in print_.hashes.items()
        ]
    )
    created = _date_flag(record, fingerprint.taken_at, record.activity.date)
    matches = find_matches(street_id, print_.hashes, exclude_fingerprint=fingerprint.pk)
    others = {
        f.pk: f.archive_file
        for f in PhotoFingerprint.objects.select_related("archive_file").filter(
            pk__in=[m.fingerprint_id for m in matches]
        )
    }
    for match in matches:
        other = others[match.fingerprint_id]
        if other.activity_id != record.activity_id:
            created += _reuse_pair(record, other, match.distance)
    return created


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    # EXIF has no time zone: the camera's clock is taken as local time.
    return timezone.make_aware(value) if value is not None else None


def _reuse_pair(photo: ArchiveFile, other: ArchiveFile, distance: int) -> int:
    created = 0
    for a, b in ((photo, other), (other, photo)):
        _, new = PhotoFlag.objects.get_or_create(
            kind=FlagKind.REUSE,
            photo=a,
            other=b,
            defaults={
                "activity_id": a.activity_id,
                "other_activity_id": b.activity_id,
                "distance": distance,
            },
        )
        created += new
    return created


def _date_flag(photo: ArchiveFile, taken_at: dt.datetime | None, day: dt.date) -> int:
    local = timezone.localtime(taken_at).replace(tzinfo=None) if taken_at else None
    existing = PhotoFlag.objects.filter(kind=FlagKind.DATE, photo=photo).first()
    if hashing.date_is_off(local, day, tolerance_days()):
        off = hashing.days_off(local, day)
        if existing is None:
            PhotoFlag.objects.create(
                kind=FlagKind.DATE, photo=photo, activity_id=photo.activity_id, days_off=off
            )
            return 1
        if existing.days_off != off:
            existing.days_off = off
            existing.save(update_fields=["days_off"])
    elif existing is not None and not existing.explained:
        # The activity's date was corrected: nothing left to explain. An explained flag
        # stays, with its note, as the record of what was checked.
        existing.delete()
    return 0


@transaction.atomic
def refresh_date_flags(activity: Activity) -> int:
    """Compare the activity's photos with its (possibly new) date again."""
    created = 0
    fingerprints = PhotoFingerprint.objects.select_related("archive_file").filter(
        archive_file__activity=activity
    )
    for fingerprint in fingerprints:
        created += _date_flag(fingerprint.archive_file, fingerprint.taken_at, activity.date)
    return created


# ------------------------------------------------------------------ explaining


def can_explain(user: User, activity: Activity) -> bool:
    return scope.can_verify(user) and scope.can_edit_community(user, activity.community_id)


@transaction.atomic
def flag_explain(*, flag: PhotoFlag, user: User, note: str) -> PhotoFlag:
    """Mark a flag explained with the verifier's note (both flags of a reused pair)."""
    locked = PhotoFlag.objects.select_for_update().select_related("activity").get(pk=flag.pk)
    if not can_explain(user, locked.activity):
        raise PermissionDenied("只有街道工作人员可以说明照片疑点。")
    note = (note or "").strip()
    if not note:
        raise ValidationError("请填写说明，例如：两个社区联合举办，共用现场照片。")
    if len(note) > 500:
        raise ValidationError("说明不能超过 500 字。")
    flags = [locked]
    if locked.kind == FlagKind.REUSE:
        flags += list(
            PhotoFlag.objects.select_for_update().filter(
                kind=FlagKind.REUSE, photo_id=locked.other_id, other_id=locked.photo_id
            )
        )
    now = timezone.now()
    for f in flags:
        f.explained, f.note, f.explained_by, f.explained_at = True, note, user, now
        f.save(update_fields=["explained", "note", "explained_by", "explained_at"])
    return locked


# ------------------------------------------------------------------ the backlog


def backlog(*, redo: bool = False) -> list[int]:
    """Ids of the archive photos to fingerprint: those without one (or all with redo)."""
    photos = ArchiveFile.objects.filter(images())
    if not redo:
        photos = photos.filter(fingerprint__isnull=True)
    return list(photos.order_by("pk").values_list("pk", flat=True))


def run_backlog(
    run: FingerprintRun,
    *,
    redo: bool = False,
    progress: Callable[[FingerprintRun], None] | None = None,
) -> FingerprintRun:
    """Fingerprint the backlog one photo at a time, recording progress on the run."""
    ids = backlog(redo=redo)
    run.status, run.total, run.done, run.flagged = RunStatus.RUNNING, len(ids), 0, 0
    run.message = f"共 {len(ids)} 张照片待计算"
    run.save()
    step = max(1, len(ids) // 100)
    try:
        for n, pk in enumerate(ids, 1):
            run.flagged += fingerprint_file(pk)
            run.done = n
            if n % step == 0 or n == len(ids):
                run.message = f"已处理 {n}/{len(ids)} 张，新发现疑点 {run.flagged} 条"
                run.save(update_fields=["done", "flagged", "message"])
                if progress:
                    progress(run)
    except Exception as exc:
        logger.exception("fingerprint run %s failed", run.pk)
        run.status, run.message = RunStatus.FAILED, f"出错：{exc.__class__.__name__}"[:200]
    else:
        run.status = RunStatus.DONE
        run.message = f"完成：{run.total} 张照片，新发现疑点 {run.flagged} 条"
    run.finished_at = timezone.now()
    run.save()
    return run
