"""Import of the standard workbook (workbook.md): validate everything, preview, apply.

    parsed = parse_workbook(file)      # every error of the whole workbook; nothing written
    if parsed.ok:
        preview(parsed)                # {sheet: Counts} against the database; nothing written
        apply(parsed)                  # the same counts, written in one transaction

A browser preview page reuses exactly these calls. The file is streamed with openpyxl's
read-only mode (reader.py); the database is read a few queries per sheet (snapshot.py),
never once per row, and only changed records are written (plan.py).
"""

from __future__ import annotations

from django.db import IntegrityError, connection, transaction

from communities import versions
from portal import integrity
from service import services as service_hours
from teams.models import Volunteer

from .checks import check, locked_rows
from .data import Counts, Parsed, Row, RowError, WorkbookRejected
from .plan import make_plan, write_plan
from .reader import FileArg, read
from .snapshot import Snapshot

__all__ = [
    "Counts",
    "Parsed",
    "Row",
    "RowError",
    "WorkbookRejected",
    "apply",
    "parse_workbook",
    "preview",
]


def parse_workbook(file: FileArg) -> Parsed:
    """Read and validate the whole workbook; every problem found is in `errors`."""
    parsed = read(file)
    if not parsed.refused:
        parsed.errors.extend(check(parsed, Snapshot(parsed.streets())))
    return parsed


def preview(parsed: Parsed) -> dict[str, Counts]:
    """What apply() would do, per sheet, computed against the database without writing."""
    _require_ok(parsed)
    snapshot = Snapshot(parsed.streets())
    _raise_if(check(parsed, snapshot))
    plan = make_plan(parsed, snapshot)
    _raise_if(locked_rows(plan.works, snapshot))
    return plan.counts


def apply(parsed: Parsed) -> dict[str, Counts]:
    """Write the workbook in one transaction, all or nothing, and return the counts."""
    _require_ok(parsed)
    try:
        with transaction.atomic():
            _one_import_at_a_time()
            # Checked again inside the transaction: the database may have changed since
            # parsing (a browser preview and its confirmation are two requests).
            snapshot = Snapshot(parsed.streets())
            _raise_if(check(parsed, snapshot))
            plan = make_plan(parsed, snapshot)
            _raise_if(locked_rows(plan.works, snapshot))
            write_plan(plan, snapshot)
            _service_hours(parsed)
            versions.bump_all()  # bulk writes and COPY send no signal: every street's scores
    except IntegrityError as error:
        # A constraint the checks could not see (a record written meanwhile): rolled back.
        reason = f"{integrity.explain(error)}（未导入任何数据）"
        raise WorkbookRejected([RowError("", None, "", reason)]) from None
    return plan.counts


def _service_hours(parsed: Parsed) -> None:
    """The 服务时长 column is each volunteer's total: what their service entries do not
    explain is kept as the labelled opening balance (service.services), and every total
    of the streets is brought back to its entries (an imported activity status moves them)."""
    declared = {
        (r.values["street"], r.values["person_code"]): r.values["service_hours"]
        for r in parsed.rows.get("志愿者", ())
        if "service_hours" in r.values
    }
    streets = parsed.streets()
    volunteers = Volunteer.objects.filter(person__street__name__in=streets).values_list(
        "pk", "person__street__name", "person__code", "person_id"
    )
    by_key = {(street, code): (pk, person) for pk, street, code, person in volunteers}
    service_hours.sync_declared_totals(
        {by_key[k][0]: hours for k, hours in declared.items() if k in by_key},
        also_refresh=(person for _pk, person in by_key.values()),
    )


# Any fixed number, the same in every process: the PostgreSQL advisory lock of imports.
IMPORT_LOCK_KEY = 7_370_001
BUSY_MESSAGE = "另一项导入正在进行，本次未导入任何数据；请等它完成后再导入。"


def _one_import_at_a_time() -> None:
    """Refuse an import while another one is writing (a command, a worker, or both).

    Two imports planned from the same snapshot would each write only what differs from it,
    leaving a mix of both workbooks. On PostgreSQL a transaction-level advisory lock refuses
    the second; SQLite has a single writer (transactions begin IMMEDIATE), so there the
    second waits for the first and plans against what it wrote (or, past the busy timeout,
    fails with "database is locked" and writes nothing).
    """
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [IMPORT_LOCK_KEY])
        if not cursor.fetchone()[0]:
            raise WorkbookRejected([RowError("", None, "", BUSY_MESSAGE)])


def _require_ok(parsed: Parsed) -> None:
    if not parsed.ok:
        raise WorkbookRejected(parsed.errors)


def _raise_if(errors: list[RowError]) -> None:
    if errors:
        raise WorkbookRejected(errors)
