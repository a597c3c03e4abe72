"""The database side of an import: referenced records keyed by natural key, loaded in bulk.

Natural keys are tuples of names, the way the workbook spells them:

    community  (街道, 社区)          team   (街道, 社区, 团队名称)
    person     (街道, 人员编号)      brand  (街道, 社区, 品牌名称)

Only the streets named in the workbook are loaded, a query per model, never one per row.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import Model

from activities.models import Brand
from communities.models import Community, Street
from teams.models import Person, Team

CHUNK = 500  # ids or names per IN (…) query; well under every database's parameter limit


def chunks(items: Iterable[Any], size: int = CHUNK) -> Iterator[list[Any]]:
    batch: list[Any] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


class Snapshot:
    KINDS = ("community", "team", "person", "brand")

    def __init__(self, streets: set[str]) -> None:
        self.street_names = set(streets)
        self.streets: dict[str, Street] = {
            s.name: s for s in Street.objects.filter(name__in=self.street_names)
        }
        self.by_key: dict[str, dict[tuple, Model]] = {k: {} for k in self.KINDS}
        self.key_by_id: dict[str, dict[int, tuple]] = {k: {} for k in self.KINDS}
        self._persons_loaded = False
        street_name = {s.pk: s.name for s in self.streets.values()}
        for community in Community.objects.filter(street__in=self.streets.values()):
            self.add("community", (street_name[community.street_id], community.name), community)
        for kind, model in (("team", Team), ("brand", Brand)):
            for obj in model.objects.filter(community__street__in=self.streets.values()):
                self.add(kind, self.key_by_id["community"][obj.community_id] + (obj.name,), obj)

    def add(self, kind: str, key: tuple, obj: Model) -> None:
        self.by_key[kind][key] = obj
        self.key_by_id[kind][obj.pk] = key

    def keys(self, kind: str) -> set[tuple]:
        return set(self.by_key[kind])

    def persons(self) -> dict[tuple, Model]:
        if not self._persons_loaded:
            street_name = {s.pk: s.name for s in self.streets.values()}
            for person in Person.objects.filter(street__in=self.streets.values()):
                self.add("person", (street_name[person.street_id], person.code), person)
            self._persons_loaded = True
        return self.by_key["person"]

    def key_of(self, kind: str, pk: int | None) -> tuple | None:
        return None if pk is None else self.key_by_id[kind][pk]

    def ensure(self, kind: str, ids: Iterable[int | None]) -> None:
        """Load records of other streets that loaded rows point to (inconsistent data)."""
        if kind == "person":
            self.persons()
        known = self.key_by_id[kind]
        missing = {pk for pk in ids if pk is not None and pk not in known}
        for batch in chunks(sorted(missing)):
            if kind == "community":
                for c in Community.objects.filter(pk__in=batch).select_related("street"):
                    self.add(kind, (c.street.name, c.name), c)
            elif kind == "person":
                for p in Person.objects.filter(pk__in=batch).select_related("street"):
                    self.add(kind, (p.street.name, p.code), p)
            else:
                model = Team if kind == "team" else Brand
                for o in model.objects.filter(pk__in=batch).select_related("community__street"):
                    self.add(kind, (o.community.street.name, o.community.name, o.name), o)
