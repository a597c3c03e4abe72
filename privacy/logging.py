"""A logging filter that keeps phone and ID-card numbers out of the server's logs.

Error messages from the database or a library may quote a value a user typed; this masks
any mobile number (138****5678) or 18-character ID number in a record's message, its
arguments and its traceback before a handler writes it. Installed on every handler in
settings (LOGGING)."""

from __future__ import annotations

import logging
import re

_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")
_ID_CARD = re.compile(r"(?<!\d)(\d{4})\d{10}(\d{3}[\dXx])(?!\d)")


def redact(text: str) -> str:
    return _ID_CARD.sub(r"\1**********\2", _MOBILE.sub(r"\1****\2", text))


class RedactPersonalData(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True
