"""The three axe-core defects of issue 21, checked on the rendered pages (no browser).

- the home page's year links sit in a line of text: told apart by an underline, not colour
  alone (link-in-text-block);
- every `aria-describedby` names an element of the page (/assessments/ named a help text
  that did not exist);
- `aria-label` only on elements that may carry one (the activity page had it on a bare div).
"""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db

# Elements whose implicit role forbids a name from aria-label (axe aria-allowed-attr).
NAMELESS = {"div", "span", "p", "b", "i", "em", "strong", "small", "code", "pre"}


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.described_by: list[str] = []
        self.misplaced_labels: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        self.described_by += (a.get("aria-describedby") or "").split()
        if "aria-label" in a and tag in NAMELESS and not a.get("role"):
            self.misplaced_labels.append(f"<{tag} aria-label={a['aria-label']!r}>")


def _parse(client, url: str) -> _Page:
    response = client.get(url)
    assert response.status_code == 200, url
    page = _Page()
    page.feed(response.content.decode())
    return page


def _signed_in(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def test_the_year_links_of_the_home_page_are_underlined(client, cast):
    f.ActivityFactory(community=cast.a1, date=dt.date(2013, 5, 1))
    f.ActivityFactory(community=cast.a1, date=dt.date(2014, 5, 1))
    page = _signed_in(client, cast.street_staff).get("/").content.decode()
    assert '<nav class="year-switch"' in page and 'href="?year=2013"' in page
    # The rule lives in the page's stylesheet (a strict CSP allows no inline styles).
    assert 'href="/static/css/home.css"' in page
    css = (settings.BASE_DIR / "static" / "css" / "home.css").read_text()
    assert ".year-switch a { text-decoration: underline; }" in css


@pytest.mark.parametrize(
    "url",
    [
        reverse("assessments:index"),
        reverse("facilities:create"),
        reverse("activities:create"),
        reverse("teams:create"),
    ],
)
def test_every_aria_describedby_names_an_element_of_the_page(client, cast, url):
    page = _parse(_signed_in(client, cast.street_admin), url)
    missing = [i for i in page.described_by if i not in page.ids]
    assert missing == []


def test_the_activity_page_puts_aria_label_only_where_it_is_allowed(client, cast):
    activity = f.ActivityFactory(community=cast.a1, description="第一行\n第二行")
    page = _parse(
        _signed_in(client, cast.street_staff), reverse("activities:detail", args=[activity.pk])
    )
    assert page.misplaced_labels == []
    home = _parse(client, "/")
    assert home.misplaced_labels == []
