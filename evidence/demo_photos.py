"""The demo's 影像 photos: a few reused ones and one taken on another day, so the photo
check shows on first look (called once from load_demo; idempotent).

    钱塘 last year's verified activity  scene 1 ──reused (cropped, re-saved)──▶ a pending activity
    钱塘 the year before               scene 2 ──reused (resized)───────────▶ 钱塘 last year
    the pending activity               scene 3, EXIF date 12 days before the activity
    and a clean photo with the right date in each of these activities. The pending activity is
    this year's earliest awaiting verification, 三叉's if it has one (years relative to as_of).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.files.base import ContentFile

from activities.models import Activity, ActivityStatus, ArchiveFile
from communities.models import Street

from . import scenes, services

SEED = 9100


@dataclass
class PhotoTally:
    label: str = "活动照片（照片核查演示）"
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def _pick(street: Street, community: str, year: int, status: str | None, skip: int = 0):
    rows = Activity.objects.filter(
        community__street=street, community__name__startswith=community, date__year=year
    )
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("date", "pk")[skip : skip + 1].first()


def _exif_day(day: dt.date, hour: int = 9) -> str:
    return f"{day:%Y:%m:%d} {hour:02d}:30:00"


def add_demo_photos(street: Street, as_of: dt.date) -> PhotoTally:
    tally = PhotoTally()
    this, last = as_of.year, as_of.year - 1
    verified = _pick(street, "钱塘", last, ActivityStatus.VERIFIED)
    pending = _pick(street, "三叉", this, ActivityStatus.PENDING) or _pick(
        street, "", this, ActivityStatus.PENDING
    )
    earlier = _pick(street, "钱塘", last - 1, None)
    later = _pick(street, "钱塘", last, None, skip=3)
    if not all((verified, pending, earlier, later)):
        return tally
    scene1, scene2, scene3 = (scenes.scene(SEED + n) for n in (1, 2, 3))
    plan = [
        (verified, "活动现场1.jpg", scenes.jpeg(scene1, 90, _exif(verified.date))),
        (verified, "活动现场2.jpg", scenes.photo(SEED + 4, taken_at=_exif_day(verified.date))),
        (pending, "现场照片.jpg", scenes.jpeg(scenes.reencoded(scenes.cropped(scene1), 60))),
        (pending, "合影.jpg", scenes.jpeg(scene3, 88, _exif(pending.date - dt.timedelta(12)))),
        (pending, "活动照片.jpg", scenes.photo(SEED + 5, taken_at=_exif_day(pending.date))),
        (earlier, "活动留影.jpg", scenes.jpeg(scene2, 90)),
        (later, "活动留影.jpg", scenes.jpeg(scenes.resized(scene2, 0.6), 80)),
        (later, "现场.jpg", scenes.photo(SEED + 6, taken_at=_exif_day(later.date, 15))),
    ]
    for activity, name, data in plan:
        if ArchiveFile.objects.filter(activity=activity, original_name=name).exists():
            tally.unchanged += 1
            continue
        record = ArchiveFile(
            activity=activity,
            slot="image",
            original_name=name,
            content_type="image/jpeg",
            size=len(data),
            uploaded_by=activity.created_by,
        )
        record.file.save("demo.jpg", ContentFile(data), save=True)
        if not activity.has_image:
            Activity.objects.filter(pk=activity.pk).update(has_image=True)
        # Fingerprinted now, so the flags show without a running worker.
        services.fingerprint_file(record.pk)
        tally.created += 1
    return tally


def _exif(day: dt.date):
    return scenes.exif_with_date(_exif_day(day))
