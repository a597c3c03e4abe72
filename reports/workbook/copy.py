"""Creating an import's new records with their history rows, by COPY on PostgreSQL.

bulk_create_with_history spent two thirds of a 116,125-row import building INSERT statements:
every value prepared by Django's compiler, then quoted into the SQL text by psycopg (arrays of
values, client-side), twice per record (the record and its history row). On PostgreSQL this
takes the ids from the table's sequence first (one query), then streams the records and
their history rows with COPY … FROM STDIN. Everything stays in the import's transaction: a
failure rolls it back whole, as before (the sequence values taken are simply skipped, as a
rolled-back INSERT skips them).

The history rows are those simple_history's bulk_history_create writes: every tracked field,
history_date, history_type "+", the change reason and the default history user. A model
this does not know how to copy (a database default, extra historical fields) and every other
database go through bulk_create_with_history unchanged.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from operator import attrgetter
from typing import Any

from django.db import connection, connections
from django.db.models import NOT_PROVIDED, DateField, Field, Model
from simple_history.utils import bulk_create_with_history

from .snapshot import chunks

WRITE_CHUNK = 2000  # objects per bulk call on other databases: bounds their history rows
_HISTORY_OWN = {"history_id", "history_date", "history_change_reason", "history_type"}


def create_with_history(
    model: type[Model], objects: list[Model], when: datetime, reason: str
) -> list[Model]:
    """Insert the objects (pk set on each) and one "+" history row each; returns them."""
    if not objects:
        return []
    if connection.vendor != "postgresql" or not _copyable(model):
        created: list[Model] = []
        for batch in chunks(objects, WRITE_CHUNK):
            created += bulk_create_with_history(
                batch, model, batch_size=500, default_change_reason=reason, default_date=when
            )
        return created
    fields = list(model._meta.concrete_fields)
    prepare = _RowPreparer(fields)
    history = model.history.model
    user = history.get_default_history_user(objects[0])
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [model._meta.db_table, model._meta.pk.column, len(objects)],
        )
        ids = [row[0] for row in cursor.fetchall()]
        rows = []
        for obj, pk in zip(objects, ids, strict=True):
            obj.pk = pk
            obj._state.adding = False
            obj._state.db = connection.alias
            rows.append(prepare(obj))
        _copy(cursor, model._meta.db_table, [f.column for f in fields], rows)
        position = {f.attname: i for i, f in enumerate(fields)}
        tracked = [position[f.attname] for f in history.tracked_fields]
        columns = [history._meta.get_field(f.attname).column for f in history.tracked_fields]
        columns += ["history_date", "history_change_reason", "history_type", "history_user_id"]
        user_id = user.pk if user is not None else None
        extra = (when, reason, "+", user_id)
        _copy(
            cursor,
            history._meta.db_table,
            columns,
            ([row[i] for i in tracked] + list(extra) for row in rows),
        )
    return objects


class _RowPreparer:
    """An object's values as bulk_create would send them (pre_save, get_db_prep_save).

    Preparing 1.7 million values one by one through Django's field methods was a fifth of a
    116,125-row import. Most values are sent as they are (a str for a CharField, an int for
    an IntegerField or a foreign key, a date, a bool, None), so a column learns which value
    types its field prepares as the very same object and passes those through; any other
    type, and every field with its own pre_save (auto_now dates, files), goes through
    Django's methods each time. A field prepares all values of one type alike, so the first
    value of a type decides for the rest.
    """

    def __init__(self, fields: Sequence[Field]) -> None:
        self._conn = connections[connection.alias]  # the wrapper itself, not the proxy
        self._fields = list(fields)
        self._values = attrgetter(*(f.attname for f in fields))
        self._own_pre_save = {i for i, f in enumerate(fields) if _needs_pre_save(f)}
        self._as_is: list[set[type]] = [set() for _ in fields]

    def __call__(self, obj: Model) -> list[Any]:
        row = list(self._values(obj)) if len(self._fields) > 1 else [self._values(obj)]
        for i, value in enumerate(row):
            if type(value) in self._as_is[i]:
                continue
            field = self._fields[i]
            if i in self._own_pre_save:
                row[i] = field.get_db_prep_save(field.pre_save(obj, True), self._conn)
                continue
            prepared = field.get_db_prep_save(value, self._conn)
            if prepared is value:
                self._as_is[i].add(type(value))
            row[i] = prepared
        return row


def _needs_pre_save(field: Field) -> bool:
    """Whether the field's pre_save does more than read the attribute (a date set on save,
    a file committed to storage)."""
    if type(field).pre_save is Field.pre_save:
        return False
    if isinstance(field, DateField):  # DateTimeField too: its pre_save is only auto_now
        return bool(field.auto_now or field.auto_now_add)
    return True


def _copy(cursor: Any, table: str, columns: Sequence[str], rows: Iterable[list[Any]]) -> None:
    quote = connection.ops.quote_name
    sql = f"COPY {quote(table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN"
    # psycopg's own cursor: its errors are turned into Django's (IntegrityError and the rest),
    # so a constraint met by a copied row is answered like one met by an INSERT.
    with connection.wrap_database_errors, cursor.cursor.copy(sql) as copy:
        for row in rows:
            copy.write_row(row)


def _copyable(model: type[Model]) -> bool:
    """Whether the record and its history row are fully described by what this writes."""
    if model._meta.auto_field is None:  # ids come from the table's sequence
        return False
    if any(f.db_default is not NOT_PROVIDED for f in model._meta.concrete_fields):
        return False
    history = getattr(model, "history", None)
    if history is None:
        return False
    historical = history.model
    covered = {f.attname for f in historical.tracked_fields} | _HISTORY_OWN | {"history_user_id"}
    return {f.attname for f in historical._meta.concrete_fields} <= covered and not hasattr(
        historical, "history_relation"
    )
