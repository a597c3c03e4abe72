"""On PostgreSQL the database itself refuses to change or remove log entries, and the verify
command finds an entry edited, removed or reordered by someone who got past the trigger."""

import pgtrigger
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from security_log.models import SecurityEvent
from security_log.services import record
from tests import factories as f
from tests.reliability.conftest import postgres_only

pytestmark = [*postgres_only, pytest.mark.django_db]

TABLE = SecurityEvent._meta.db_table


@pytest.fixture
def entries():
    user = f.UserFactory(username="auditor")
    return [record("export", user=user, list="设施", rows=i) for i in range(5)]


@pytest.mark.parametrize(
    "sql",
    [f"UPDATE {TABLE} SET result = 'failed' WHERE seq = 2", f"DELETE FROM {TABLE} WHERE seq = 2"],
)
def test_the_database_refuses_update_and_delete(entries, sql):
    with pytest.raises(DatabaseError, match="append_only"), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(sql)
    assert SecurityEvent.objects.get(seq=2).result == "ok"


def test_the_orm_cannot_change_or_delete_either(entries):
    with pytest.raises(DatabaseError), transaction.atomic():
        SecurityEvent.objects.filter(seq=1).update(username="someone")
    with pytest.raises(DatabaseError), transaction.atomic():
        SecurityEvent.objects.all().delete()
    assert SecurityEvent.objects.count() == 5


def _tamper(sql, *params):
    """What a database administrator could do by switching the trigger off."""
    with pgtrigger.ignore("security_log.SecurityEvent:append_only"), connection.cursor() as c:
        c.execute(sql, params)


def _verify_fails(capsys, needle):
    with pytest.raises(CommandError, match="校验失败"):
        call_command("verify_security_log")
    assert needle in capsys.readouterr().err


def test_verify_passes_untouched(entries, capsys):
    call_command("verify_security_log")
    assert "5 条记录" in capsys.readouterr().out


def test_verify_detects_an_edited_row(entries, capsys):
    _tamper(f"UPDATE {TABLE} SET details = %s WHERE seq = 3", '{"list": "设施", "rows": 0}')
    _verify_fails(capsys, "第 3 条：内容与哈希不符")


def test_verify_detects_a_deleted_row(entries, capsys):
    _tamper(f"DELETE FROM {TABLE} WHERE seq = 3")
    _verify_fails(capsys, "第 4 条：序号不连续")


def test_verify_detects_a_deleted_last_row(entries, capsys):
    _tamper(f"DELETE FROM {TABLE} WHERE seq = 5")
    _verify_fails(capsys, "链尾与链头")


def test_verify_detects_reordered_rows(entries, capsys):
    """Rows 2 and 4 swap places (their seq numbers), hashes left as they were."""
    for old, new in ((2, -1), (4, 2), (-1, 4)):
        _tamper(f"UPDATE {TABLE} SET seq = %s WHERE seq = %s", new, old)
    _verify_fails(capsys, "第 2 条：与前一条记录的哈希链接不符")
