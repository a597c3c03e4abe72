"""The per-street data version: raised by every write that can change a score of the street,
in the same transaction; read by the score cache (assessments/cache.py) as part of its key.

- bump(street_ids): version + 1 (an UPDATE … SET version = version + 1, so two writers never
  lose an increment), creating the rows missing (a street made by bulk_create has none).
- versions(street_ids): {street id: version} in one query; a street without a row is 0.
- state(streets): one text for a set of streets and their versions, for a cache key over
  several streets (a district's, a user's scope); state_of(pairs) when the streets are
  already read with their versions.
- register(model, *paths): the model's saves and deletes (and its many-to-many changes) bump
  the streets its rows belong to, found by lookups from the row to a Street ("community__street").
  Each app registers its models in its AppConfig.ready(); a write that bypasses the signals
  (queryset.update(), bulk_create(), COPY) calls bump() itself.
- not_scored(model, why): the models that never change a score, said so on purpose — the
  test tests/communities/test_versions_registry.py fails on a model of the apps the engine
  reads that is in neither list.

Why the bump after the data is written and not before: a reader reads the version BEFORE it
computes, and stores what it computed under that version. A bump that became visible before
the data would let a reader store old figures under the new version; a bump after (or in the
same transaction) can only make a stored result newer than its key, which is harmless.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable

from django.db import models, transaction
from django.db.models import F, QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from .models import Street, StreetDataVersion

# model -> lookups from one of its rows to the streets whose scores it can change
REGISTRY: dict[type[models.Model], tuple[str, ...]] = {}
# model -> why it never changes a score
NOT_SCORED: dict[type[models.Model], str] = {}

_OLD = "_street_versions_before"  # the streets a row belonged to before this save/delete


def bump(street_ids: Iterable[int | None]) -> None:
    """Raise the version of each street, in the caller's transaction."""
    ids = sorted({int(i) for i in street_ids if i is not None})
    if not ids:
        return
    with transaction.atomic():
        rows = StreetDataVersion.objects.filter(street_id__in=ids)
        if rows.update(version=F("version") + 1) == len(ids):
            return
        have = set(rows.values_list("street_id", flat=True))
        missing = [i for i in ids if i not in have]
        # Only streets that exist (a street being deleted has no row to raise), at 0, then
        # raised: a concurrent creator's row wins the insert and both increments count.
        exist = Street.objects.filter(pk__in=missing).values_list("pk", flat=True)
        StreetDataVersion.objects.bulk_create(
            [StreetDataVersion(street_id=i) for i in exist], ignore_conflicts=True
        )
        StreetDataVersion.objects.filter(street_id__in=missing).update(version=F("version") + 1)


def bump_all() -> None:
    """Every street's version (a write whose streets are not worth finding: a whole import)."""
    bump(Street.objects.values_list("pk", flat=True))


def state_of(pairs: Iterable[tuple[int, int | None]]) -> str:
    """A digest of (street id, version) pairs: it changes when a street joins or leaves the
    set, or has its version raised (None: a street never written)."""
    return hashlib.sha1(repr(sorted(pairs)).encode()).hexdigest()


def state(streets: QuerySet[Street]) -> str:
    """state_of the streets with their versions, read in one query."""
    return state_of(streets.values_list("pk", "data_version__version"))


def versions(street_ids: Iterable[int]) -> dict[int, int]:
    """{street id: version}, read from the database in one query (0: never written)."""
    ids = sorted(set(street_ids))
    found = dict(
        StreetDataVersion.objects.filter(street_id__in=ids).values_list("street_id", "version")
    )
    return {i: found.get(i, 0) for i in ids}


def streets_of(model: type[models.Model], pks: Iterable[object]) -> set[int]:
    """The streets the rows `pks` of a registered model belong to, as stored now."""
    pks = [pk for pk in pks if pk is not None]
    if not pks:
        return set()
    out: set[int] = set()
    for row in model._base_manager.filter(pk__in=pks).values_list(*REGISTRY[model]):
        out.update(v for v in row if v is not None)
    return out


def register(model: type[models.Model], *paths: str) -> None:
    """Writes of `model` bump the streets reached by `paths` ("pk" for Street itself)."""
    REGISTRY[model] = paths
    uid = f"street-version-{model._meta.label}"
    pre_save.connect(_before, sender=model, dispatch_uid=uid)
    post_save.connect(_after, sender=model, dispatch_uid=uid)
    pre_delete.connect(_before, sender=model, dispatch_uid=uid)
    post_delete.connect(_after, sender=model, dispatch_uid=uid)
    for field in model._meta.many_to_many:
        m2m_changed.connect(_m2m, sender=field.remote_field.through, dispatch_uid=uid)


def not_scored(model: type[models.Model], why: str) -> None:
    NOT_SCORED[model] = why


def _before(sender: type[models.Model], instance: models.Model, **kwargs: object) -> None:
    """Before a save or delete: the streets the row belongs to now (a row may move)."""
    if not kwargs.get("raw"):
        setattr(instance, _OLD, streets_of(sender, [instance.pk]))


def _after(sender: type[models.Model], instance: models.Model, **kwargs: object) -> None:
    """After a save (the row as now stored) or delete: bump the streets before and after."""
    if kwargs.get("raw"):
        return
    old = getattr(instance, _OLD, set())
    now = streets_of(sender, [instance.pk]) if "created" in kwargs else set()
    bump(old | now)


def _m2m(
    sender: type[models.Model],
    instance: models.Model,
    action: str,
    model: type[models.Model],
    pk_set: set[object] | None,
    **_: object,
) -> None:
    """A many-to-many change (activity.teams.set, team.members.add…): the streets of both
    ends (before a clear: of the rows being cleared)."""
    owner = type(instance)
    if action == "pre_clear":
        mine, theirs = _ends(sender, owner, model)
        pks = sender._base_manager.filter(**{mine: instance.pk}).values_list(theirs, flat=True)
        setattr(instance, _OLD, _streets(owner, [instance.pk]) | _streets(model, list(pks)))
    elif action == "post_clear":
        bump(getattr(instance, _OLD, set()))
    elif action in ("post_add", "post_remove"):
        bump(_streets(owner, [instance.pk]) | _streets(model, pk_set or ()))


def _ends(through: type[models.Model], owner: type[models.Model], model: type[models.Model]):
    """The through table's columns pointing at the owner and at the other model."""
    fks = [f for f in through._meta.fields if f.is_relation]
    mine = next(f.attname for f in fks if f.related_model is owner)
    theirs = next(f.attname for f in fks if f.related_model is model and f.attname != mine)
    return mine, theirs


def _streets(model: type[models.Model], pks: Iterable[object]) -> set[int]:
    return streets_of(model, pks) if model in REGISTRY else set()


register(Street, "pk")
