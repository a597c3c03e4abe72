"""Helpers of the reliability tests: PostgreSQL-only marking and real concurrent transactions.

Concurrency is tested with threads, each on its own database connection (Django gives every
thread its own), inside `transaction=True` tests so that what one thread commits the other
really sees; a threading.Barrier makes both reach the contended statement together.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings
from django.db import connection, connections

# Shared fixtures: `login` (portal sign-in), `staff` + `as_user` (admin access as load_demo
# gives it).
from tests.facilities.conftest import login  # noqa: F401
from tests.test_admin import as_user, staff  # noqa: F401

ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")

#: Marks a module (or test) that needs the real PostgreSQL: row locks, advisory locks, pg_dump.
postgres_only = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        not ON_POSTGRES,
        reason="需要 PostgreSQL（行锁、咨询锁、pg_dump）：先运行 PGPORT_TEST=54388 scripts/pg.sh start，"
        "再以 DATABASE_URL=<它输出的地址> 运行 pytest",
    ),
]


@dataclass
class Outcome:
    value: Any = None
    error: BaseException | None = None


def run_together(*calls: Callable[[], Any], timeout: float = 60) -> list[Outcome]:
    """Run each call in its own thread (own DB connection) and wait for all of them."""
    outcomes = [Outcome() for _ in calls]

    def worker(i: int, call: Callable[[], Any]) -> None:
        try:
            outcomes[i].value = call()
        except BaseException as exc:  # noqa: BLE001 - handed back to the test to assert on
            outcomes[i].error = exc
        finally:
            # The test database is dropped at the end of the session; no thread may keep it open.
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout)
        assert not t.is_alive(), "a concurrent call did not finish: deadlock?"
    return outcomes


class LockWatch:
    """Counts, from the test's own connection, the backends of this database waiting on a
    lock while the threads run: proof that the two transactions really collided."""

    def __init__(self) -> None:
        self.most_waiting = 0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _poll(self) -> None:
        try:
            while not self._stop.is_set():
                with connection.cursor() as cur:
                    cur.execute(
                        "SELECT count(*) FROM pg_stat_activity "
                        "WHERE datname = current_database() AND wait_event_type = 'Lock'"
                    )
                    self.most_waiting = max(self.most_waiting, cur.fetchone()[0])
                time.sleep(0.01)
        finally:
            connections.close_all()

    def __enter__(self) -> LockWatch:
        self._thread = threading.Thread(target=self._poll)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        assert self._thread is not None
        self._thread.join(10)
