"""Export of the standard workbook, and the blank template.

The export writes exactly the format the importer reads (schema.py), one row per record,
ordered by natural key and streamed by portal/xlsx.py (openpyxl took 18 of the 20 s that 116,125
rows took), so that an exported workbook imports back with every sheet unchanged. The
caller passes the scope (the communities a user may see, or a street), so the browser
export reuses this unchanged. The blank template, a few hundred cells, uses openpyxl.
"""

from __future__ import annotations

import io
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import partial
from itertools import chain, islice
from typing import IO, Any

from django.db import connection, transaction
from django.db.models import Model, QuerySet
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from activities.models import Activity, ActivityPartner, Brand
from communities.models import (
    Award,
    Community,
    Deduction,
    Population,
    StarRating,
    StarTarget,
    Street,
)
from facilities.models import Facility, UpgradeProject
from portal.pipeline import pipelined
from portal.privacy import mask_phone
from portal.xlsx import MAX_ROWS, StreamingWorkbook, TooManyRows
from teams.models import Cadre, Certificate, Team, TeamHonour, TeamMember, Volunteer

from .schema import EXPLANATION_SHEET, GENERAL_RULES, SHEETS, Kind, Sheet, SheetColumn, describe

Scope = QuerySet[Community] | Iterable[int] | Street | None

_C = ("community__street__name", "community__name")
_T = ("team__community__street__name", "team__community__name", "team__name")
_PARTNERS = "id"  # the activity id stands in the 走亲社区 column until replaced by names

# sheet → (model, path to Community, values in column order, natural-key order)
SOURCES: dict[str, tuple[type[Model], str, tuple[str, ...], tuple[str, ...]]] = {
    "社区": (
        Population,
        "community",
        (*_C, "year", "residents", "households", "community__kind"),
        (*_C, "year"),
    ),
    "设施": (
        Facility,
        "community",
        (
            *_C,
            "name",
            "kind",
            "area",
            "sets",
            "status",
            "opened_on",
            "ownership",
            "partner_unit",
            "free_open",
        ),
        (*_C, "name"),
    ),
    "提升工程": (
        UpgradeProject,
        "community",
        (*_C, "name", "planned_year", "status", "completed_on", "investment"),
        (*_C, "name"),
    ),
    "团队": (
        Team,
        "community",
        (*_C, "name", "category", "project", "leader", "phone", "founded_on", "dissolved_on"),
        (*_C, "name"),
    ),
    "团队荣誉": (
        TeamHonour,
        "team__community",
        (*_T, "year", "title", "awarded_by"),
        (*_T, "year", "title"),
    ),
    "团队成员": (
        TeamMember,
        "team__community",
        (
            *_T,
            "person__code",
            "person__name",
            "person__gender",
            "person__birth_year",
            "person__phone",
            "joined_on",
        ),
        (*_T, "person__code"),
    ),
    "志愿者": (
        Volunteer,
        "community",
        (
            *_C,
            "person__code",
            "person__name",
            "person__gender",
            "person__phone",
            "registered_on",
            "left_on",
            "service_hours",
        ),
        ("community__street__name", "person__code"),
    ),
    "社会体育指导员": (
        Certificate,
        "community",
        (
            *_C,
            "person__code",
            "person__name",
            "person__gender",
            "level",
            "number",
            "issued_on",
            "expires_on",
            "sport",
        ),
        ("number",),
    ),
    "文体干部": (
        Cadre,
        "community",
        (*_C, "person__code", "person__name", "post", "appointed_on", "left_on"),
        (*_C, "person__code", "post", "appointed_on"),
    ),
    "活动": (
        Activity,
        "community",
        (
            *_C,
            "name",
            "date",
            "category",
            "form",
            "scale",
            "is_exchange",
            _PARTNERS,
            "participants",
            "status",
            "has_plan",
            "has_arrangement",
            "has_material",
            "has_image",
            "has_summary",
            "brand__name",
        ),
        (*_C, "name", "date"),
    ),
    "品牌": (
        Brand,
        "community",
        (*_C, "name", "category", "recognised_year", "recognised_by", "revoked_year"),
        (*_C, "name"),
    ),
    "星级评定": (
        StarRating,
        "community",
        (*_C, "year", "stars", "rated_by"),
        (*_C, "year", "stars"),
    ),
    "星级目标": (StarTarget, "community", (*_C, "year", "stars"), (*_C, "year")),
    "获奖": (Award, "community", (*_C, "year", "name", "level"), (*_C, "year", "name")),
    "扣分": (
        Deduction,
        "community",
        (*_C, "year", "item", "points", "veto"),
        (*_C, "year", "item"),
    ),
}

HEADER_FONT = Font(bold=True)
# zlib level 1: about a third of level 6's time for a file about a fifth larger (measured
# in benchmarks/RESULTS.md); the export is written once and read once.
COMPRESSION = 1
BATCH = 2000  # rows handed from the database to the writer at a time (the fetch size)
# Batches queued between the threads. A sheet ordered by street first with more rows than
# that a street, on average, is read a street at a time: each street's query (PostgreSQL
# sorts before the first row) then runs while the writer still has the previous street's
# queued rows to write, instead of all of a large sheet's sorting at once while the writer
# waits (the city's 75k activities: first rows after 0.10 s instead of 0.32 s). Fewer rows a
# street would not pay for the queries (a street's volunteers cost as much to find as all).
QUEUED = 4


# Texts read from PostgreSQL as UTF-8 bytes (_reading); False: as str, like SQLite's.
TEXTS_AS_BYTES = True

# PIPL: phone numbers go out masked (138****5678) unless the caller asks for full numbers
# (privacy: a role that may reveal, with a reason, logged). A masked number imports back as
# "unchanged" (plan.py), so a masked export still round-trips.
PHONE_KEYS = frozenset({"phone", "person_phone"})


def export_workbook(
    target: str | os.PathLike | IO[bytes], scope: Scope = None, *, full_phones: bool = False
) -> None:
    """Write every sheet for the communities in scope (None: every street) to `target`."""
    communities = _community_ids(scope)
    with _reading() as as_bytes:
        sizes = {sheet.name: _rows(sheet, communities).count() for sheet in SHEETS}
        for sheet in SHEETS:  # refuse before writing anything, not a million rows later
            if sizes[sheet.name] >= MAX_ROWS:
                raise TooManyRows(
                    f"工作表“{sheet.name}”超过 Excel 每表 {MAX_ROWS:,} 行的上限，请缩小范围（如按街道）分别导出。"
                )
        with StreamingWorkbook(target, compresslevel=COMPRESSION) as book:
            # The database is read in this thread (its connection is this thread's) while
            # another turns the rows into XML and compresses them: PostgreSQL's sorting and
            # sending, and zlib (which releases the GIL), overlap the XML instead of waiting.
            writer = _SheetWriter(book, full_phones, as_bytes)
            pipelined(_batches(communities, sizes), writer, depth=QUEUED)


def texts_as_bytes(server_encoding: str) -> bool:
    """Whether the export reads texts as the database's bytes: only when they are UTF-8
    (what the workbook's XML is written in); any other server encoding is decoded by psycopg
    as usual."""
    return TEXTS_AS_BYTES and server_encoding == "UTF8"


@contextmanager
def _reading() -> Iterator[bool]:
    """The export's transaction, with how PostgreSQL gives the rows inside it; yields whether
    texts come as UTF-8 bytes (True) or as str (SQLite, a server not in UTF-8).

    - Each sheet's server-side cursor (memory flat in rows) is planned for all its rows, not
      to return its first tenth quickly (cursor_tuple_fraction 0.1 chose nested loops that
      took longer over a whole sheet: the city's 116k rows read in 0.86 s instead of 1.03 s).
    - On a UTF-8 server (texts_as_bytes), texts come as the database's bytes, not str:
      client_encoding SQL_ASCII, which psycopg leaves undecoded; portal/xlsx.py writes rows
      of bytes by bytes templates, nothing decoded, nothing encoded again (the export's CPU
      2.0 → 1.7 s).

    Both settings are local to this block's transaction (a savepoint inside a caller's):
    - they cannot outlive it: an error rolls the block back, and the settings with it;
    - on success they are put back explicitly, to the values read before, so that a caller's
      transaction that goes on (a request's, a job's) reads as it did before, its own
      settings included, not the server's defaults.
    """
    with transaction.atomic():
        if connection.vendor != "postgresql":
            yield False
            return
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT current_setting('server_encoding'), current_setting('client_encoding'),"
                " current_setting('cursor_tuple_fraction')"
            )
            server_encoding, client_encoding, fraction = cursor.fetchone()
            as_bytes = texts_as_bytes(server_encoding)
            _set_local(cursor, "cursor_tuple_fraction", "1")
            if as_bytes:
                _set_local(cursor, "client_encoding", "SQL_ASCII")
        yield as_bytes  # an error leaves through the atomic block: rolled back, settings too
        with connection.cursor() as cursor:
            _set_local(cursor, "client_encoding", client_encoding)
            _set_local(cursor, "cursor_tuple_fraction", fraction)


def _set_local(cursor: Any, name: str, value: str) -> None:
    """SET LOCAL name = value (set_config: the value as a parameter, not in the SQL)."""
    cursor.execute("SELECT set_config(%s, %s, true)", [name, value])


def _batches(
    communities: QuerySet | list[int] | None, sizes: dict[str, int]
) -> Iterator[tuple[Sheet, list[tuple]]]:
    """(sheet, up to BATCH rows) in the order they are written; an empty batch opens a sheet."""
    streets: list[list[int]] | None = None
    for sheet in SHEETS:
        yield sheet, []
        parts: list[Any] = [communities]
        if sizes[sheet.name] > QUEUED * BATCH and SOURCES[sheet.name][3][0].endswith(
            "street__name"
        ):
            streets = _by_street(communities) if streets is None else streets
            if sizes[sheet.name] > QUEUED * BATCH * len(streets):
                parts = streets
        for batch in _records(sheet, communities, parts):
            yield sheet, batch


def _by_street(communities: QuerySet | list[int] | None) -> list[list[int]]:
    """The communities' ids grouped by street, the streets in name order."""
    rows = Community.objects.order_by("street__name").values_list("street_id", "pk")
    if communities is not None:
        rows = rows.filter(pk__in=communities)
    streets: dict[int, list[int]] = {}
    for street, community in rows:
        streets.setdefault(street, []).append(community)
    return list(streets.values())


class _SheetWriter:
    """Consumes _batches: opens each sheet, converts and appends its rows."""

    def __init__(self, book: StreamingWorkbook, full_phones: bool, as_bytes: bool) -> None:
        self.book, self.full_phones, self.as_bytes = book, full_phones, as_bytes
        self.sheet: Sheet | None = None
        self.worksheet: Any = None
        self.converters: list[tuple[int, Callable[[Sequence[Any]], Iterable[Any]]]] | None = None

    def __call__(self, item: tuple[Sheet, list[tuple]]) -> None:
        sheet, rows = item
        if sheet is not self.sheet:
            self.sheet = sheet
            self.worksheet = self.book.add_sheet(sheet.name, sheet.headers)
            self.converters = None
        if not rows:
            return
        if self.converters is None:  # texts as _reading gives them: str, or UTF-8 bytes
            self.converters = _converters(sheet, self.full_phones, self.as_bytes)
        if self.converters:
            # Column by column: each conversion one map over the column.
            columns: list[Any] = list(zip(*rows, strict=True))
            for i, convert in self.converters:
                columns[i] = convert(columns[i])
            rows = list(zip(*columns, strict=True))
        self.worksheet.append_rows(rows)


def blank_template() -> bytes:
    """Headers only, plus a sheet 说明 listing every column's rules and allowed values."""
    book = Workbook(write_only=True)
    for sheet in SHEETS:
        _start(book, sheet)
    notes = book.create_sheet(EXPLANATION_SHEET)
    for width, letter in zip((16, 16, 8, 8, 80), "ABCDE", strict=True):
        notes.column_dimensions[letter].width = width
    notes.append([_bold(notes, "标准数据工作簿填写说明")])
    for rule in GENERAL_RULES:
        notes.append([rule])
    notes.append([])
    notes.append([_bold(notes, h) for h in ("工作表", "列", "必填", "自然键", "格式与允许的值")])
    for sheet in SHEETS:
        label = f"{sheet.name}（必需）" if sheet.required else sheet.name
        for column in sheet.columns:
            notes.append(
                [
                    label,
                    column.header,
                    "是" if column.required else "",
                    "是" if column.key in sheet.key else "",
                    describe(sheet, column),
                ]
            )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _community_ids(scope: Scope) -> QuerySet | list[int] | None:
    if scope is None:
        return None
    if isinstance(scope, Street):
        return Community.objects.filter(street=scope).values("pk")
    if isinstance(scope, QuerySet):
        return scope.values("pk")
    return list(scope)


def _start(book: Workbook, sheet: Sheet) -> Any:
    worksheet = book.create_sheet(sheet.name)
    worksheet.freeze_panes = "A2"
    worksheet.append([_bold(worksheet, h) for h in sheet.headers])
    return worksheet


def _bold(worksheet: Any, text: str) -> Any:
    cell = WriteOnlyCell(worksheet, value=text)
    cell.font = HEADER_FONT
    return cell


def _rows(sheet: Sheet, communities: QuerySet | list[int] | None) -> QuerySet:
    model, path, _fields, _order = SOURCES[sheet.name]
    rows = model._default_manager.all()
    if communities is not None:
        rows = rows.filter(**{f"{path}__in": communities})
    return rows


def _records(
    sheet: Sheet, communities: QuerySet | list[int] | None, parts: list[Any]
) -> Iterator[list[tuple]]:
    """The sheet's rows in natural-key order, BATCH at a time, read with one query for each
    part of the communities (in order: a sheet ordered by street first may be read a street
    at a time, _batches). Texts are str, or UTF-8 bytes on PostgreSQL (_reading)."""
    _model, _path, fields, order = SOURCES[sheet.name]
    rows = chain.from_iterable(
        _rows(sheet, part).order_by(*order).values_list(*fields).iterator(BATCH) for part in parts
    )
    batches = iter(lambda: list(islice(rows, BATCH)), [])
    if sheet.name != "活动":
        yield from batches
        return
    partners = _partner_names(communities)
    position = fields.index(_PARTNERS)
    for batch in batches:  # the activity's id → its partners' names (None: blank)
        columns: list[Any] = list(zip(*batch, strict=True))
        columns[position] = map(partners.get, columns[position])
        yield list(zip(*columns, strict=True))


def _partner_names(communities: QuerySet | list[int] | None) -> dict[int, Any]:
    """Activity id → its partner communities' names, in name order, joined by "、" (texts
    as they are read: str, or UTF-8 bytes)."""
    links = ActivityPartner.objects.order_by("community__name")
    if communities is not None:
        links = links.filter(activity__community__in=communities)
    names: dict[int, list[Any]] = {}
    for activity_id, name in links.values_list("activity_id", "community__name"):
        names.setdefault(activity_id, []).append(name)
    joined = {
        a: (b"\xe3\x80\x81" if type(n[0]) is bytes else "、").join(n) for a, n in names.items()
    }
    return joined


def _converters(
    sheet: Sheet, full_phones: bool, as_bytes: bool = False
) -> list[tuple[int, Callable[[Sequence[Any]], Iterable[Any]]]]:
    """(position, function of the column) for the columns whose stored value is not the
    cell's value: choices (stored value → cell text) and masked phones (走亲社区 are names
    already, _records); texts as str, or as UTF-8 bytes. Worked out once per sheet; the
    other columns cost nothing."""
    out: list[tuple[int, Callable[[Sequence[Any]], Iterable[Any]]]] = []
    for i, column in enumerate(sheet.columns):
        if column.kind == Kind.CHOICE:
            out.append((i, _display(column, as_bytes)))
        elif column.key in PHONE_KEYS and not full_phones:
            out.append((i, partial(map, _mask_bytes if as_bytes else mask_phone)))
    return out


def _mask_bytes(value: bytes | None) -> bytes:
    return mask_phone(value.decode() if value is not None else None).encode()


def _display(column: SheetColumn, as_bytes: bool) -> Callable[[Sequence[Any]], Iterable[Any]]:
    """column.display over a column, as dict lookups (the first text of a value wins, as
    there; None stays None)."""
    texts: dict[Any, Any] = {}
    for text, value in (column.choices or {}).items():
        if value is not None and as_bytes:
            texts.setdefault(value.encode() if isinstance(value, str) else value, text.encode())
        elif value is not None:
            texts.setdefault(value, text)
    return lambda stored: map(texts.get, stored, stored)
