"""The list tables' <tbody>, written in Python (portal/table_body.py), is the markup
tables2's own template writes: every list page reachable without arguments is opened with
records in it, and each of its tables is drawn both ways and compared."""

from __future__ import annotations

import datetime as dt
import itertools
import re

import django_tables2 as tables
import pytest
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from activities.models import ActivityStatus
from tests import factories as f


def _names(resolver: URLResolver, prefix: str = "") -> list[str]:
    """Every named URL of the project that takes no argument."""
    out = []
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            space = f"{prefix}{p.namespace}:" if p.namespace else prefix
            out.extend(_names(p, space))
        elif isinstance(p, URLPattern) and p.name and not p.pattern.regex.groups:
            out.append(prefix + p.name)
    return out


def _tbody(table: tables.Table, template: str, request) -> str:
    table._counter = itertools.count()  # rows count odd/even from the first row again
    table.template_name = template
    html = table.as_html(request)
    body = re.search(r"<tbody.*?</tbody>", html, re.S).group(0)
    body = re.sub(r'csrfmiddlewaretoken" value="[^"]+"', "", body)  # masked anew each time
    return re.sub(r"\s+", " ", re.sub(r">\s+<", "><", body)).replace(" >", ">")


@pytest.fixture
def records(cast):
    a1 = cast.a1
    today = dt.date.today()
    f.FacilityFactory(community=a1, name="文化家园 <活动室>", area=120)
    f.FacilityFactory(community=cast.a2, name="健身苑点", opened_on=None)
    team = f.TeamFactory(community=a1, name="夕阳红 & 舞蹈队")
    f.TeamMemberFactory(team=team)
    f.VolunteerFactory(community=a1)
    f.CertificateFactory(community=a1)
    f.CadreFactory(community=a1)
    f.ActivityFactory(community=a1, name='广场舞 "展演"', date=today, status=ActivityStatus.PENDING)
    f.ActivityFactory(community=cast.a2, date=today - dt.timedelta(days=3))
    return cast


@pytest.mark.django_db
def test_every_list_table_body_is_the_markup_of_tables2s_template(records, client):
    client.force_login(records.street_admin)
    request = RequestFactory().get("/")
    request.user = records.street_admin
    compared = with_rows = 0
    for name in _names(get_resolver()):
        try:
            url = reverse(name)
        except Exception:  # noqa: BLE001 — a name with optional arguments
            continue
        response = client.get(url)
        if response.status_code != 200 or response.context is None:
            continue
        contexts = response.context if isinstance(response.context, list) else [response.context]
        shown = {id(v): v for c in contexts for v in c.flatten().values()}
        for table in shown.values():
            if not isinstance(table, tables.Table) or table.template_name != "includes/table.html":
                continue
            ours = _tbody(table, "includes/table.html", request)
            theirs = _tbody(table, "django_tables2/table.html", request)
            assert ours == theirs, url
            compared += 1
            with_rows += len(table.rows) > 0
    # Not vacuous: the record lists above drew real rows.
    assert compared >= 15 and with_rows >= 8, (compared, with_rows)
