"""Tables of the list pages: the base table, date and phone columns, a capped pager, and
per-row counts that cost only the shown page."""

from __future__ import annotations

import datetime
import types
from collections.abc import Callable
from typing import Any

import django_tables2 as tables
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Count, Model, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import dateformat, timezone
from django.utils.functional import cached_property
from django_tables2 import utils as tables_utils
from django_tables2.columns import library

from .privacy import mask_phone

EMPTY = "—"
PER_PAGE = 25
# The pager counts rows exactly up to this many; beyond it says "超过 100000 条". An exact
# COUNT(*) of a district's 1.5 million activities costs ~60 ms on every page view, and nobody
# pages through 4,000 pages: they filter.
COUNT_CAP = 100_000


class PortalTable(tables.Table):
    """Base of every list table. Subclasses write `class Meta(PortalTable.Meta): model = …`."""

    class Meta:
        template_name = "includes/table.html"
        attrs = {"class": "data-table"}
        empty_text = "没有符合条件的记录。"
        default = EMPTY
        per_page = PER_PAGE


@library.register
class IsoDateColumn(tables.DateColumn):
    """Dates as YYYY-MM-DD whatever the browser's language (house rule); every model
    DateField of every portal table gets this column.

    Rendered in Python: tables2's DateColumn is a TemplateColumn that compiles its template
    once per cell (a tenth of a list page's time)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("format", "Y-m-d")
        self.date_format = kwargs["format"]
        super().__init__(*args, **kwargs)

    def render(self, value: Any, bound_column: Any, **kwargs: Any) -> str:
        # A column with empty_values=() hands over None too; the template showed the default.
        return dateformat.format(value, self.date_format) if value else bound_column.default

    @classmethod
    def from_field(cls, field: Any, **kwargs: Any) -> IsoDateColumn | None:
        if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
            return cls(**kwargs)
        return None


@library.register
class IsoDateTimeColumn(tables.DateTimeColumn):
    """Date and time in local time as YYYY-MM-DD HH:MM, rendered in Python (see above)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("format", "Y-m-d H:i")
        self.date_format = kwargs["format"]
        super().__init__(*args, **kwargs)

    def render(self, value: Any, bound_column: Any, **kwargs: Any) -> str:
        if not value:
            return bound_column.default
        if isinstance(value, datetime.datetime) and timezone.is_aware(value):
            value = timezone.localtime(value)
        return dateformat.format(value, self.date_format)

    @classmethod
    def from_field(cls, field: Any, **kwargs: Any) -> IsoDateTimeColumn | None:
        if isinstance(field, models.DateTimeField):
            return cls(**kwargs)
        return None


class PhoneColumn(tables.Column):
    """A phone number, masked on screen and in the Excel export alike."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("orderable", False)
        super().__init__(*args, **kwargs)

    def render(self, value: str) -> str:
        return mask_phone(value)


class CappedPaginator(Paginator):
    """A paginator whose count stops at COUNT_CAP (`capped` then says so); pages up to the
    cap work as usual. Under a tables2 table, `object_list` is its BoundRows; the queryset
    under them is counted with a LIMIT, so the database stops at COUNT_CAP + 1 rows."""

    capped = False

    @cached_property
    def count(self) -> int:
        queryset = getattr(getattr(self.object_list, "data", None), "data", None)
        if not isinstance(queryset, QuerySet):
            return len(self.object_list)
        n = queryset.order_by().values("pk")[: COUNT_CAP + 1].count()
        self.capped = n > COUNT_CAP
        return min(n, COUNT_CAP)


def related_count(model: type[Model], fk: str) -> Coalesce:
    """How many `model` rows point at the listed row through `fk`, as a subquery. Unlike
    Count() it needs no GROUP BY over the whole list: a sorted page of a district's 30,000
    teams counts the members of its 25 rows only."""
    rows = (
        model._default_manager.filter(**{fk: OuterRef("pk")})
        .order_by()
        .values(fk)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows), 0)


def _cached_signatures(
    original: Callable[[Callable[..., Any]], tuple[tuple[str, ...], str | None]],
) -> Callable[[Callable[..., Any]], tuple[tuple[str, ...], str | None]]:
    """tables2 inspects the signature of a column's render method for every cell it draws
    (inspect.signature: a tenth of a list page's time). A function's signature does not
    change, so it is worked out once per function, bound or not. Other callables (partials,
    callable objects) are inspected as before, so nothing made per request is kept."""
    cache: dict[tuple[object, bool], tuple[tuple[str, ...], str | None]] = {}

    def signature(fn: Callable[..., Any]) -> tuple[tuple[str, ...], str | None]:
        func = getattr(fn, "__func__", fn)
        if not isinstance(func, types.FunctionType):
            return original(fn)
        key = (func, func is not fn)
        if key not in cache:
            cache[key] = original(fn)
        return cache[key]

    signature.__wrapped__ = original  # type: ignore[attr-defined]
    return signature


tables_utils.signature = _cached_signatures(tables_utils.signature)
