"""Every URL of the project, for every role, against another community's and another street's
records: nothing out of scope is shown, served, exported or written.

    street_admin, street_staff, leader (街道 甲)   b1's records (乙街道) are foreign
    cadre_a1 (甲一社区)                            a2's community records and all of b1's
    anonymous                                      only the sign-in page and static files

The URLs come from Django's resolver, so a page added later is tested as soon as it has a
line in routes.ROUTES (and the suite fails until it does).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.db.models import Model
from django.urls import reverse
from django.utils.html import escape

from communities.models import Community, Street
from inbox.services import mark_read

from .conftest import XSS, World, sign_in
from .html_forms import Field, Form, forms_of
from .routes import (
    REFERENCE_FIELDS,
    ROUTES,
    content_of,
    is_foreign,
    project_patterns,
    text_of,
    urls,
)

PROJECT_APPS = (
    "communities",
    "facilities",
    "teams",
    "activities",
    "evidence",
    "delivery",
    "service",
    "assessments",
    "reports",
    "privacy",
    "reporting",
    "inbox",
    # Validation rules (issue 15, part 4): a street's settings may only change by its admin
    "checks",
)
ROLES = {
    "street_admin": ("b1",),
    "street_staff": ("b1",),
    "leader": ("b1",),
    "cadre_a1": ("a2", "b1"),
    # Issue 18, the district tier: 甲区's users see both streets of 甲区 but nothing of 乙区.
    "district_admin": ("b1",),
    "district_viewer": ("b1",),
}
REFUSED = (403, 404, 405)


def refused(response: Any) -> bool:
    if response.status_code in REFUSED:
        return True
    return response.status_code == 302 and response["Location"].startswith(reverse("login"))


def _report(failures: list[str]) -> None:
    assert not failures, f"{len(failures)} problem(s):\n" + "\n".join(failures[:60])


# ------------------------------------------------------------------ the table


DISTRICT_ADMIN_PAGES = "accounts:district_"


def test_every_url_is_in_the_table():
    patterns = project_patterns()
    names = [p.name for p in patterns]
    missing = sorted(set(names) - set(ROUTES))
    assert not missing, (
        f"URL names without a line in tests/security/routes.py ROUTES: {missing}. Say how "
        "their kwargs are filled so the scope matrix covers them."
    )
    assert len(names) == len(set(names)), "two URL patterns share a name"
    assert not set(ROUTES) - set(names), f"stale ROUTES lines: {set(ROUTES) - set(names)}"
    for p in patterns:
        for fill in ROUTES[p.name]:
            assert set(fill) == set(p.kwargs), f"{p.name}: fills {set(fill)}, route has {p.kwargs}"


def is_download(response: Any) -> bool:
    return response.status_code == 200 and "html" not in response.get("Content-Type", "html")


def test_the_table_reaches_every_page_in_scope(world, client):
    """The control: with the reader's own records every URL resolves to something (not 404)
    and every file URL serves a file, so the 404s below come from the scope and not from a
    wrongly built URL."""
    failures = []
    for name, _fill, url in urls(world, world["a1"]):
        if name == "logout":
            continue
        # 区县账号 is the district admin's (a street admin gets 404 there, by design).
        district = name.startswith(DISTRICT_ADMIN_PAGES)
        sign_in(client, world.cast.district_admin if district else world.cast.street_admin)
        response = client.get(url)
        if response.status_code not in (200, 302, 405):
            failures.append(f"GET {name} {url} -> {response.status_code}")
        elif is_download(response) and not content_of(response):
            failures.append(f"GET {name} {url} -> an empty download")
    _report(failures)


# ------------------------------------------------------------------ anonymous


def test_anonymous_reaches_only_sign_in_and_static(world, client):
    login = reverse("login")
    failures = []
    for name, _fill, url in urls(world, world["a1"]):
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            if name == "login":
                ok = response.status_code == 200
            elif name == "logout" and method == "post":
                ok = response.status_code == 302 and response["Location"] == login
            else:
                # 405: a POST-only URL answers a GET before anything else.
                ok = (response.status_code == 302 and response["Location"].startswith(login)) or (
                    response.status_code == 405 and method == "get"
                )
            if not ok:
                failures.append(
                    f"anonymous {method.upper()} {name} {url} -> {response.status_code}"
                )
    export = client.get(reverse("facilities:list") + "?export=xlsx")
    assert export.status_code == 302
    static = client.get(settings.STATIC_URL + "css/portal.css")
    assert static.status_code == 200
    _report(failures)


# ------------------------------------------------------------------ foreign records


def _communities(world: World, variants: Iterable[str]) -> list[Community]:
    return [world[v].community for v in variants]


def _foreign_streets(world: World, variants: Iterable[str]) -> list[Street]:
    return [world[v].street for v in variants if v == "b1"]


def _path_to(model: type[Model], target: type[Model], depth: int = 3) -> str | None:
    """The lookup from `model` to `target` through foreign keys, shortest first."""
    if model is target:
        return "pk"
    frontier: list[tuple[type[Model], str]] = [(model, "")]
    for _ in range(depth):
        following = []
        for current, path in frontier:
            for f in current._meta.get_fields():
                if not (f.many_to_one or f.one_to_one) or not f.concrete or f.related_model is None:
                    continue
                lookup = f"{path}__{f.name}" if path else f.name
                if f.related_model is target:
                    return lookup
                following.append((f.related_model, lookup))
        frontier = following
    return None


def fingerprint(world: World, variants: Iterable[str]) -> dict[str, Any]:
    """What a write into the foreign scope would change: row counts of every project model
    (history and link tables included) inside the foreign communities and streets, counts of
    rows anywhere that point at a foreign record, and the stored values of each foreign record."""
    variants = tuple(variants)
    communities = [c.pk for c in _communities(world, variants)]
    streets = [s.pk for s in _foreign_streets(world, variants)]
    counts: dict[str, Any] = {}
    models = [
        m for m in apps.get_models(include_auto_created=True) if m._meta.app_label in PROJECT_APPS
    ]
    for model in models:
        rows = model._default_manager
        if path := _path_to(model, Community):
            counts[model._meta.label] = rows.filter(**{f"{path}__in": communities}).count()
        elif (path := _path_to(model, Street)) and streets:
            counts[model._meta.label] = rows.filter(**{f"{path}__in": streets}).count()
        for f in model._meta.concrete_fields:
            if not f.is_relation:
                continue
            for target, ids in ((Community, communities), (Street, streets)):
                if ids and (path := _path_to(f.related_model, target, depth=2)):
                    lookup = f.name if path == "pk" else f"{f.name}__{path}"
                    counts[f"{model._meta.label}.{f.name}"] = rows.filter(
                        **{f"{lookup}__in": ids}
                    ).count()
                    break
    values = {
        f"{type(obj)._meta.label}#{obj.pk}": type(obj)
        ._default_manager.filter(pk=obj.pk)
        .values()
        .first()
        for v in variants
        for obj in world[v].records
    }
    return {"counts": counts, "values": values}


@pytest.mark.parametrize("role", ROLES)
def test_foreign_records_are_not_reachable(world, client, role):
    """GET and POST every URL filled with foreign records: 404/403/405 (or the sign-in page),
    never a page, a file or a write."""
    variants = ROLES[role]
    before = fingerprint(world, variants)
    sign_in(client, getattr(world.cast, role))
    failures, tried = [], 0
    for variant in variants:
        for name, fill, url in urls(world, world[variant]):
            if not is_foreign(fill, variant):
                continue
            for method in ("get", "post"):
                tried += 1
                response = getattr(client, method)(
                    url, {"reason": "越界", "action": "self"} if method == "post" else None
                )
                if not refused(response):
                    where = response.get("Location", "")
                    failures.append(
                        f"{role} {method.upper()} {name} {url} ({variant}) -> "
                        f"{response.status_code} {where}"
                    )
    assert tried > 100
    _report(failures)
    assert fingerprint(world, variants) == before


# ------------------------------------------------------------------ pages and exports in scope


def forbidden_names(world: World, variants: Iterable[str], *, workbook: bool) -> set[str]:
    """Names a reader must never see: foreign records, another street and its communities;
    in a workbook also the names of foreign communities of the reader's own street (a page
    may legitimately offer those, e.g. as 文化走亲 partners)."""
    names: set[str] = set()
    for v in variants:
        place = world[v]
        names |= place.record_names
        if v == "b1" or workbook:
            names.add(place.community.name)
        if v == "b1":
            names.add(place.street.name)
    return names


def in_scope_urls(world: World) -> list[tuple[str, str]]:
    found = []
    for name, fill, url in urls(world, world["a1"]):
        if name == "logout":
            continue
        found.append((name, url))
        if not fill:
            found.append((f"{name}?export=xlsx", url + "?export=xlsx"))
    return found


@pytest.mark.parametrize("role", ROLES)
def test_pages_and_exports_in_scope_leak_nothing(world, client, role):
    """Every page, export, PDF and download the reader may open holds none of the names of
    records outside their scope (and, as a control, the reader's own names do show up)."""
    variants = ROLES[role]
    page_names = forbidden_names(world, variants, workbook=False)
    book_names = forbidden_names(world, variants, workbook=True)
    sign_in(client, getattr(world.cast, role))
    failures, seen, exports = [], "", 0
    for name, url in in_scope_urls(world):
        response = client.get(url)
        if response.status_code != 200:
            continue
        text = text_of(response)
        seen += text
        is_book = response.get("Content-Type", "").startswith("application/vnd.openxml")
        exports += is_book
        leaked = sorted(n for n in (book_names if is_book else page_names) if n in text)
        if leaked:
            failures.append(f"{role} GET {name} {url} shows {leaked}")
        if "html" in response.get("Content-Type", "") and (
            "<script>xss" in text or "<img src=x" in text
        ):
            failures.append(f"{role} GET {name} {url} hands typed markup back unescaped")
    _report(failures)
    assert exports >= 10, "the list exports were not reached"
    assert escape(XSS) in seen, "the typed markup was never shown (the check would be blind)"
    unseen = sorted(n for n in world["a1"].record_names if n not in seen)
    assert not unseen, f"own records never shown (the check would be blind): {unseen}"


# ------------------------------------------------------------------ forged references


def _default(f: Field, n: int) -> str | None:
    """What a user would leave or type: the shown value, else something valid if required."""
    if f.type in ("checkbox", "radio"):
        return f.value if f.checked else None
    if f.type in ("file", "submit", "button", "image", "reset"):
        return None
    if f.tag == "select":
        return f.value or (next((o for o in f.options if o), None) if f.required else None)
    # A name is asked for when a new person is entered, without being required up front.
    if f.value.strip() or not (f.required or f.name.endswith("name")):
        return f.value
    # The admin's date inputs are text boxes; its field names say what they hold.
    if f.type == "date" or f.name.rsplit("-", 1)[-1] == "date" or f.name.endswith("_on"):
        return "2014-05-01"
    if f.type == "number":
        # 2013: the world's yearly rows are 2014, so a new one meets no unique constraint.
        return "2013" if "year" in f.name else "1"
    return f"越界写入{n}"


def _reference_kind(name: str) -> str | None:
    return REFERENCE_FIELDS.get(name.rsplit("-", 1)[-1])


# The POST-only actions without kwargs take these references (their forms are on other pages).
ACTION_FIELDS = ("street", "run", "annual-street", "notices-run", "yearbook-street")


def forged_body(
    form: Form | None, world: World, variant: str, only: str | None = None
) -> dict[str, Any]:
    """A form as a user would send it, with its reference fields (or just `only`) pointing at
    the variant's records; the others keep what the page offered."""
    data: dict[str, Any] = {"year": "2014", "annual-year": "2014", "yearbook-year": "2014"}
    names = [f.name for f in form.fields] if form else list(ACTION_FIELDS)
    for n, f in enumerate(form.fields if form else ()):
        value = _default(f, n)
        if value is not None and not f.disabled:
            data[f.name] = value
        elif f.type == "radio" and f.required:
            data.setdefault(f.name, f.value)  # the first choice when none is checked
    for name in names:
        if (kind := _reference_kind(name)) and only in (None, name):
            data[name] = world[variant].objects[kind].pk
    return data


def reference_forms(html: str) -> list[Form]:
    return [
        form
        for form in forms_of(html)
        if form.method == "post" and any(_reference_kind(f.name) for f in form.fields)
    ]


def forged_posts(world: World, client: Any, variant: str) -> list[tuple[str, Any]]:
    """Post every form with a reference field on the reader's own pages, and every POST-only
    action without kwargs, with the references set to the variant's records."""
    done = []
    for name, fill, url in urls(world, world["a1"]):
        if name == "logout":
            continue
        response = client.get(url)
        if response.status_code == 405 and not fill:
            done.append((name, client.post(url, forged_body(None, world, variant))))
        elif response.status_code == 200 and "html" in response.get("Content-Type", ""):
            for form in reference_forms(response.content.decode()):
                # One reference at a time, so that another one refused does not hide it.
                fields = (
                    [None]
                    if variant == "a1"
                    else sorted({f.name for f in form.fields if _reference_kind(f.name)})
                )
                for only in fields:
                    done.append(
                        (
                            name,
                            client.post(
                                form.action or url, forged_body(form, world, variant, only)
                            ),
                        )
                    )
    return done


@pytest.mark.parametrize("role", ROLES)
def test_forged_references_write_nothing_out_of_scope(world, client, role):
    """Post every form of the reader's own pages (and every POST-only action without kwargs)
    with each reference field set to a foreign record: nothing is written outside the scope."""
    variants = ROLES[role]
    before = fingerprint(world, variants)
    sign_in(client, getattr(world.cast, role))
    posted = [post for variant in variants for post in forged_posts(world, client, variant)]
    assert len(posted) >= 5
    assert fingerprint(world, variants) == before


def test_forged_posts_are_valid_forms_in_scope(world, client):
    """The control: the same posts with the reader's own records are accepted, so the
    forged ones above fail for their references and not for a badly filled form."""
    sign_in(client, world.cast.street_admin)
    posted = forged_posts(world, client, "a1")
    rejected = [(name, r.status_code) for name, r in posted if r.status_code != 302]
    assert not rejected
    assert len(posted) >= 20


def test_path_to_finds_the_community_of_nested_records():
    from teams.models import TeamMember

    assert _path_to(TeamMember, Community) == "team__community"
    assert _path_to(Community, Community) == "pk"
    assert _path_to(Street, Community) is None


# ------------------------------------------------------------------ issue 18: district roles


@pytest.mark.parametrize("role", ("district_admin", "district_viewer"))
def test_district_users_change_no_community_record_of_their_own_district(world, client, role):
    """A district user reads every community of the district but writes none of its records:
    every URL filled with the district's own records, GET and POST, and every form of those
    pages posted as offered, leaves a1's and a2's rows as they were."""
    variants = ("a1", "a2")
    reader = getattr(world.cast, role)
    # Opening one's own inbox marks it read: the user's own state, not a community record.
    mark_read(reader)
    before = fingerprint(world, variants)
    sign_in(client, reader)
    seen = 0
    for variant in variants:
        for name, _fill, url in urls(world, world[variant]):
            # Its own remit: the district admin manages its streets' accounts (a write on a
            # user row, tested in tests/accounts/test_district_accounts.py).
            if name == "logout" or name.startswith(DISTRICT_ADMIN_PAGES):
                continue
            seen += client.get(url).status_code == 200
            client.post(url, {"reason": "区县越权", "action": "self"})
    posted = forged_posts(world, client, "a1")
    assert seen > 40, "the district user should read the district's pages"
    assert posted, "no form was posted (the check would be blind)"
    assert fingerprint(world, variants) == before
