"""The export on PostgreSQL, where texts are read as UTF-8 bytes (exporter._reading): the
same file as with texts read as str, and the connection's settings as they were afterwards —
the caller's own included, after a success as after an error."""

import io
import zipfile

import pytest
from django.db import DataError, connection, transaction

from activities.models import Activity
from communities.models import Community
from reports.workbook import exporter
from tests import factories as f
from tests.reliability.conftest import postgres_only

from .test_workbook_export import exported, records

pytestmark = [*postgres_only, pytest.mark.django_db]


def sheets(data: bytes) -> dict[str, bytes]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    return {name: archive.read(name) for name in archive.namelist()}


def special_records() -> None:
    records()
    community = Community.objects.get(name="甲一社区")
    f.FacilityFactory(community=community, name="甲&乙<丙>\"丁'", partner_unit="a\x01b\\c\td\ne")
    f.TeamFactory(community=community, name="号码团", phone="0571-87654321 转 12")
    f.TeamFactory(community=community, name="反斜杠\\N团", leader="\\N", phone="")
    f.ActivityPartnerFactory(
        activity=Activity.objects.get(name="走亲演出"),
        community=Community.objects.get(name="乙一社区"),
    )


@pytest.mark.parametrize("full_phones", [False, True])
def test_texts_read_as_bytes_give_the_same_file_as_texts_read_as_str(monkeypatch, full_phones):
    special_records()
    as_bytes = exported(full_phones=full_phones)
    monkeypatch.setattr(exporter, "TEXTS_AS_BYTES", False)
    as_str = exported(full_phones=full_phones)
    assert sheets(as_bytes) == sheets(as_str)
    assert "反斜杠\\N团".encode() in sheets(as_bytes)["xl/worksheets/sheet4.xml"]


def settings() -> tuple:
    """How the connection reads now: a text's type, and the two settings the export changes."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM communities_street ORDER BY name LIMIT 1")
        name = cursor.fetchone()[0]
        cursor.execute(
            "SELECT current_setting('client_encoding'), current_setting('cursor_tuple_fraction')"
        )
        values = (v.decode() if isinstance(v, bytes) else v for v in cursor.fetchone())
        return type(name), *values


def test_inside_the_export_texts_come_as_bytes_and_only_there(monkeypatch):
    records()
    seen = []
    real = exporter._batches

    def watched(*args):
        seen.append(settings())
        yield from real(*args)

    monkeypatch.setattr(exporter, "_batches", watched)
    before = settings()
    exported()
    assert seen == [(bytes, "SQL_ASCII", "1")]
    assert settings() == before


def test_the_callers_own_settings_are_put_back_not_the_defaults():
    records()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL cursor_tuple_fraction = 0.5")
        exported()
        assert settings() == (str, "UTF8", "0.5")


def test_after_a_failed_export_the_callers_transaction_reads_as_before(monkeypatch):
    """A database error inside the export: its savepoint is rolled back, its settings with it,
    and the caller's transaction goes on."""
    records()

    def broken(*args):
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 / 0")
        yield from ()

    monkeypatch.setattr(exporter, "_batches", broken)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL cursor_tuple_fraction = 0.5")
        before = settings()
        with pytest.raises(DataError):
            exported()
        assert settings() == before == (str, "UTF8", "0.5")


def test_the_connection_reads_texts_as_str_again_after_the_export():
    records()

    before = settings()
    assert before[0] is str
    with transaction.atomic():  # inside an outer transaction (a request's, a job's)
        exported()
        assert settings() == before
    assert settings() == before
