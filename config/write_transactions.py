"""Only requests that may write run in a transaction; reads never take SQLite's write lock.

`ATOMIC_REQUESTS` would wrap every view, a page view too, in a transaction; on SQLite, whose
transactions begin IMMEDIATE (so that two staff acting on the same record are serialised),
that made every read wait for the single write lock. This middleware does what
ATOMIC_REQUESTS did, for the unsafe methods only (POST, PUT, PATCH, DELETE): the view runs in
`transaction.atomic()`, so a failed write leaves nothing behind. A GET or HEAD runs in
autocommit: its reads take no lock at all (WAL readers never wait for the writer), and a
write it does (a session, a background job's row) commits on its own, statement by statement.
A view decorated with `transaction.non_atomic_requests` runs in autocommit, as Django does.

An IntegrityError that a write view lets through (a constraint the form could not check,
two people saving at once) is never a 500: the transaction is rolled back and the user gets
the constraint's Chinese message (portal.integrity) on a 409 page. A write that waited
for SQLite's write lock longer than the busy timeout (a long import holds it) is told so, on a
503 page: nothing was saved, try again shortly.

The same on PostgreSQL, where READ COMMITTED gives each statement its own snapshot either way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import DEFAULT_DB_ALIAS, IntegrityError, OperationalError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from portal.integrity import explain

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
BUSY = (
    "系统正忙：另一项较长的保存（例如导入工作簿）尚未完成。本次没有保存任何内容，请稍后再提交一次。"
)


def needs_transaction(method: str | None) -> bool:
    """Whether a request of this method runs in one transaction (it may write)."""
    return (method or "GET").upper() not in SAFE_METHODS


class WriteRequestsAtomicMiddleware:
    """Put it last in MIDDLEWARE: the view is called here, inside the transaction."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponse],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        if not needs_transaction(request.method):
            return None
        atomic = DEFAULT_DB_ALIAS not in getattr(view_func, "_non_atomic_requests", set())
        try:
            if not atomic:
                return view_func(request, *view_args, **view_kwargs)
            with transaction.atomic(using=DEFAULT_DB_ALIAS):
                return view_func(request, *view_args, **view_kwargs)
        except IntegrityError as error:
            return render(request, "write_failed.html", {"reason": explain(error)}, status=409)
        except OperationalError as error:
            if "locked" not in str(error).lower():
                raise
            return render(request, "write_failed.html", {"reason": BUSY}, status=503)
