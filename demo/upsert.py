"""The upsert every demo table goes through (insert what is missing, update what differs,
count both, leave identical rows and their history alone), and the seeded helpers."""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from django.db.models import Model, QuerySet
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from .profiles import CHANGE_REASON

if TYPE_CHECKING:
    from django.contrib.auth.models import User


@dataclass
class SyncCount:
    label: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0


D = TypeVar("D", dt.date, dt.datetime)
# A year in text: "2014年", "2014-03-05", a certificate number "ZJ2014…".
_YEAR_IN_TEXT = re.compile(r"(?<!\d)((?:19|20)\d\d)(?=年|-\d\d-\d\d)|(?<=ZJ)((?:19|20)\d\d)")
YEAR_FIELDS = frozenset({"year", "planned_year", "recognised_year", "revoked_year", "birth_year"})


def shift_date(day: D, years: int) -> D:
    """The same day `years` later (29 February becomes the 28th in a common year)."""
    if not years:
        return day
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def shift_text(text: str, years: int) -> str:
    if not years:
        return text
    return _YEAR_IN_TEXT.sub(lambda m: str(int(m.group(0)) + years), text)


def shift_row(row: dict[str, Any], years: int) -> dict[str, Any]:
    """A seed row moved by whole years: its dates, times, year numbers and years in text."""
    if not years:
        return row
    out = {}
    for f, v in row.items():
        if isinstance(v, dt.date):
            v = shift_date(v, years)
        elif isinstance(v, str):
            v = shift_text(v, years)
        elif f in YEAR_FIELDS and isinstance(v, int):
            v = v + years
        out[f] = v
    return out


def parse_date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def at_time(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def random_day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


def seeded_rng(*parts: object) -> random.Random:
    return random.Random("sjq-demo:" + ":".join(str(p) for p in parts))


class Loader:
    """Writes seed rows moved by `shift` years (demo.timeline: the seed's years are 2013–2014)."""

    def __init__(self, actor: User, shift: int = 0) -> None:
        self.actor = actor
        self.shift = shift
        self.tallies: dict[str, SyncCount] = {}

    def sync(
        self,
        model: type[Model],
        key: Sequence[str],
        rows: Iterable[dict[str, Any]],
        existing: QuerySet,
        *,
        fix_after_create: Sequence[str] = (),
    ) -> dict[tuple, Model]:
        """Insert missing rows and update differing ones; return every row by its key.

        `fix_after_create` names auto_now_add fields: Django stamps them with the current time
        on insert, so the intended value is written afterwards with a plain UPDATE.
        """
        tally = self.tallies.setdefault(
            model._meta.label, SyncCount(str(model._meta.verbose_name_plural))
        )
        current = {tuple(getattr(o, k) for k in key): o for o in existing}
        new: list[Model] = []
        fixes: list[tuple[Model, dict[str, Any]]] = []
        changed: list[Model] = []
        changed_fields: set[str] = set()
        seen: set[tuple] = set()
        for seed_row in rows:
            row = shift_row(seed_row, self.shift)
            k = tuple(row[f] for f in key)
            if k in seen:
                raise ValueError(f"演示数据重复：{model._meta.label} {k}")
            seen.add(k)
            obj = current.get(k)
            if obj is None:
                obj = model(**row)
                new.append(obj)
                fixes.append((obj, {f: row[f] for f in fix_after_create if f in row}))
                continue
            diff = [f for f, v in row.items() if getattr(obj, f) != v]
            if diff:
                for f in diff:
                    setattr(obj, f, row[f])
                changed.append(obj)
                changed_fields.update(diff)
            else:
                tally.unchanged += 1
        has_history = hasattr(model, "history")
        if new:
            if has_history:
                bulk_create_with_history(
                    new,
                    model,
                    batch_size=500,
                    default_user=self.actor,
                    default_change_reason=CHANGE_REASON,
                )
            else:
                model._default_manager.bulk_create(new, batch_size=500)
            tally.created += len(new)
        if changed:
            if has_history:
                bulk_update_with_history(
                    changed,
                    model,
                    sorted(changed_fields),
                    batch_size=500,
                    default_user=self.actor,
                    default_change_reason=CHANGE_REASON,
                )
            else:
                model._default_manager.bulk_update(changed, sorted(changed_fields), batch_size=500)
            tally.updated += len(changed)
        result = {tuple(getattr(o, k) for k in key): o for o in existing.all()}
        fix_objs = []
        for obj, values in fixes:
            if values:
                target = result[tuple(getattr(obj, k) for k in key)]
                for f, v in values.items():
                    setattr(target, f, v)
                fix_objs.append(target)
        if fix_objs:
            model._default_manager.bulk_update(fix_objs, list(fix_after_create), batch_size=500)
        return result

    def sync_links(
        self,
        label: str,
        through: type[Model],
        left: str,
        right: str,
        wanted: set[tuple[int, int]],
        existing: QuerySet,
    ) -> None:
        """Make a plain link table hold exactly `wanted` among the rows in `existing`."""
        tally = self.tallies.setdefault(label, SyncCount(label))
        have = {(getattr(o, left), getattr(o, right)): o.pk for o in existing}
        missing = wanted - set(have)
        extra = [pk for k, pk in have.items() if k not in wanted]
        through._default_manager.bulk_create(
            [through(**{left: a, right: b}) for a, b in sorted(missing)], batch_size=500
        )
        if extra:
            through._default_manager.filter(pk__in=extra).delete()
        tally.created += len(missing)
        tally.updated += len(extra)
        tally.unchanged += len(wanted) - len(missing)
