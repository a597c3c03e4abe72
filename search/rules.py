"""What a typed search means, as plain functions (no database)."""

from __future__ import annotations

MAX_LENGTH = 50
MIN_LENGTH = 1


def clean_query(raw: str | None) -> str:
    """The text to look for: trimmed, inner runs of spaces joined, at most MAX_LENGTH
    characters; "" when nothing worth looking for was typed."""
    text = " ".join((raw or "").split())[:MAX_LENGTH]
    return text if len(text) >= MIN_LENGTH else ""


def looks_like_code(text: str) -> bool:
    """人员编号 are letters and digits (e.g. P0012): such a query also matches codes."""
    return any(c.isdigit() for c in text) and all(
        c.isascii() and (c.isalnum() or c in "-_") for c in text
    )
