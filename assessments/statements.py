"""The SQL of the engine's tally statement, kept by what determines it.

A street's statement (engine._gather) is one SELECT of some forty correlated aggregates.
Building those ORM expressions and compiling them costs 25–40 ms of Python, more than the
database takes to run the statement; and the statement of a street's dashboard is the same
for every user and every request of the day. So the compiled text and parameters are kept,
keyed by everything the statement is built from. Only SQL is kept, never figures: every
call still runs the statement against the records as they are now.

The key is the caller's promise: `build` must depend on nothing but what `key` holds
(engine._gather's statement_key lists it). Nothing time-dependent may go into a tallied expression
without going into its key.

On PostgreSQL the statement runs with JIT compilation off (`SET LOCAL jit = off` sent with it,
one round trip, one query). Its plan is a few thousand cheap index lookups whose summed cost
estimate passes jit_above_cost for a district or a city, and compiling that plan took 3.6 s
of the city's 5 s statement (PostgreSQL 15: 1.35 s without); a street's statement is below
the threshold either way. JIT pays off for long scans of one big expression, which this is not.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from django.db import connections
from django.db.models import QuerySet

try:  # the driver's cursor that merges parameters client-side (Django's default for psycopg 3)
    from psycopg import ClientCursor
except ImportError:  # pragma: no cover - SQLite-only installs
    ClientCursor = None

# A district's streets × a few years × as-of dates in use; each entry is ~10 KB of SQL.
MAX_STATEMENTS = 256

_lock = threading.Lock()
_statements: OrderedDict[Hashable, tuple[str, str, tuple[Any, ...], tuple[str, ...]]] = (
    OrderedDict()
)


def values_rows(key: Hashable, build: Callable[[], QuerySet]) -> list[dict[str, Any]]:
    """The rows of `build()` (a .values() QuerySet) as dicts, compiling it only the first
    time `key` is seen. Values come as the database driver gives them: JSON columns may be
    text (metrics.decoded reads both)."""
    with _lock:
        found = _statements.get(key)
        if found is not None:
            _statements.move_to_end(key)
    if found is None:
        queryset = build()
        query = queryset.query
        sql, params = query.sql_with_params()
        names = (*query.extra_select, *query.values_select, *query.annotation_select)
        found = (queryset.db, sql, tuple(params), names)
        with _lock:
            _statements[key] = found
            while len(_statements) > MAX_STATEMENTS:
                _statements.popitem(last=False)
    alias, sql, params, names = found
    with connections[alias].cursor() as cursor:
        if without_jit(cursor):
            # One simple-protocol message: an implicit transaction (or the caller's), whose
            # end undoes SET LOCAL; the rows are the second result. Inside a caller's
            # transaction the setting is put back at once.
            cursor.execute(f"SET LOCAL jit = off; {sql}; SET LOCAL jit TO DEFAULT", params)
            cursor.nextset()
        else:
            cursor.execute(sql, params)
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def without_jit(cursor: Any) -> bool:
    """Whether the statement can be sent with JIT turned off around it: PostgreSQL through
    psycopg 3's client-side binding cursor (several statements in one execute)."""
    return (
        cursor.db.vendor == "postgresql"
        and ClientCursor is not None
        and isinstance(cursor.cursor, ClientCursor)
    )


def clear() -> None:
    with _lock:
        _statements.clear()


def size() -> int:
    return len(_statements)
