"""The Django admin is a second door to the same records: every registered model's object
pages (change, history, delete, a past version, a user's password) refuse another
community's or another street's rows to a staff user, read or write."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pytest
from django.contrib import admin
from django.db.models import Model
from django.urls import URLPattern, reverse

from .conftest import World, sign_in
from .test_scope_matrix import (
    ROLES,
    _reference_kind,
    fingerprint,
    forged_body,
    reference_forms,
)

# District roles have no admin access (their pages are the portal's district pages).
ADMIN_ROLES = [r for r in ROLES if not r.startswith("district_")]


def object_urls(model_admin: Any, obj: Model) -> list[tuple[str, str]]:
    """Every admin URL of one object: each pattern of the ModelAdmin that takes object_id."""
    found = []
    for pattern in model_admin.urls:
        if not isinstance(pattern, URLPattern) or not pattern.name:
            continue
        params = set(pattern.pattern.converters)
        if "object_id" not in params:
            continue
        kwargs: dict[str, Any] = {"object_id": obj.pk}
        if "version_id" in params:
            history = getattr(obj, "history", None)
            if history is None or not history.exists():
                continue
            kwargs["version_id"] = history.first().history_id
        elif params != {"object_id"}:
            continue
        found.append((pattern.name, reverse(f"admin:{pattern.name}", kwargs=kwargs)))
    return found


def foreign_objects(world: World, variants: tuple[str, ...]) -> dict[type[Model], list[Model]]:
    by_model: dict[type[Model], list[Model]] = defaultdict(list)
    for v in variants:
        for obj in world[v].records:
            by_model[type(obj)].append(obj)
    return by_model


def test_the_world_has_a_foreign_row_of_every_registered_model(world):
    """A newly registered model fails here until conftest gives it a row in a2 or b1."""
    objects = foreign_objects(world, ("a2", "b1"))
    missing = sorted(m._meta.label for m in admin.site._registry if not objects.get(m))
    assert not missing, f"registered in the admin but without a foreign row: {missing}"


@pytest.mark.parametrize("role", ADMIN_ROLES)
def test_admin_object_pages_refuse_foreign_rows(admin_staff, client, role):
    world = admin_staff
    variants = ROLES[role]
    objects = foreign_objects(world, variants)
    before = fingerprint(world, variants)
    user = getattr(world.cast, role)
    assert user.is_staff
    sign_in(client, user)
    failures, tried = [], 0
    for model, model_admin in admin.site._registry.items():
        for obj in objects.get(model, ()):
            for name, url in object_urls(model_admin, obj):
                for method, data in (("get", None), ("post", {"post": "yes", "name": "改掉"})):
                    tried += 1
                    response = getattr(client, method)(url, data)
                    if response.status_code == 200:
                        failures.append(f"{role} {method.upper()} {name} {url} -> 200 ({obj})")
    assert tried > 150
    assert not failures, "\n".join(failures[:60])
    assert fingerprint(world, variants) == before


def test_admin_object_pages_open_for_own_rows(admin_staff, client):
    """The control: the cadre's own facility opens on the same URLs."""
    world = admin_staff
    sign_in(client, world.cast.cadre_a1)
    facility = world["a1"].objects["facility"]
    pages = dict(object_urls(admin.site._registry[type(facility)], facility))
    assert client.get(pages["facilities_facility_change"]).status_code == 200
    assert client.get(pages["facilities_facility_history"]).status_code == 200


def with_inline_row(data: dict[str, Any], only: str) -> dict[str, Any]:
    """Turn the empty template row of `only`'s inline ("x-__prefix__-f") into a real row."""
    group = only.split("-__prefix__-")[0] if "-__prefix__-" in only else None
    body = {k: v for k, v in data.items() if "__prefix__" not in k}
    if group:
        body.update(
            {
                k.replace("__prefix__", "0"): v
                for k, v in data.items()
                if k.startswith(f"{group}-__prefix__-")
            }
        )
        body[f"{group}-TOTAL_FORMS"] = "1"
    return body


def add_page_posts(world: World, client: Any, variant: str, *, one_at_a_time: bool) -> list:
    """Post every add form of the admin the signed-in user may open, its reference fields
    pointing at the variant's records (one field at a time, inline rows included)."""
    done = []
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
        response = client.get(url)
        if response.status_code != 200:
            continue
        for form in reference_forms(response.content.decode()):
            names = sorted({f.name for f in form.fields if _reference_kind(f.name)})
            for only in names if one_at_a_time else [None]:
                body = with_inline_row(forged_body(form, world, variant, only), only or "")
                done.append((model, only, client.post(form.action or url, body)))
    return done


@pytest.mark.parametrize("role", ADMIN_ROLES)
def test_admin_add_forms_refuse_foreign_references(admin_staff, client, role):
    """Every add page the role may open, posted with one reference at a time (社区, 团队,
    人员, 活动 … in inline rows too) pointing at a foreign record: nothing lands out of scope."""
    world = admin_staff
    variants = ROLES[role]
    before = fingerprint(world, variants)
    sign_in(client, getattr(world.cast, role))
    posted = [p for v in variants for p in add_page_posts(world, client, v, one_at_a_time=True)]
    assert len(posted) >= (0 if role == "leader" else 10)
    assert fingerprint(world, variants) == before


# Add forms the generated body cannot fill validly with the reader's own records: a second
# membership for a user, a user's password pair, a member already on the team.
UNFILLABLE = {"communities.Membership", "auth.User", "teams.TeamMember"}


def test_admin_add_forms_accept_the_same_posts_with_own_records(admin_staff, client):
    """The control: the add forms posted with the reader's own records are saved, so the
    refusals above come from the foreign references."""
    sign_in(client, admin_staff.cast.street_admin)
    posted = add_page_posts(admin_staff, client, "a1", one_at_a_time=False)
    refused = [
        m._meta.label
        for m, _, r in posted
        if r.status_code != 302 and m._meta.label not in UNFILLABLE
    ]
    assert not refused
    assert len(posted) >= 20
