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
from types import TracebackType
from typing import Generic, Self, TypeVar

T = TypeVar("T")
_END = object()


class Closing:
    """`with thing:` calls thing.close() when the block ends, thing.abandon() if it raised
    (stop and leave nothing open; the block's error is the one the caller sees)."""

    def close(self) -> None:
        raise NotImplementedError

    def abandon(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if kind is None:
            self.close()
        else:
            self.abandon()


class Background(Closing, Generic[T]):
    """`with Background(consume) as stage: stage.put(item)`: consume(item) is called for each
    item, in order, in a second thread. A failure of consume is raised by the next put, or
    when the block ends (after the thread has stopped); the items after it are dropped."""

    def __init__(self, consume: Callable[[T], None], depth: int = 4, name: str = "pipelined"):
        self._consume = consume
        self._handoff: queue.Queue = queue.Queue(maxsize=depth)
        self._failures: list[BaseException] = []
        self._worker = threading.Thread(target=self._work, name=name, daemon=True)
        self._worker.start()

    def _work(self) -> None:
        item = self._handoff.get()
        while item is not _END:
            if not self._failures:
                try:
                    self._consume(item)
                except BaseException as error:  # re-raised in the calling thread
                    self._failures.append(error)
            item = self._handoff.get()  # after a failure: drained, so put never blocks

    def put(self, item: T) -> None:
        if self._failures:
            self.close()
        self._handoff.put(item)

    def close(self) -> None:
        """Wait for the items put to be consumed; raise the consumer's failure, if any."""
        if self._worker.is_alive():
            self._handoff.put(_END)
            self._worker.join()
        if self._failures:
            raise self._failures[0]

    def abandon(self) -> None:
        try:
            self.close()
        except BaseException:
            pass  # the caller's error wins; the thread is stopped all the same


def pipelined(items: Iterable[T], consume: Callable[[T], None], depth: int = 4) -> None:
    """Call consume(item) for every item, in order, in a second thread."""
    with Background(consume, depth) as stage:
        for item in items:
            stage.put(item)
