"""The upsert every demo table goes through (insert what is missing, update what differs,
count both, leave identical rows and their history alone), and the seeded helpers."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

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


def parse_date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def at_time(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def random_day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, (end - start).days))


def seeded_rng(*parts: object) -> random.Random:
    return random.Random("sjq-demo:" + ":".join(str(p) for p in parts))


class Loader:
    def __init__(self, actor: User) -> None:
        self.actor = actor
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
        for row in rows:
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
