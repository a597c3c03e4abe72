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
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from django.db import connections
from django.db.models import QuerySet

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
        cursor.execute(sql, params)
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def clear() -> None:
    with _lock:
        _statements.clear()


def size() -> int:
    return len(_statements)
