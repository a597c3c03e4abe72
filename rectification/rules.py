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


def overdue_days(status: str, deadline: dt.date, today: dt.date) -> int:
    """Days past the deadline of a task still open on `today` (0 if closed or not yet due)."""
    if status == "accepted" or deadline >= today:
        return 0
    return (today - deadline).days
