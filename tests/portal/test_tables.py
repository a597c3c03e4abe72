"""The base table's columns: dates rendered in Python as YYYY-MM-DD (local time for a
date-time), the default for an empty cell, and tables2's per-cell signature look-up
answered from a cache that gives what inspect gives."""

from __future__ import annotations

import datetime as dt

import django_tables2 as tables
from django.test import RequestFactory, override_settings
from django_tables2 import utils as tables_utils

from portal.tables import EMPTY, IsoDateColumn, IsoDateTimeColumn, PortalTable


class _Table(PortalTable):
    day = IsoDateColumn(empty_values=())
    moment = IsoDateTimeColumn()

    class Meta(PortalTable.Meta):
        template_name = "django_tables2/table.html"


def _cells(rows: list[dict]) -> list[tuple[str, str]]:
    table = _Table(rows)
    table.request = RequestFactory().get("/")
    return [(row.get_cell("day"), row.get_cell("moment")) for row in table.rows]


@override_settings(TIME_ZONE="Asia/Shanghai", USE_TZ=True)
def test_dates_are_iso_and_date_times_local():
    utc_evening = dt.datetime(2026, 3, 31, 17, 5, tzinfo=dt.UTC)  # 01:05 the next day in Beijing
    assert _cells([{"day": dt.date(2026, 3, 9), "moment": utc_evening}]) == [
        ("2026-03-09", "2026-04-01 01:05")
    ]


def test_an_empty_date_shows_the_default_even_where_empty_values_are_rendered():
    assert _cells([{"day": None, "moment": None}]) == [(EMPTY, EMPTY)]


class _Column(tables.Column):
    def render(self, value, record):
        return value


def test_the_cached_signature_is_inspects_for_functions_and_bound_methods():
    original = tables_utils.signature.__wrapped__  # type: ignore[attr-defined]

    def plain(value, *args, record=None, **rest):
        return value

    bound = _Column().render
    for fn in (plain, bound, _Column.render, bound):
        assert tables_utils.signature(fn) == original(fn)
    assert tables_utils.signature(bound) == (("value", "record"), None)
    assert tables_utils.signature(_Column.render) == (("self", "value", "record"), None)
