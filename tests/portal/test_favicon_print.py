"""The favicon is served (no 404 on every page) and lists and scorecards print on A4."""

import re
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse


def test_the_favicon_is_served_at_the_root_without_signing_in(client):
    for path, kind in (("/favicon.ico", "image/"), ("/apple-touch-icon.png", "image/png")):
        response = client.get(path)
        assert response.status_code == 200, path
        assert response["Content-Type"].startswith(kind)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert len(body) > 500


def test_every_page_names_icons_that_exist(client, cast):
    client.force_login(cast.street_staff)
    page = client.get(reverse("home")).content.decode()
    icons = re.findall(r'<link rel="(?:icon|apple-touch-icon)" href="([^"]+)"', page)
    assert len(icons) == 3
    for href in icons:
        response = client.get(href)
        assert response.status_code == 200, href


def test_the_print_stylesheet_is_a4_and_hides_the_navigation():
    css = Path(finders.find("css/portal.css")).read_text()
    assert re.search(r"@page\s*\{[^}]*size:\s*A4", css)
    printing = css[css.index("@media print") :]
    hidden = {
        selector.strip()
        for rule in re.findall(r"([^{}]+)\{[^}]*display: none", printing)
        for selector in rule.split(",")
    }
    for selector in (".topbar", ".menu", ".filters", ".pagination", ".breadcrumbs", ".search"):
        assert selector in hidden, selector
    assert "thead { display: table-header-group; }" in printing
    assert "break-inside: avoid" in printing
    assert settings.WHITENOISE_ROOT.name == "root"
