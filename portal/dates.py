"""The portal's idea of "today": the local date of the configured time zone."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def today() -> dt.date:
    return timezone.localdate()
