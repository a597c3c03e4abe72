"""portal.pipeline: items consumed in order in a second thread, failures raised to the caller,
and the producer never more than a few items ahead."""

import threading

import pytest

from portal.pipeline import pipelined


def test_every_item_is_consumed_in_order_in_another_thread():
    seen, threads = [], set()

    def consume(item):
        seen.append(item)
        threads.add(threading.get_ident())

    pipelined(range(1000), consume)
    assert seen == list(range(1000))
    assert threads and threading.get_ident() not in threads


def test_a_consumer_failure_stops_the_producer_and_is_raised():
    produced = []

    def items():
        for i in range(10_000):
            produced.append(i)
            yield i

    def consume(item):
        if item == 3:
            raise ValueError("第3项坏了")

    with pytest.raises(ValueError, match="第3项坏了"):
        pipelined(items(), consume, depth=2)
    assert len(produced) < 100  # it stopped soon after, not at the end


def test_a_producer_failure_is_raised_after_the_consumer_has_stopped():
    seen = []

    def items():
        yield 1
        yield 2
        raise RuntimeError("数据库断开")

    with pytest.raises(RuntimeError, match="数据库断开"):
        pipelined(items(), seen.append)
    assert seen == [1, 2]


def test_the_producer_runs_at_most_a_few_items_ahead():
    produced, lead = [], []
    consumed = 0

    def items():
        for i in range(200):
            produced.append(i)
            yield i

    def consume(item):
        nonlocal consumed
        lead.append(len(produced) - consumed)
        consumed += 1

    pipelined(items(), consume, depth=3)
    assert max(lead) <= 3 + 2  # the queue, the item being put, the item being consumed


def test_background_raises_a_consumer_failure_at_the_next_put_or_at_the_end():
    from portal.pipeline import Background

    def consume(item):
        if item == 2:
            raise OSError("磁盘已满")

    with pytest.raises(OSError, match="磁盘已满"):
        with Background(consume, depth=1) as stage:
            for i in range(10_000):
                stage.put(i)
    assert i < 100  # put raised soon after the failure
    with pytest.raises(OSError, match="磁盘已满"):
        with Background(consume) as stage:
            stage.put(1)
            stage.put(2)  # the failure comes when the block ends
