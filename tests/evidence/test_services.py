import datetime as dt
import random

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django_tasks import task_backends

from activities import services as activity_services
from activities.models import ActivityStatus
from evidence import hashing, scenes, services
from evidence.models import (
    FingerprintRun,
    FingerprintStatus,
    FlagKind,
    PhotoFingerprint,
    PhotoFlag,
    PhotoHash,
    RunStatus,
)
from evidence.tasks import fingerprint_backlog_task, fingerprint_photo_task, start_backlog

from .conftest import activity, upload_photo

pytestmark = pytest.mark.django_db


def test_a_reused_photo_flags_both_activities(reused):
    a1, a2, first, second = reused
    flags = PhotoFlag.objects.filter(kind=FlagKind.REUSE).order_by("activity__date")
    assert [(f.activity, f.photo, f.other, f.other_activity) for f in flags] == [
        (a1, first, second, a2),
        (a2, second, first, a1),
    ]
    assert all(f.distance <= hashing.MATCH_DISTANCE for f in flags)


def test_different_scenes_give_no_flag(cast):
    a1 = activity(cast.a1, "甲一活动")
    a2 = activity(cast.a2, "甲二活动")
    for seed in range(4):
        upload_photo(
            a1 if seed % 2 else a2,
            cast.cadre_a1 if seed % 2 else cast.cadre_a2,
            scenes.photo(100 + seed),
        )
    assert PhotoFingerprint.objects.filter(status=FingerprintStatus.OK).count() == 4
    assert not PhotoFlag.objects.exists()


def test_the_same_photo_twice_in_one_activity_is_not_a_reuse(cast):
    a1 = activity(cast.a1, "甲一活动")
    upload_photo(a1, cast.cadre_a1, scenes.photo(5))
    upload_photo(a1, cast.cadre_a1, scenes.photo(5))
    assert not PhotoFlag.objects.exists()


def test_photos_of_another_street_are_never_compared(cast):
    upload_photo(activity(cast.a1, "甲一活动"), cast.cadre_a1, scenes.photo(9))
    upload_photo(activity(cast.b1, "乙一活动"), cast.cadre_b1, scenes.photo(9))
    assert not PhotoFlag.objects.exists()
    upload_photo(activity(cast.a2, "甲二活动"), cast.cadre_a2, scenes.photo(9))
    assert PhotoFlag.objects.count() == 2


def test_exif_date_ten_days_off_is_flagged_a_missing_one_is_not(cast):
    a = activity(cast.a1, "甲一活动", dt.date(2014, 5, 1))
    off = upload_photo(a, cast.cadre_a1, scenes.photo(1, taken_at="2014:05:11 10:00:00"))
    near = upload_photo(a, cast.cadre_a1, scenes.photo(2, taken_at="2014:05:03 10:00:00"))
    bare = upload_photo(a, cast.cadre_a1, scenes.photo(3))
    flags = PhotoFlag.objects.filter(kind=FlagKind.DATE)
    assert [(f.photo, f.days_off) for f in flags] == [(off, 10)]
    assert near.fingerprint.taken_at is not None
    assert bare.fingerprint.taken_at is None
    assert bare.fingerprint.status == FingerprintStatus.OK


def test_correcting_the_activity_date_clears_an_unexplained_date_flag(cast):
    a = activity(cast.a1, "甲一活动", dt.date(2014, 5, 1))
    upload_photo(a, cast.cadre_a1, scenes.photo(1, taken_at="2014:05:11 10:00:00"))
    assert PhotoFlag.objects.filter(kind=FlagKind.DATE).exists()
    activity_services.activity_update(
        activity=a, user=cast.cadre_a1, name=a.name, date=dt.date(2014, 5, 11), category="文化"
    )
    assert not PhotoFlag.objects.filter(kind=FlagKind.DATE).exists()
    activity_services.activity_update(
        activity=a, user=cast.cadre_a1, name=a.name, date=dt.date(2014, 6, 11), category="文化"
    )
    assert PhotoFlag.objects.get(kind=FlagKind.DATE).days_off == -31


def test_explaining_marks_both_sides_and_logs_history(cast, reused):
    a1, a2, first, second = reused
    flag = PhotoFlag.objects.get(activity=a1)
    services.flag_explain(flag=flag, user=cast.street_staff, note="两个社区联合举办")
    assert set(PhotoFlag.objects.values_list("explained", "note")) == {(True, "两个社区联合举办")}
    history = flag.history.order_by("history_date")
    assert [h.explained for h in history] == [False, True]
    assert (
        history.last().history_user_id is None
        or history.last().explained_by_id == cast.street_staff.pk
    )


def test_an_explained_flag_stays_explained_when_photos_are_compared_again(cast, reused):
    a1, a2, first, second = reused
    services.flag_explain(
        flag=PhotoFlag.objects.get(activity=a1), user=cast.street_staff, note="联合举办"
    )
    call_command("fingerprint_photos", "--redo", stdout=open("/dev/null", "w"))
    assert PhotoFlag.objects.count() == 2
    assert PhotoFlag.objects.filter(explained=True, note="联合举办").count() == 2


def test_explain_needs_a_verifier_and_a_note(cast, reused):
    flag = PhotoFlag.objects.get(activity=reused[0])
    with pytest.raises(PermissionDenied):
        services.flag_explain(flag=flag, user=cast.cadre_a1, note="我们自己拍的")
    with pytest.raises(PermissionDenied):
        services.flag_explain(flag=flag, user=cast.staff_b, note="外街道")
    with pytest.raises(ValidationError):
        services.flag_explain(flag=flag, user=cast.street_staff, note="  ")
    assert not PhotoFlag.objects.filter(explained=True).exists()


def test_a_plain_or_broken_photo_is_stored_without_hashes(cast):
    from PIL import Image

    a = activity(cast.a1, "甲一活动")
    plain = upload_photo(a, cast.cadre_a1, scenes.jpeg(Image.new("RGB", (200, 100), "white")))
    assert plain.fingerprint.status == FingerprintStatus.PLAIN
    assert not PhotoHash.objects.filter(fingerprint=plain.fingerprint).exists()


def test_an_upload_enqueues_the_fingerprint_task(cast, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from portal.uploads import check_upload

    backend = task_backends["default"]
    backend.clear()
    a = activity(cast.a1, "甲一活动")
    checked = check_upload(SimpleUploadedFile("x.jpg", scenes.photo(4), "image/jpeg"))
    with django_capture_on_commit_callbacks(execute=True):
        activity_services.archive_attach(
            activity=a, user=cast.cadre_a1, slot="image", files=[checked]
        )
    assert not PhotoFingerprint.objects.exists()  # not on the request path
    [result] = backend.results
    assert result.task.func is fingerprint_photo_task.func
    fingerprint_photo_task.call(*result.args)
    assert PhotoFingerprint.objects.get().status == FingerprintStatus.OK


def test_backlog_job_fingerprints_existing_photos_with_progress(
    cast, django_capture_on_commit_callbacks
):
    from django.core.files.base import ContentFile

    from activities.models import ArchiveFile

    a1, a2 = activity(cast.a1, "甲一活动"), activity(cast.a2, "甲二活动")
    for act, seed in ((a1, 21), (a2, 21), (a2, 22)):
        record = ArchiveFile(
            activity=act,
            slot="image",
            original_name="旧照片.jpg",
            content_type="image/jpeg",
            size=1,
        )
        record.file.save("old.jpg", ContentFile(scenes.photo(seed)), save=False)
        # As photos uploaded before this check existed: saved without the signal's task.
        ArchiveFile.objects.bulk_create([record])
    backend = task_backends["default"]
    backend.clear()
    with django_capture_on_commit_callbacks(execute=True):
        run = start_backlog()
    assert run.status == RunStatus.QUEUED
    [result] = backend.results
    assert fingerprint_backlog_task.call(*result.args) == RunStatus.DONE
    run.refresh_from_db()
    assert (run.total, run.done, run.progress, run.flagged) == (3, 3, 100, 2)
    assert PhotoFingerprint.objects.count() == 3
    # Nothing left: a second run has nothing to do.
    assert services.backlog() == []
    assert fingerprint_backlog_task.call(run.pk) == "skipped"


def test_the_band_index_finds_exactly_what_a_full_scan_finds(cast):
    """Random hashes, some planted near the query: the index search equals brute force."""
    from evidence.models import PhotoFingerprint as FP

    rng = random.Random(3)
    a = activity(cast.a1, "甲一活动")
    from django.core.files.base import ContentFile

    from activities.models import ArchiveFile

    query = {v: rng.getrandbits(64) for v in hashing.VARIANTS}
    stored = {}
    for n in range(300):
        record = ArchiveFile(
            activity=a, slot="image", original_name=f"{n}.jpg", content_type="image/jpeg", size=1
        )
        record.file.save("x.jpg", ContentFile(b"x"), save=False)
        ArchiveFile.objects.bulk_create([record])
        fp = FP.objects.create(archive_file=record, status=FingerprintStatus.OK)
        hashes = {v: rng.getrandbits(64) for v in hashing.VARIANTS}
        if n % 3 == 0:  # near the whole query photo, or a crop of it
            base = query[rng.choice(hashing.VARIANTS)]
            for bit in rng.sample(range(64), rng.randint(0, 14)):
                base ^= 1 << bit
            hashes[hashing.FULL] = base
        stored[fp.pk] = hashes
        PhotoHash.objects.bulk_create(
            [
                PhotoHash(
                    fingerprint=fp,
                    street=cast.street_a,
                    variant=v,
                    value=hashing.to_signed(h),
                    **{f"band{i}": b for i, b in enumerate(hashing.bands(h))},
                )
                for v, h in hashes.items()
            ]
        )
    brute = {
        pk: d
        for pk, h in stored.items()
        if (d := hashing.distance(query, h)) <= hashing.MATCH_DISTANCE
    }
    found = {m.fingerprint_id: m.distance for m in services.find_matches(cast.street_a.pk, query)}
    assert len(brute) >= 20
    assert found == brute
    assert services.find_matches(cast.street_b.pk, query) == []


def test_the_command_prints_progress(cast, capsys):
    import io

    a = activity(cast.a1, "甲一活动")
    from django.core.files.base import ContentFile

    from activities.models import ArchiveFile

    record = ArchiveFile(
        activity=a, slot="image", original_name="旧.jpg", content_type="image/jpeg", size=1
    )
    record.file.save("old.jpg", ContentFile(scenes.photo(8)), save=False)
    ArchiveFile.objects.bulk_create([record])
    out = io.StringIO()
    call_command("fingerprint_photos", stdout=out)
    assert "100%" in out.getvalue() and "完成：1 张照片" in out.getvalue()
    assert FingerprintRun.objects.get().status == RunStatus.DONE
    assert ActivityStatus.DRAFT  # the activity itself is untouched
