"""SQLite for a small office (issue 21): reads never wait for the write lock.

Two real connections to one SQLite file, configured as the portal configures them
(config.settings.base.sqlite_options): while one holds a write transaction open, the other
reads at once; a second writer waits (and, with a short busy timeout, gives up). Requests:
only unsafe methods run in a transaction (config.write_transactions).
"""

from __future__ import annotations

import time
from unittest import mock

import pytest
from django.db import OperationalError, connection, transaction
from django.db.utils import ConnectionHandler
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from config.settings.base import sqlite_options
from config.write_transactions import WriteRequestsAtomicMiddleware, needs_transaction


@pytest.fixture
def two_connections(tmp_path, django_db_blocker):
    path = str(tmp_path / "office.sqlite3")

    def database(timeout: float) -> dict:
        db = sqlite_options({"ENGINE": "django.db.backends.sqlite3", "NAME": path})
        db["OPTIONS"]["timeout"] = timeout  # bounded here; 60 s in the portal
        return db

    handler = ConnectionHandler(
        {
            "default": database(5),
            "writer": database(5),
            "reader": database(5),
            "other_writer": database(0.2),
        }
    )
    unblocked = django_db_blocker.unblock()  # our own file, not the test database
    unblocked.__enter__()
    with handler["writer"].cursor() as cursor:
        cursor.execute("CREATE TABLE record (id INTEGER PRIMARY KEY, name TEXT)")
        cursor.execute("INSERT INTO record (name) VALUES ('已有')")
    # transaction.atomic(using=…) on these connections rather than the test database's.
    with mock.patch.object(transaction, "get_connection", lambda using=None: handler[using]):
        yield handler
    handler.close_all()
    unblocked.__exit__(None, None, None)


def _count(conn) -> int:
    with conn.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM record")
        return cursor.fetchone()[0]


def test_the_portal_opens_sqlite_in_wal_with_synchronous_normal(two_connections):
    with two_connections["reader"].cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA synchronous")
        assert cursor.fetchone()[0] == 1  # NORMAL
    assert two_connections["writer"].transaction_mode == "IMMEDIATE"


def test_a_read_proceeds_while_a_write_transaction_is_open(two_connections):
    writer, reader = two_connections["writer"], two_connections["reader"]
    with transaction.atomic(using="writer"):
        with writer.cursor() as cursor:
            cursor.execute("INSERT INTO record (name) VALUES ('写入中')")
        started = time.monotonic()
        seen = _count(reader)
        waited = time.monotonic() - started
        # The write lock is really held: a second writer cannot get it.
        with pytest.raises(OperationalError, match="locked"):
            with transaction.atomic(using="other_writer"):
                pass
    assert seen == 1  # the committed row only, at once
    assert waited < 1.0
    assert _count(reader) == 2


def _recording_view(seen: list[bool]):
    def view(request):
        seen.append(connection.in_atomic_block)
        return HttpResponse("ok")

    return view


@pytest.mark.django_db(transaction=True)
def test_only_unsafe_methods_run_in_a_transaction():
    seen: list[bool] = []
    view = _recording_view(seen)
    middleware = WriteRequestsAtomicMiddleware(lambda request: HttpResponse())
    factory = RequestFactory()
    for method in ("get", "head", "post", "delete"):
        request = getattr(factory, method)("/")
        response = middleware.process_view(request, view, (), {})
        if response is None:  # Django calls the view itself, outside any transaction
            view(request)
    assert seen == [False, False, True, True]
    assert not needs_transaction("GET") and needs_transaction("PATCH")

    seen.clear()
    non_atomic = transaction.non_atomic_requests(_recording_view(seen))
    middleware.process_view(factory.post("/"), non_atomic, (), {})
    assert seen == [False]  # run in autocommit, as it asked


@pytest.mark.django_db
def test_a_list_page_opens_no_transaction_and_a_post_does(client, cast):
    client.force_login(cast.street_staff, backend="django.contrib.auth.backends.ModelBackend")
    with CaptureQueriesContext(connection) as reading:
        assert client.get("/facilities/").status_code == 200
    with CaptureQueriesContext(connection) as writing:
        client.post("/logout/")
    # Inside the test's own transaction, a request's transaction is a savepoint.
    assert not [q for q in reading.captured_queries if "SAVEPOINT" in q["sql"]]
    assert [q for q in writing.captured_queries if "SAVEPOINT" in q["sql"]]


@pytest.mark.django_db(transaction=True)
def test_a_pdf_job_renders_outside_any_transaction(cast, monkeypatch):
    """The worker takes the write lock only for its short progress updates, never while it
    renders (a PDF takes tens of seconds: every save of the office would wait)."""
    from reports import jobs
    from reports.models import JobStatus
    from tests.reports.test_jobs import run_jobs

    rendering: list[bool] = []

    def pdf(**kwargs):
        rendering.append(connection.in_atomic_block)
        return b"%PDF"

    monkeypatch.setattr(jobs.annual, "annual_report_for", pdf)
    job = jobs.annual_start(user=cast.street_admin, street=cast.street_a, year=2024)
    assert run_jobs() == 1
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    assert rendering == [False]


@pytest.mark.django_db(transaction=True)
def test_an_import_job_holds_a_transaction_only_while_it_writes(cast, monkeypatch):
    """Reading and checking the workbook happen outside; the write is one transaction."""
    from reports import jobs
    from reports.models import JobStatus
    from reports.workbook import importer
    from tests.reports.test_jobs import previewed, run_jobs

    seen: dict[str, bool] = {}
    real_parse, real_plan = importer.parse_workbook, importer.write_plan

    def parse(*args, **kwargs):
        seen["reading"] = connection.in_atomic_block
        return real_parse(*args, **kwargs)

    def write(*args, **kwargs):
        seen["writing"] = connection.in_atomic_block
        return real_plan(*args, **kwargs)

    job = previewed(cast.street_admin)
    jobs.import_confirm(job=job, user=cast.street_admin)
    monkeypatch.setattr(importer, "parse_workbook", parse)
    monkeypatch.setattr(importer, "write_plan", write)
    assert run_jobs() == 1
    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    assert seen == {"reading": False, "writing": True}
