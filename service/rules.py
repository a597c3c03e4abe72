"""Rules of volunteer service as plain functions (no database): star levels, the make-up cap,
instructors due for promotion, certificate numbers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

STAR_NAMES = ("未评星", "一星", "二星", "三星", "四星", "五星")


@dataclass(frozen=True)
class Star:
    level: int  # 0 (none) … len(thresholds)
    name: str
    next_at: int | None  # hours of the next level, None at the top
    to_next: Decimal | None  # hours still missing to the next level


def star(hours: Decimal, thresholds: Sequence[int]) -> Star:
    """The 注册志愿者 star level reached with `hours` (a level is reached AT its threshold)."""
    level = sum(1 for t in thresholds if hours >= t)
    if level < len(thresholds):
        next_at = thresholds[level]
        return Star(level, _name(level), next_at, Decimal(next_at) - hours)
    return Star(level, _name(level), None, None)


def _name(level: int) -> str:
    return STAR_NAMES[level] if level < len(STAR_NAMES) else f"{level}星"


def makeup_refusal(used: Decimal, hours: Decimal, cap: int) -> str | None:
    """Why a make-up of `hours` may not be added when `used` hours of the year are taken."""
    if used + hours > cap:
        left = max(Decimal(cap) - used, Decimal(0))
        return (
            f"补录时长超过每人每年 {cap} 小时的上限：本年已补录（含待审批）{used} 小时，"
            f"最多还可补录 {left} 小时。"
        )
    return None


def years_between(start: dt.date, end: dt.date) -> int:
    """Whole years from start to end (a 29 February start counts from 28 February)."""
    years = end.year - start.year
    if (end.month, end.day) < (start.month, start.day):
        years -= 1
    return years


def promotion_due(
    *,
    level: str,
    issued_on: dt.date | None,
    services_past_year: int,
    today: dt.date,
    years_required: dict[str, int],
    min_services: int,
) -> bool:
    """Held the grade long enough and served regularly; the top grade is never due."""
    needed = years_required.get(level)
    if needed is None or issued_on is None:
        return False
    return years_between(issued_on, today) >= needed and services_past_year >= min_services


def certificate_number(street_id: int, year: int, sequence: int) -> str:
    """ZY + year + street (3 digits) + sequence (5 digits): ZY2026-003-00042."""
    return f"ZY{year}-{street_id:03d}-{sequence:05d}"
