"""The hash chain, the append path, the purge and the verify command (SQLite and PostgreSQL)."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import RequestFactory
from django.utils import timezone

from security_log import chain
from security_log.models import ChainHead, SecurityEvent
from security_log.services import PersonalDataInLog, purge, record, verify
from tests import factories as f

pytestmark = pytest.mark.django_db


def _entries(n=5):
    user = f.UserFactory(username="auditor")
    return [record("export", user=user, list="设施", rows=i) for i in range(n)]


def test_entries_are_numbered_and_chained():
    entries = _entries(3)
    assert [e.seq for e in entries] == [1, 2, 3]
    assert entries[0].prev_hash == chain.GENESIS
    assert entries[1].prev_hash == entries[0].hash
    assert ChainHead.objects.get(pk=1).last_hash == entries[2].hash
    assert verify() == []


def test_record_stores_time_user_ip_event_result():
    user = f.UserFactory(username="zhang")
    request = RequestFactory().get("/", REMOTE_ADDR="10.1.2.3")
    entry = record("download", user=user, request=request, result="refused", file="notice")
    entry.refresh_from_db()
    assert (entry.user_id, entry.username, entry.ip) == (user.pk, "zhang", "10.1.2.3")
    assert (entry.event, entry.result, entry.details) == ("download", "refused", {"file": "notice"})
    assert timezone.now() - entry.created_at < timedelta(seconds=5)


def test_personal_data_is_refused_in_details():
    user = f.UserFactory()
    with pytest.raises(PersonalDataInLog):
        record("export", user=user, name="张三")
    with pytest.raises(PersonalDataInLog):
        record("export", user=user, filters={"q": "13812345678"})
    with pytest.raises(ValueError):
        record("no-such-event", user=user)
    assert SecurityEvent.objects.count() == 0


def test_chain_functions_detect_edit_removal_reorder():
    """Pure functions: no database."""
    fields, prev = [], chain.GENESIS
    moment = timezone.now()
    for seq in (1, 2, 3):
        row = chain.hashed_fields(
            seq=seq,
            created_at=moment,
            event="login",
            result="ok",
            user_id=seq,
            username=f"u{seq}",
            street_id=None,
            ip="",
            details={},
        )
        digest = chain.entry_hash(row, prev)
        fields.append((row, prev, digest))
        prev = digest
    ok = dict(anchor_seq=0, anchor_hash=chain.GENESIS, head_seq=3, head_hash=prev)
    assert chain.verify(fields, **ok) == []
    edited = [(dict(fields[1][0], username="x"), *fields[1][1:])]
    assert chain.verify([fields[0], *edited, fields[2]], **ok)
    assert chain.verify([fields[0], fields[2]], **ok)
    assert chain.verify([fields[0], fields[2], fields[1]], **ok)
    assert chain.verify(fields[:2], **ok)  # the tail cut off


def test_purge_removes_only_older_entries_logs_itself_and_still_verifies(monkeypatch):
    user = f.UserFactory()
    real_now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: real_now() - timedelta(days=200))
    for i in range(3):
        record("export", user=user, rows=i)
    monkeypatch.setattr(timezone, "now", lambda: real_now() - timedelta(days=170))
    record("export", user=user, rows=3)
    monkeypatch.setattr(timezone, "now", real_now)
    assert purge() == 3
    assert list(SecurityEvent.objects.order_by("seq").values_list("seq", flat=True)) == [4, 5]
    purged = SecurityEvent.objects.get(seq=5)
    assert (purged.event, purged.details["removed"]) == ("log_purged", 3)
    assert ChainHead.objects.get().anchor_seq == 3
    assert verify() == []
    assert purge() == 0  # nothing older left; the second purge is logged too
    assert SecurityEvent.objects.filter(event="log_purged").count() == 2
    assert verify() == []


def test_purge_refuses_less_than_180_days():
    with pytest.raises(ValueError, match="180"):
        purge(days=30)
    with pytest.raises(CommandError, match="180"):
        call_command("purge_security_log", "--days", "30")


def test_verify_command_passes_on_an_intact_log(capsys):
    _entries(3)
    call_command("verify_security_log")
    assert "3 条记录" in capsys.readouterr().out
