"""Rules that cross rows, sheets or the database (workbook.md, "Rules that cross rows")."""

from __future__ import annotations

from collections import defaultdict

from reporting import locks

from .data import Parsed, Row, RowError
from .schema import SHEET_BY_NAME, Sheet
from .snapshot import Snapshot


def check(parsed: Parsed, snapshot: Snapshot) -> list[RowError]:
    errors: list[RowError] = []
    errors += _duplicates(parsed)
    communities = snapshot.keys("community") | {
        _community(r) for r in parsed.rows.get("社区", ()) if _has(r, "street", "community")
    }
    errors += _references(parsed, snapshot, communities)
    errors += _person_names(parsed)
    return errors


def _has(row: Row, *keys: str) -> bool:
    return all(row.values.get(k) not in (None, "") for k in keys)


def _community(row: Row) -> tuple[str, str]:
    return row.values["street"], row.values["community"]


def _duplicates(parsed: Parsed) -> list[RowError]:
    errors = []
    for name, rows in parsed.rows.items():
        sheet = SHEET_BY_NAME[name]
        first: dict[tuple, int] = {}
        for row in rows:
            if not _has(row, *sheet.key):
                continue  # the missing key cell is reported already
            key = tuple(row.values[k] for k in sheet.key)
            if key in first:
                errors.append(
                    RowError(
                        name,
                        row.number,
                        sheet.key_label,
                        f"与第{first[key]}行重复（{sheet.key_label}相同）",
                    )
                )
            else:
                first[key] = row.number
    return errors


def _references(parsed: Parsed, snapshot: Snapshot, communities: set[tuple]) -> list[RowError]:
    errors = []
    teams = snapshot.keys("team") | {
        _community(r) + (r.values["name"],)
        for r in parsed.rows.get("团队", ())
        if _has(r, "street", "community", "name")
    }
    brands = snapshot.keys("brand") | {
        _community(r) + (r.values["name"],)
        for r in parsed.rows.get("品牌", ())
        if _has(r, "street", "community", "name")
    }
    names_in_street: dict[str, set[str]] = defaultdict(set)
    for street, community in communities:
        names_in_street[street].add(community)

    for name, rows in parsed.rows.items():
        sheet = SHEET_BY_NAME[name]
        for row in rows:
            if not _has(row, "street", "community"):
                continue
            street, community = _community(row)
            values = row.values
            if (street, community) not in communities:
                errors.append(
                    _at(
                        sheet,
                        row,
                        "community",
                        f"社区「{community}」（{street}）不在「社区」工作表中，系统中也没有",
                    )
                )
                continue
            if values.get("team") and (street, community, values["team"]) not in teams:
                errors.append(
                    _at(
                        sheet,
                        row,
                        "team",
                        f"团队「{values['team']}」在本社区不存在（「团队」工作表和系统中都没有）",
                    )
                )
            if values.get("brand") and (street, community, values["brand"]) not in brands:
                errors.append(
                    _at(
                        sheet,
                        row,
                        "brand",
                        f"「{values['brand']}」不是本社区的品牌（「品牌」工作表和系统中都没有）",
                    )
                )
            for partner in values.get("partners") or ():
                if partner != community and partner not in names_in_street[street]:
                    errors.append(
                        _at(sheet, row, "partners", f"走亲社区「{partner}」在{street}不存在")
                    )
    return errors


def _at(sheet: Sheet, row: Row, key: str, message: str) -> RowError:
    return RowError(sheet.name, row.number, sheet.column_by_key[key].header, message)


def _person_names(parsed: Parsed) -> list[RowError]:
    """One 人员编号 is one person in a street: every row must give the same 姓名."""
    errors = []
    first: dict[tuple[str, str], tuple[str, int, str]] = {}
    for name, row in parsed.person_rows():
        if not _has(row, "street", "person_code", "person_name"):
            continue
        key = (row.values["street"], row.values["person_code"])
        person = row.values["person_name"]
        if key not in first:
            first[key] = (name, row.number, person)
            continue
        sheet, number, seen = first[key]
        if seen != person:
            header = SHEET_BY_NAME[name].column_by_key["person_name"].header
            errors.append(
                RowError(
                    name,
                    row.number,
                    header,
                    f"人员编号「{key[1]}」在工作表「{sheet}」第{number}行的姓名是「{seen}」，"
                    f"与此处「{person}」不一致",
                )
            )
    return errors


def locked_rows(works: list, snapshot: Snapshot) -> list[RowError]:
    """Rows that would create or change a dated record in a period the street approved.

    Unchanged rows pass (a workbook exported and imported again touches nothing); the
    approved periods are read in one query.
    """
    dated = [
        (work.target.sheet, row)
        for work in works
        for row in work.touched
        if "date" in SHEET_BY_NAME[work.target.sheet].column_by_key
    ]
    if not dated:
        return []
    communities = snapshot.by_key["community"]
    ranges = locks.approved_ranges(c.pk for c in communities.values())
    errors = []
    for name, row in dated:
        community = communities.get(_community(row))
        if community is None:
            continue  # a community new in this workbook has no approved period
        message = locks.message_in(ranges.get(community.pk, []), row.values.get("date"))
        if message:
            errors.append(_at(SHEET_BY_NAME[name], row, "date", f"{message}（该行未导入）"))
    return errors
