"""The result types of an import, shared by the reader, the checks, the plan and callers."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from .schema import FITNESS_PATH, PERSON_SHEETS, Sheet


@dataclass(frozen=True)
class RowError:
    """One problem, located by sheet, Excel row number and column header (any may be empty)."""

    sheet: str
    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        where = ""
        if self.sheet:
            where += f"工作表「{self.sheet}」"
        if self.row:
            where += f"第{self.row}行"
        if self.column:
            where += f"「{self.column}」"
        return f"{where or '工作簿'}：{self.message}"


class Counts(NamedTuple):
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass(slots=True)  # a workbook holds 100,000 of them: no __dict__ each
class Row:
    number: int  # the Excel row number
    # Column key → value, only for the columns present in the sheet: a missing optional
    # column leaves existing records alone, a blank cell is present and means its blank value.
    values: dict[str, Any]


@dataclass
class Parsed:
    rows: dict[str, list[Row]] = field(default_factory=dict)  # sheet name → rows, schema order
    errors: list[RowError] = field(default_factory=list)
    refused: bool = False  # the file itself was refused; no row was read

    @property
    def ok(self) -> bool:
        return not self.errors

    def streets(self) -> set[str]:
        return {
            r.values["street"]
            for rows in self.rows.values()
            for r in rows
            if r.values.get("street")
        }

    def person_rows(self) -> Iterator[tuple[str, Row]]:
        for name in PERSON_SHEETS:
            for row in self.rows.get(name, ()):
                yield name, row


class WorkbookRejected(Exception):
    """The workbook (or the database it refers to) does not allow the import."""

    def __init__(self, errors: list[RowError]) -> None:
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


def default_sets(values: dict[str, Any]) -> int:
    """A blank 数量(套): one set for a 健身路径, none for anything else."""
    return 1 if values.get("kind") == FITNESS_PATH else 0


def full_values(sheet: Sheet, values: dict[str, Any]) -> dict[str, Any]:
    """The row's values with missing columns filled as blanks, to create a new record."""
    full = {c.key: c.blank for c in sheet.columns} | values
    if "sets" in sheet.column_by_key and "sets" not in values:
        full["sets"] = default_sets(full)
    return full
