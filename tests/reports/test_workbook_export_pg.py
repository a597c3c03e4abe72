"""The export on PostgreSQL, where texts are read as UTF-8 bytes (exporter._reading): the
same file as with texts read as str, and the connection as it was afterwards."""

import io
import zipfile

import pytest
from django.db import connection, transaction

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


def test_the_connection_reads_texts_as_str_again_after_the_export():
    records()

    def settings() -> tuple:
        with connection.cursor() as cursor:
            cursor.execute("SELECT name FROM communities_street ORDER BY name LIMIT 1")
            name = cursor.fetchone()[0]
            cursor.execute("SHOW cursor_tuple_fraction")
            return type(name), cursor.fetchone()[0]

    before = settings()
    assert before[0] is str
    with transaction.atomic():  # inside an outer transaction (a request's, a job's)
        exported()
        assert settings() == before
    assert settings() == before
