"""Two stages of a job overlapped: this thread produces, a second thread consumes.

For work where one stage waits outside Python (a database's answer, zlib, a file) while the
other computes: the waits overlap the computing. The producer stays in the calling thread
(Django's database connections belong to their thread); the queue is bounded, so memory
stays that of a few items however many there are. Whatever either stage raises is raised
here, after both have stopped; what the consumer had not yet taken is dropped.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterable
from typing import TypeVar

T = TypeVar("T")
_END = object()


def pipelined(items: Iterable[T], consume: Callable[[T], None], depth: int = 4) -> None:
    """Call consume(item) for every item, in order, in a second thread."""
    handoff: queue.Queue = queue.Queue(maxsize=depth)
    failures: list[BaseException] = []

    def work() -> None:
        item = handoff.get()
        while item is not _END:
            if not failures:
                try:
                    consume(item)  # type: ignore[arg-type]
                except BaseException as error:  # re-raised in the calling thread
                    failures.append(error)
            item = handoff.get()  # after a failure: drained, so the producer never blocks

    worker = threading.Thread(target=work, name="pipelined", daemon=True)
    worker.start()
    try:
        for item in items:
            if failures:
                break
            handoff.put(item)
    finally:
        handoff.put(_END)
        worker.join()
    if failures:
        raise failures[0]
