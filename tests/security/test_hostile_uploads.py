"""Hostile files through every upload entry point: each is refused with a clear Chinese
message and nothing is stored; what is accepted is stored under a random name and served
with nosniff (and as an attachment unless it is an image)."""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from PIL import Image

from activities.models import Activity, ArchiveFile
from assessments.models import ManualScore
from facilities.forms import FacilityForm
from facilities.models import Facility
from reports.models import Job
from tests.activities.samples import jpeg_bytes, ooxml_bytes

from . import hostile
from .conftest import World, pdf_bytes, sign_in

pytestmark = pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning")
CJK = re.compile(r"[\u4e00-\u9fff]")
ENGLISH_ERROR = re.compile(r"Traceback|Error|Exception|errno|invalid|not a|cannot", re.I)


@dataclass(frozen=True)
class EntryPoint:
    """One place a user uploads a file, and what it stores."""

    key: str
    user: str
    url: Callable[[World], str]
    data: Callable[[World], dict[str, Any]]
    field: str
    stored: Callable[[World], Any]  # a value that changes when anything is stored


def _activity(world: World) -> dict[str, Any]:
    return {
        "name": "上传测试活动",
        "date": "2024-05-01",
        "category": "文化",
        "form": "讲座",
        "scale": "小型",
        "participants": "10",
    }


def _facility(world: World) -> dict[str, Any]:
    return {
        "name": "上传测试设施",
        "kind": "文化活动室",
        "status": "在用",
        "ownership": "自有",
        "area": "60",
        "sets": "0",
    }


def _admin_facility(world: World) -> dict[str, Any]:
    return {**_facility(world), "community": world["a1"].community.pk, "note": ""}


def _evidence_url(world: World) -> str:
    own = world["a1"]
    return reverse("assessments:manual_score", args=[own.objects["indicator"].pk, own.community.pk])


def _score_state(world: World) -> tuple:
    score = ManualScore.objects.get(pk=world["a1"].objects["score"].pk)
    return score.evidence.name, score.evidence_name, score.self_note


ENTRY_POINTS = [
    EntryPoint(
        "archive",
        "cadre_a1",
        lambda w: reverse("activities:create"),
        _activity,
        "files_material",
        lambda w: (Activity.objects.count(), ArchiveFile.objects.count()),
    ),
    EntryPoint(
        "facility_photo",
        "cadre_a1",
        lambda w: reverse("facilities:create"),
        _facility,
        "photo",
        lambda w: Facility.objects.count(),
    ),
    EntryPoint(
        "facility_agreement",
        "cadre_a1",
        lambda w: reverse("facilities:create"),
        _facility,
        "agreement",
        lambda w: Facility.objects.count(),
    ),
    EntryPoint(
        "admin_facility_photo",
        "cadre_a1",
        lambda w: reverse("admin:facilities_facility_add"),
        _admin_facility,
        "photo",
        lambda w: Facility.objects.count(),
    ),
    EntryPoint(
        "admin_facility_agreement",
        "cadre_a1",
        lambda w: reverse("admin:facilities_facility_add"),
        _admin_facility,
        "agreement",
        lambda w: Facility.objects.count(),
    ),
    EntryPoint(
        "evidence",
        "cadre_a1",
        _evidence_url,
        lambda w: {"action": "self", "self_score": "1", "self_note": "上传测试"},
        "evidence",
        _score_state,
    ),
    EntryPoint(
        "workbook",
        "street_staff",
        lambda w: reverse("reports:import"),
        lambda w: {},
        "file",
        lambda w: Job.objects.count(),
    ),
]


def media_files() -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def form_errors(response: Any, field: str | None = None) -> list[str]:
    """The error messages of the page's form (of one field if given)."""
    messages = []
    for key in ("form", "self_form", "adminform"):
        form = response.context.get(key) if response.context else None
        form = getattr(form, "form", form)  # the admin wraps its form
        if form is not None and hasattr(form, "errors"):
            messages += [
                m for name, errors in form.errors.items() for m in errors if field in (None, name)
            ]
    return messages


def assert_clear_chinese(message: str) -> None:
    assert CJK.search(message), f"not Chinese: {message!r}"
    assert not ENGLISH_ERROR.search(message), f"an English error leaks: {message!r}"


def post(client: Any, entry: EntryPoint, world: World, name: str, content: bytes) -> Any:
    upload = SimpleUploadedFile(name, content, content_type="application/octet-stream")
    return client.post(entry.url(world), {**entry.data(world), entry.field: upload})


@pytest.mark.parametrize("entry", ENTRY_POINTS, ids=lambda e: e.key)
def test_hostile_files_are_refused_everywhere(admin_staff, client, entry):
    world = admin_staff
    sign_in(client, getattr(world.cast, entry.user))
    failures = []
    for bad in hostile.corpus():
        before, files = entry.stored(world), media_files()
        response = post(client, entry, world, bad.name, bad.content)
        errors = form_errors(response, entry.field) if response.status_code == 200 else []
        if response.status_code != 200 or not errors:
            failures.append(f"{entry.key} accepted {bad.key}: {response.status_code}")
            continue
        for message in errors:
            assert_clear_chinese(message)
        reason = bad.reason
        if entry.key == "workbook" and bad.key not in ("zip_bomb", "xlsm", "docm"):
            reason = "不是有效的 .xlsx 文件"
        if reason and not any(reason in m for m in errors):
            # The photo field is an ImageField: Django refuses non-images before our checks.
            if not (entry.field == "photo" and "图片" in " ".join(errors)):
                failures.append(f"{entry.key} {bad.key}: {errors} lacks {reason!r}")
        if entry.stored(world) != before or media_files() != files:
            failures.append(f"{entry.key} stored something of {bad.key}")
    assert not failures, "\n".join(failures)


def test_a_real_zip_bomb_workbook_is_refused_before_reading(world, client):
    """A workbook whose sheet really unpacks past the cap (lowered here to keep it quick)."""
    sign_in(client, world.cast.street_staff)
    jobs = Job.objects.count()
    with override_settings(WORKBOOK_MAX_UNZIPPED=20 * 1024 * 1024):
        response = client.post(
            reverse("reports:import"),
            {
                "file": SimpleUploadedFile("大表.xlsx", hostile.expanding_bomb(30)),
            },
        )
    errors = form_errors(response)
    assert any("压缩炸弹" in m for m in errors), errors
    assert Job.objects.count() == jobs


def test_pixel_bomb_is_refused_before_any_decoding(world, client, monkeypatch):
    decoded = []
    original = Image.Image.load

    def load(self: Image.Image) -> Any:
        decoded.append(self.size)
        return original(self)

    monkeypatch.setattr(Image.Image, "load", load)
    monkeypatch.setattr("PIL.ImageFile.ImageFile.load", load)
    sign_in(client, world.cast.cadre_a1)
    bomb = hostile.png_with_real_pixels(10000, 10000)
    response = client.post(
        reverse("activities:create"),
        {
            **_activity(world),
            "files_image": SimpleUploadedFile("全景.png", bomb),
        },
    )
    assert any("像素" in m for m in form_errors(response))
    assert (10000, 10000) not in decoded


# ------------------------------------------------------------------ what is accepted


STORED_NAME = re.compile(r"(^|/)[0-9a-f]{32}\.(jpg|png|pdf|docx|xlsx)$")


def _download(client: Any, url: str) -> Any:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["X-Content-Type-Options"] == "nosniff", url
    return response


def test_accepted_files_get_random_names_and_safe_downloads(world, client):
    sign_in(client, world.cast.cadre_a1)
    files = {
        "files_image": SimpleUploadedFile("../../etc/passwd.jpg", jpeg_bytes()),
        "files_plan": SimpleUploadedFile("活动计划<script>.pdf", pdf_bytes()),
        "files_summary": SimpleUploadedFile("总结.docx", ooxml_bytes("word")),
        "files_material": SimpleUploadedFile("名单.xlsx", ooxml_bytes("xl")),
    }
    response = client.post(reverse("activities:create"), {**_activity(world), **files})
    assert response.status_code == 302, form_errors(response)
    activity = Activity.objects.get(name="上传测试活动")
    stored = list(ArchiveFile.objects.filter(activity=activity))
    assert len(stored) == 4
    for record in stored:
        assert STORED_NAME.search(record.file.name), record.file.name
        assert "passwd" not in record.file.name and "script" not in record.file.name
        path = Path(record.file.path).resolve()
        assert path.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
        response = _download(client, reverse("activities:file", args=[record.pk]))
        disposition = response.get("Content-Disposition", "")
        if record.content_type.startswith("image/"):
            assert not disposition.startswith("attachment")
        else:
            assert disposition.startswith("attachment"), (record.original_name, disposition)
    names = {r.original_name for r in stored}
    assert "passwd.jpg" in names  # the multipart parser keeps only the last path part
    assert not Path("/etc/passwd.jpg").exists()


@pytest.mark.parametrize("door", ["facilities:create", "admin:facilities_facility_add"])
def test_facility_files_get_random_names_and_safe_downloads(admin_staff, client, door):
    """Through the portal and the admin (whose hostile refusals are tested above)."""
    world = admin_staff
    sign_in(client, world.cast.cadre_a1)
    response = client.post(
        reverse(door),
        {
            **_admin_facility(world),
            "photo": SimpleUploadedFile("../../etc/passwd.jpg", jpeg_bytes()),
            "agreement": SimpleUploadedFile("协议.pdf", pdf_bytes()),
        },
    )
    assert response.status_code == 302, form_errors(response)
    facility = Facility.objects.get(name="上传测试设施")
    for field in ("photo", "agreement"):
        name = getattr(facility, field).name
        assert STORED_NAME.search(name), name
        response = _download(client, reverse("facilities:file", args=[facility.pk, field]))
        is_attachment = response.get("Content-Disposition", "").startswith("attachment")
        assert is_attachment == (field == "agreement")


def test_a_path_in_a_file_name_never_becomes_a_stored_path(world):
    """Below the multipart parser (which already drops path parts): the form names it."""
    upload = SimpleUploadedFile("../../etc/passwd.jpg", jpeg_bytes())
    form = FacilityForm(
        {**_facility(world), "community": world["a1"].community.pk},
        {"photo": upload},
        user=world.cast.cadre_a1,
    )
    assert form.is_valid(), form.errors
    assert STORED_NAME.search(form.cleaned_data["photo"].name)


def test_evidence_and_job_downloads_are_attachments(world, client):
    sign_in(client, world.cast.cadre_a1)
    evidence = next(e for e in ENTRY_POINTS if e.key == "evidence")
    response = post(client, evidence, world, "佐证.pdf", pdf_bytes())
    assert response.status_code == 302, form_errors(response)
    score = ManualScore.objects.get(pk=world["a1"].objects["score"].pk)
    assert STORED_NAME.search(score.evidence.name), score.evidence.name
    for url in (
        reverse("assessments:manual_file", args=[score.pk]),
        reverse("reports:job_download", args=[world["a1"].objects["job"].pk]),
    ):
        assert _download(client, url)["Content-Disposition"].startswith("attachment")


def test_uploaded_workbooks_are_kept_under_random_names(world, client):
    sign_in(client, world.cast.street_staff)
    response = client.post(
        reverse("reports:import"),
        {
            "file": SimpleUploadedFile("../台账<b>.xlsx", hostile.minimal_workbook()),
        },
    )
    assert response.status_code == 302, form_errors(response)
    job = Job.objects.get(kind="import")
    assert STORED_NAME.search(job.input_file.name), job.input_file.name
    assert os.sep + ".." not in job.input_file.path
