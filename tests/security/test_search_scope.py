"""The top bar's search never shows a record outside the reader's scope: every role searches
for every name of the other community's and the other street's records (scope matrix)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from .conftest import sign_in
from .test_scope_matrix import ROLES, forbidden_names

SEARCHED_KINDS = ("facility", "team", "person", "activity", "volunteer", "certificate", "cadre")


def _names(world, variant: str) -> set[str]:
    place = world[variant]
    names = {place.community.name}
    for kind in SEARCHED_KINDS:
        obj = place.objects[kind]
        person = getattr(obj, "person", None)
        names.add(person.name if person is not None else obj.name)
    return names


def _codes(world, variant: str) -> set[str]:
    return {world[variant].objects["person"].code}


def _without_echo(page: str, term: str) -> str:
    """The page less the places that repeat what was typed (the box, 没有找到“…”, the title)."""
    for echo in (f'value="{term}"', f"“{term}”", f"搜索：{term}"):
        page = page.replace(echo, "")
    return page


@pytest.mark.parametrize("role", ROLES)
def test_search_finds_nothing_out_of_scope(world, client, role):
    variants = ROLES[role]
    forbidden = forbidden_names(world, variants, workbook=False)
    sign_in(client, getattr(world.cast, role))
    failures = []
    searched = 0
    for variant in variants:
        for term in sorted(_names(world, variant) | _codes(world, variant)):
            for url in (reverse("search:index"), reverse("search:suggest")):
                page = _without_echo(client.get(url, {"q": term}).content.decode(), term)
                searched += 1
                leaked = sorted(n for n in forbidden if n in page)
                if leaked:
                    failures.append(f"{role} {url}?q={term} shows {leaked}")
    assert searched >= 16
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("role", ROLES)
def test_search_finds_the_readers_own_records(world, client, role):
    """The control: the same searches for the reader's own community find every record,
    so the silence above comes from the scope and not from a blind search."""
    sign_in(client, getattr(world.cast, role))
    for term in sorted(_names(world, "a1") | _codes(world, "a1")):
        page = client.get(reverse("search:index"), {"q": term}).content.decode()
        assert 'class="hit-label"' in page, f"{role} did not find {term}"
        if not term.isascii():
            assert f'<span class="hit-label">{term}</span>' in page
