"""An IntegrityError the database raised, told to the user in Chinese.

Every CheckConstraint and UniqueConstraint of the portal carries a Chinese
`violation_error_message` (tests/test_constraint_messages.py), which forms show when they
validate. A violation can still reach the database past the forms — two people saving at
the same moment, an import whose rows met a record written meanwhile — and the database
then names the constraint (PostgreSQL: `constraint "facility_unique_name"`, SQLite:
`CHECK constraint failed: facility_area_not_negative`) or, for a unique one on SQLite, its
columns (`UNIQUE constraint failed: facilities_facility.community_id, …`). `explain(error)`
finds the model and constraint and returns its message, prefixed by the record kind.
"""

from __future__ import annotations

import re
from functools import cache

from django.apps import apps
from django.db import IntegrityError
from django.db.models import BaseConstraint, Model, UniqueConstraint

FALLBACK = "与已有记录冲突（可能有人同时修改了同一条记录），未保存任何内容；请刷新页面后重试。"
NOT_NULL = "有必填的内容为空，未保存任何内容；请检查后重试。"
FOREIGN_KEY = "引用的记录已不存在（可能刚被他人删除），未保存任何内容；请刷新页面后重试。"

_SQLITE_UNIQUE = re.compile(r"UNIQUE constraint failed: (.+)$")
_PG_KEY = re.compile(r"Key \((.+?)\)=")
_QUOTED = re.compile(r'"(\w+)"')


@cache
def _constraints() -> dict[str, tuple[type[Model], BaseConstraint]]:
    return {
        constraint.name: (model, constraint)
        for model in apps.get_models()
        for constraint in model._meta.constraints
        if constraint.name
    }


@cache
def _models_by_table() -> dict[str, type[Model]]:
    return {model._meta.db_table: model for model in apps.get_models()}


def _message(model: type[Model], text: str) -> str:
    return f"{model._meta.verbose_name}：{text}"


def _by_columns(table: str, columns: list[str]) -> str | None:
    """The message of the unique constraint (or unique field) over these columns."""
    model = _models_by_table().get(table)
    if model is None:
        return None
    wanted = set(columns)
    for constraint in model._meta.constraints:
        if isinstance(constraint, UniqueConstraint) and constraint.fields:
            names = {model._meta.get_field(f).column for f in constraint.fields}
            if names == wanted:
                return _message(model, constraint.get_violation_error_message())
    if len(columns) == 1:
        for field in model._meta.concrete_fields:
            if field.column == columns[0] and field.unique:
                return _message(model, f"{field.verbose_name}已被使用，不能重复。")
    return None


def explain(error: IntegrityError) -> str:
    """A Chinese sentence for the violated constraint; FALLBACK when it cannot be named."""
    text = str(error)
    cause = getattr(error, "__cause__", None)
    diag = getattr(cause, "diag", None)
    names = [getattr(diag, "constraint_name", None), *_QUOTED.findall(text)]
    names += [text.rsplit(":", 1)[-1].strip()] if "CHECK constraint failed" in text else []
    known = _constraints()
    for name in names:
        if name in known:
            model, constraint = known[name]
            return _message(model, constraint.get_violation_error_message())
    if match := _SQLITE_UNIQUE.search(text.strip().splitlines()[0]):
        pairs = [part.strip().rsplit(".", 1) for part in match.group(1).split(",")]
        tables = {table for table, _ in pairs}
        if len(tables) == 1:
            found = _by_columns(tables.pop(), [column for _, column in pairs])
            if found:
                return found
    table = getattr(diag, "table_name", None)
    if table and (match := _PG_KEY.search(text)):
        found = _by_columns(table, [c.strip() for c in match.group(1).split(",")])
        if found:
            return found
    lowered = text.lower()
    if "not null" in lowered:
        return NOT_NULL
    if "foreign key" in lowered:
        return FOREIGN_KEY
    return FALLBACK
