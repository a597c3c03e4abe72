"""Every URL pattern of the project and how to fill its kwargs with records of the world.

ROUTES maps each URL name to the ways its kwargs are filled. A value is
    "facility"      the facility of the place under test (another community's, say)
    "own:facility"  the reader's own facility, to pair an in-scope record with a foreign one
    "=photo"        a literal
Kinds are the keys of conftest.Place.objects. A URL name missing here fails
test_every_url_is_in_the_table: a new page must say how it is reached before it ships.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Model
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from openpyxl import load_workbook

from tests.reports.pdf_util import pdf_text, squash

from .conftest import STREET_LEVEL, Place, World

Fill = dict[str, str]

_CRUD = ("list", "create", "detail", "update", "delete")


def _crud(prefix: str, kind: str) -> dict[str, list[Fill]]:
    return {
        f"{prefix}{suffix}": [{"pk": kind}] if suffix in ("detail", "update", "delete") else [{}]
        for suffix in _CRUD
    }


ROUTES: dict[str, list[Fill]] = {
    "home": [{}],
    "login": [{}],
    "logout": [{}],
    **{
        f"facilities:{k}": v
        for k, v in {
            "list": [{}],
            "create": [{}],
            "detail": [{"pk": "facility"}],
            "update": [{"pk": "facility"}],
            "delete": [{"pk": "facility"}],
            "file": [
                {"pk": "facility", "field": "=photo"},
                {"pk": "facility", "field": "=agreement"},
            ],
            "project_list": [{}],
            "project_create": [{}],
            "project_detail": [{"pk": "project"}],
            "project_update": [{"pk": "project"}],
            "project_delete": [{"pk": "project"}],
        }.items()
    },
    **_crud("teams:", "team"),
    **_crud("teams:person_", "person"),
    **_crud("teams:volunteer_", "volunteer"),
    **_crud("teams:certificate_", "certificate"),
    **_crud("teams:cadre_", "cadre"),
    "activities:list": [{}],
    "activities:create": [{}],
    "activities:queue": [{}],
    "activities:detail": [{"pk": "activity"}],
    "activities:edit": [{"pk": "activity"}],
    "activities:submit": [{"pk": "activity"}],
    "activities:verify": [{"pk": "activity"}],
    "activities:return": [{"pk": "activity"}],
    "activities:reopen": [{"pk": "activity"}],
    "activities:file": [{"pk": "archive"}, {"pk": "archive_doc"}],
    "activities:file_delete": [{"pk": "archive"}],
    "activities:brand_list": [{}],
    "activities:brand_create": [{}],
    "activities:brand_detail": [{"pk": "brand"}],
    "activities:brand_edit": [{"pk": "brand"}],
    "evidence:report": [{}],
    "evidence:explain": [{"pk": "flag"}],
    "delivery:menu": [{}],
    "delivery:provider_list": [{}],
    "delivery:provider_create": [{}],
    "delivery:provider_detail": [{"pk": "provider"}],
    "delivery:provider_edit": [{"pk": "provider"}],
    "delivery:product_list": [{}],
    "delivery:product_create": [{}],
    "delivery:product_detail": [{"pk": "product"}],
    "delivery:product_edit": [{"pk": "product"}],
    "delivery:product_photo": [{"pk": "product"}],
    "delivery:product_publish": [{"pk": "product"}],
    "delivery:product_withdraw": [{"pk": "product"}],
    "delivery:order_create": [{"pk": "product"}],
    "delivery:quotas": [{}],
    "delivery:order_list": [{}],
    "delivery:order_detail": [{"pk": "order"}],
    **{
        f"delivery:order_{a}": [{"pk": "order"}]
        for a in ("confirm", "reschedule", "decline", "cancel", "deliver", "rate")
    },
    "delivery:calendar": [{}],
    "delivery:statistics": [{}],
    # Year cycle (issue 15): the board, calendar, submitting and checking a period; the inbox
    "yearcycle:board": [{}],
    "yearcycle:calendar": [{}],
    "yearcycle:submit": [{"community": "community", "year": "year", "number": "=3"}],
    "yearcycle:submission": [{"pk": "submission"}],
    "yearcycle:approve": [{"pk": "submission"}],
    "yearcycle:return": [{"pk": "submission"}],
    "yearcycle:unlock": [{"pk": "submission"}],
    # Validation rules (issue 15, part 4): the street admin's settings, a period's report
    "checks:settings": [{}],
    "yearcycle:validation": [{"community": "community", "year": "year", "number": "=3"}],
    # 整改 (issue 15 part 5): the list, issuing from a scorecard line, the task and its steps
    "rectification:list": [{}],
    "rectification:issue": [{"indicator": "indicator_result"}],
    "rectification:detail": [{"pk": "rectification"}],
    "rectification:answer": [{"pk": "rectification"}],
    "rectification:return": [{"pk": "rectification"}],
    "rectification:accept": [{"pk": "rectification"}],
    "inbox:list": [{}],
    "inbox:open": [{"pk": "inbox_item"}],
    "inbox:read_all": [{}],
    # 志愿服务 (issue 17)
    "service:home": [{}],
    "service:activity": [{"pk": "activity"}],
    "service:volunteer": [{"pk": "volunteer"}],
    "service:makeups": [{}],
    "service:makeup_decide": [{"pk": "makeup"}],
    "service:makeup_withdraw": [{"pk": "makeup"}],
    "service:levels": [{}],
    "service:inactive": [{}],
    "service:instructors": [{}],
    "service:certificates": [{}],
    "service:certificate": [{"pk": "service_certificate"}],
    "service:check": [{}],
    "pdf:service_certificate": [{"pk": "service_certificate"}],
    "reports:service_certificates": [{}],
    "assessments:index": [{}],
    "assessments:run_create": [{}],
    "assessments:run": [{"pk": "run"}],
    "assessments:run_finalise": [{"pk": "run"}],
    "assessments:run_diff": [
        {"pk": "run", "other": "run_old"},
        {"pk": "own:run", "other": "run_old"},
        {"pk": "run", "other": "own:run_old"},
    ],
    "assessments:result": [{"pk": "result"}],
    "assessments:evidence": [{"pk": "result", "code": "code"}, {"pk": "result", "code": "=bonus"}],
    "assessments:scheme_list": [{}],
    "assessments:scheme": [{"pk": "scheme"}],
    "assessments:scheme_copy": [{"pk": "scheme"}],
    "assessments:scheme_settings": [{"pk": "scheme"}],
    "assessments:scheme_bands": [{"pk": "scheme"}],
    "assessments:manual_indicator_add": [{"pk": "scheme"}],
    "assessments:manual_list": [{"pk": "scheme"}],
    "assessments:indicator_edit": [{"pk": "indicator"}],
    "assessments:indicator_delete": [{"pk": "indicator"}],
    "assessments:manual_score": [
        {"pk": "indicator", "community": "community"},
        {"pk": "own:indicator", "community": "community"},
    ],
    "assessments:manual_file": [{"pk": "score"}],
    "pdf:annual": [{"pk": "run"}],
    "pdf:annual_year": [{"street_id": "street", "year": "year"}],
    "pdf:notice": [
        {"pk": "run", "community_id": "community"},
        {"pk": "own:run", "community_id": "community"},
    ],
    "pdf:yearbook": [{"street_id": "street", "year": "year"}],
    "reports:index": [{}],
    "reports:template": [{}],
    "reports:export": [{}],
    "reports:import": [{}],
    "reports:annual": [{}],
    "reports:notices": [{}],
    "reports:yearbook": [{}],
    "reports:job": [{"pk": "job"}],
    "reports:job_confirm": [{"pk": "job"}],
    "reports:job_cancel": [{"pk": "job"}],
    "reports:job_download": [{"pk": "job"}],
    "accounts:overview": [{}],
    "accounts:otp_setup": [{}],
    "accounts:otp_verify": [{}],
    "accounts:backup_codes": [{}],
    "accounts:password_change": [{}],
    "accounts:users": [{}],
    "accounts:otp_reset": [{"pk": "user"}],
    "accounts:security_log": [{}],
    # Issue 18 part 2: a district admin manages its streets' accounts (b1's user is 乙区's).
    "accounts:district_accounts": [{}],
    "accounts:district_account_create": [{}],
    "accounts:district_account_password": [{"pk": "user"}],
    "accounts:district_account_deactivate": [{"pk": "user"}],
    "dashboard:index": [{}],
    "dashboard:community": [{"pk": "community"}],
    # Issue 18, the district tier (the district is the reader's own; b1 lies in another).
    "district:index": [{}],
    "district:rankings": [{}],
    "district:streets": [{}],
    "district:workbook": [{}],
    "district:white_paper": [{}],
    "district:scheme": [{}],
    # The district's reporting board (issue 15 part 2, for the district operator over streets).
    "district:reporting": [{}],
    "privacy:reveal_person": [{"pk": "person"}],
    "privacy:reveal_team": [{"pk": "team"}],
    "privacy:anonymise": [{"pk": "person"}],
    "privacy:retention": [{}],
    # Search in the top bar (issue 19): no kwargs; tests/security/test_search_scope.py
    # searches for every foreign record's name.
    "search:index": [{}],
    # 使用说明 (issue 19): the same for every reader, nothing of any community.
    "help": [{}],
    "help_role": [{"role": "=street_staff"}, {"role": "=community_admin"}],
    "search:suggest": [{}],
}

# Form fields that point at a record, by their name (a prefix such as "annual-" is ignored),
# and the world kind a forged POST puts there.
REFERENCE_FIELDS = {
    "community": "community",
    "partners": "partner",
    "street": "street",
    "team": "team",
    "teams": "team",
    "person": "person",
    "location": "facility",
    "brand": "brand",
    "volunteer": "volunteer",
    "activity": "activity",
    "run": "run",
    "provider": "provider",
    "product": "product",
}
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Pattern:
    name: str
    route: str
    kwargs: frozenset[str]


def project_patterns() -> list[Pattern]:
    """Every URL pattern outside the admin (tested on its own) and static files."""
    static = settings.STATIC_URL.lstrip("/")
    found: list[Pattern] = []

    def walk(patterns: list[Any], prefix: str, namespace: str) -> None:
        for p in patterns:
            route = prefix + str(p.pattern)
            if isinstance(p, URLResolver):
                ns = ":".join(x for x in (namespace, p.namespace) if x)
                if ns == "admin" or route.startswith(static):
                    continue
                walk(p.url_patterns, route, ns)
            elif isinstance(p, URLPattern) and not route.startswith(static):
                kwargs = set(getattr(p.pattern, "converters", {})) or set(
                    getattr(getattr(p.pattern, "regex", None), "groupindex", {})
                )
                name = ":".join(x for x in (namespace, p.name or route) if x)
                found.append(Pattern(name, route, frozenset(kwargs)))

    walk(get_resolver().url_patterns, "", "")
    return found


def is_foreign(fill: Fill, variant: str) -> bool:
    """Whether a filling in this variant points at something outside a street A reader's
    scope: in a2 only community records are foreign to cadre_a1, in b1 everything is."""
    for value in fill.values():
        if value.startswith(("=", "own:")) or value in ("year", "code"):
            continue
        if variant == "b1" or value not in STREET_LEVEL:
            return True
    return False


def _value(world: World, place: Place, value: str) -> Any:
    if value.startswith("="):
        return value[1:]
    if value.startswith("own:"):
        place, value = world["a1"], value[4:]
    obj = place.objects[value]
    return obj.pk if isinstance(obj, Model) else obj


def url_for(world: World, place: Place, name: str, fill: Fill) -> str:
    return reverse(name, kwargs={k: _value(world, place, v) for k, v in fill.items()})


def urls(world: World, place: Place) -> Iterator[tuple[str, Fill, str]]:
    """(name, filling, URL) of every route filled with the place's records."""
    for pattern in project_patterns():
        for fill in ROUTES[pattern.name]:
            yield pattern.name, fill, url_for(world, place, pattern.name, fill)


def content_of(response: Any) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def text_of(response: Any) -> str:
    """What a reader sees of a response: page text, workbook cells or PDF text."""
    content = content_of(response)
    kind = response.get("Content-Type", "")
    if kind.startswith(XLSX_TYPE) or (
        content[:2] == b"PK" and "xlsx" in str(response.get("Content-Disposition", ""))
    ):
        return workbook_text(content)
    if "pdf" in kind:
        return squash(pdf_text(content))
    if kind.startswith(("text/", "application/json")):
        return content.decode("utf-8", "replace")
    return ""


def workbook_text(content: bytes) -> str:
    try:
        book = load_workbook(io.BytesIO(content), read_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise AssertionError(f"an export that is not a workbook: {exc}") from exc
    cells = [
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    ]
    book.close()
    return "\n".join(cells)
