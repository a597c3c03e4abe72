"""scripts/backup.sh and scripts/restore.sh: a backup restored into a new, empty database and
media folder gives the same assessment, the same rows and the same uploaded bytes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection

from activities.models import ActivityStatus, ArchiveFile, ArchiveSlot
from facilities.models import Facility
from tests import factories as f
from tests.reports.pdf_util import noisy_jpeg, scored_street

from .conftest import postgres_only

pytestmark = [*postgres_only, pytest.mark.django_db(transaction=True)]

ROOT = Path(settings.BASE_DIR)


def _url(name: str) -> str:
    s = connection.settings_dict
    return f"postgres://{s['USER']}:{s['PASSWORD']}@{s['HOST']}:{s['PORT']}/{name}"


def _env(database: str, media: Path | str) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": _url(database),
        "DJANGO_MEDIA_ROOT": str(media),
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
    }


def _script(name: str, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(ROOT / "scripts" / name), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _assess(database: str) -> dict:
    out = subprocess.run(
        [sys.executable, "manage.py", "assess", "--street", "甲街道", "--year", "2014", "--json"],
        env=_env(database, settings.MEDIA_ROOT),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return json.loads(out.stdout)


def _tables(cursor) -> dict[str, str]:
    """Every table's rows, as a checksum of their text in a fixed order."""
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")
    sums = {}
    for (table,) in cursor.fetchall():
        cursor.execute(
            f"SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), '')) "
            f'FROM "{table}" t'
        )
        sums[table] = cursor.fetchone()
    return sums


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in root.rglob("*") if p.is_file()}


@pytest.fixture
def new_database():
    name = f"wenti_restore_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}" OWNER "{connection.settings_dict["USER"]}"')
    yield name
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_backup_then_restore_into_a_new_database(cast, new_database, tmp_path):
    run = scored_street(cast, finalise=True)
    photo = noisy_jpeg((400, 300))
    activity = f.ActivityFactory(community=cast.a1, status=ActivityStatus.DRAFT, name="消夏晚会")
    archive = ArchiveFile(
        activity=activity,
        slot=ArchiveSlot.IMAGE,
        original_name="现场.jpg",
        content_type="image/jpeg",
        size=len(photo),
        uploaded_by=cast.cadre_a1,
    )
    archive.file.save("upload.jpg", ContentFile(photo), save=True)
    facility = Facility.objects.filter(community=cast.a1).first()
    facility.agreement.save("agreement.pdf", ContentFile(b"%PDF-1.4\n%\xe2\xe3\n"), save=True)
    media = Path(settings.MEDIA_ROOT)

    backup = _script(
        "backup.sh", str(tmp_path / "backups"), env=_env(connection.settings_dict["NAME"], media)
    )
    assert backup.returncode == 0, backup.stderr
    folder = Path(backup.stdout.strip().splitlines()[-1])
    assert folder.parent == tmp_path / "backups" and folder.name.startswith("wenti-")
    assert {p.name for p in folder.iterdir()} == {"db.dump", "media.tar.gz", "SHA256SUMS", "INFO"}
    info = (folder / "INFO").read_text()
    assert f":{connection.settings_dict['PASSWORD']}@" not in info and ":***@" in info

    restored_media = tmp_path / "restored-media"
    restore = _script("restore.sh", str(folder), env=_env(new_database, restored_media))
    assert restore.returncode == 0, restore.stderr

    # The same assessment, computed by the command from each database …
    original = _assess(connection.settings_dict["NAME"])
    assert [c["community"] for c in original["communities"]] == ["甲一社区", "甲二社区"]
    assert original["communities"][0]["total"] == 200.0
    assert _assess(new_database) == original
    # … the same rows in every table (the finalised run, its results, the history) …
    with connection.cursor() as cursor:
        before = _tables(cursor)
    with psycopg.connect(_url(new_database)) as restored, restored.cursor() as cursor:
        after = _tables(cursor)
        cursor.execute("SELECT status FROM assessments_run WHERE id = %s", [run.pk])
        assert cursor.fetchone() == ("final",)
    assert before["activities_archivefile"][0] == 1
    assert after == before
    # … and the same uploaded bytes at the same names.
    restored_files = _files(restored_media)
    assert restored_files[archive.file.name] == photo
    facility.refresh_from_db()
    assert restored_files[facility.agreement.name] == b"%PDF-1.4\n%\xe2\xe3\n"
    assert restored_files == _files(media)


def test_restore_refuses_a_database_that_is_not_empty(cast, tmp_path):
    backup = _script(
        "backup.sh",
        str(tmp_path),
        env=_env(connection.settings_dict["NAME"], tmp_path / "no-media"),
    )
    assert backup.returncode == 0, backup.stderr
    folder = backup.stdout.strip().splitlines()[-1]
    again = _script(
        "restore.sh", folder, env=_env(connection.settings_dict["NAME"], tmp_path / "m")
    )
    assert again.returncode == 1
    assert "目标数据库已有" in again.stderr and "空数据库" in again.stderr
    # A damaged backup is refused before anything is touched.
    with open(Path(folder) / "db.dump", "ab") as dump:
        dump.write(b"x")
    damaged = _script("restore.sh", folder, env=_env("postgres", tmp_path / "m"))
    assert damaged.returncode == 1 and "校验不一致" in damaged.stderr
