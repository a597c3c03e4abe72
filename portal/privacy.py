"""Personal data shown on screens and in exports."""

from __future__ import annotations

import re

_DIGIT = re.compile(r"\d")


def mask_phone(value: str | None) -> str:
    """Hide the middle of a phone number: "13812345678" -> "138****5678".

    Only digits are masked, so separators stay readable ("0571-87654321" -> "057*-****4321").
    Short numbers keep at most their last 4 digits; under 7 digits nothing is shown.
    """
    if not value:
        return ""
    text = str(value).strip()
    if text.isdecimal():  # digits only, the usual case: the same result without the scan
        n = len(text)
        if n >= 11:
            return text[:3] + "*" * (n - 7) + text[-4:]
        if n >= 7:
            return "*" * (n - 4) + text[-4:]
        return "*" * n
    positions = [m.start() for m in _DIGIT.finditer(text)]
    n = len(positions)
    if n >= 11:
        keep = set(positions[:3] + positions[-4:])
    elif n >= 7:
        keep = set(positions[-4:])
    else:
        keep = set()
    hidden = set(positions) - keep
    return "".join("*" if i in hidden else c for i, c in enumerate(text))
