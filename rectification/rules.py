"""The task's state machine and its overdue test, as plain functions (no database)."""

from __future__ import annotations

import datetime as dt

# action -> (states it may start from, state it leads to)
TRANSITIONS = {
    "answer": (("issued", "returned"), "answered"),
    "return": (("answered",), "returned"),
    "accept": (("answered",), "accepted"),
}
OPEN = ("issued", "answered", "returned")
REFUSED = {
    "answer": "只有待整改或已退回的任务可以答复。",
    "return": "只有待验收的任务可以退回。",
    "accept": "只有待验收的任务可以验收。",
}


def next_status(action: str, status: str) -> str:
    """The state after `action`, or ValueError with the Chinese reason it is refused."""
    starts, to = TRANSITIONS[action]
    if status not in starts:
        raise ValueError(REFUSED[action])
    return to


def is_overdue(status: str, deadline: dt.date, today: dt.date) -> bool:
    """Past its deadline and still waiting on the community (issued or returned)."""
    return status in ("issued", "returned") and deadline < today
