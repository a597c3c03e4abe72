"""The dashboard's blocks read only from versioned records (the upgrade projects, the cadres
and their certificates) are kept under the scores' cache key: a warm page reads them no more,
and every write to them is seen by the next page, as the scores are."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import alerts
from facilities.models import ProjectStatus
from teams.models import InstructorLevel
from tests import factories as f

pytestmark = pytest.mark.django_db

Y = 2014
URL = reverse("dashboard:index") + f"?year={Y}"


def _alerts(client, kind: str) -> list[str]:
    dash = client.get(URL).context["dash"]
    return sorted(f"{a.subject} {a.message}" for a in dash.alerts if a.kind == kind)


def test_writes_to_cadres_certificates_and_projects_are_seen_by_the_next_page(cast, client):
    client.force_login(cast.street_admin)
    cadre = f.CadreFactory(community=cast.a1, appointed_on=dt.date(2010, 1, 1))
    name = cadre.person.name
    assert any(name in t for t in _alerts(client, alerts.CERTIFICATE))
    assert any(name in t for t in _alerts(client, alerts.CERTIFICATE))  # warm: the same
    f.CertificateFactory(
        person=cadre.person,
        community=cast.a1,
        issued_on=dt.date(2011, 1, 1),
        level=InstructorLevel.NATIONAL,  # whatever the years in office require
    )
    assert not any(name in t for t in _alerts(client, alerts.CERTIFICATE))
    cadre.left_on = dt.date(2012, 1, 1)
    cadre.save()
    assert not any(name in t for t in _alerts(client, alerts.CERTIFICATE))

    project = f.UpgradeProjectFactory(community=cast.a2, planned_year=Y - 1)
    assert any(project.name in t for t in _alerts(client, alerts.UPGRADE))
    project.status = ProjectStatus.DONE
    project.completed_on = dt.date(Y - 1, 10, 1)
    project.save()
    assert not any(project.name in t for t in _alerts(client, alerts.UPGRADE))


def test_a_warm_page_reads_neither_block_again(cast, client):
    client.force_login(cast.street_admin)
    f.CadreFactory(community=cast.a1, appointed_on=dt.date(2010, 1, 1))
    f.UpgradeProjectFactory(community=cast.a2, planned_year=Y - 1)
    client.get(URL)
    with CaptureQueriesContext(connection) as warm:
        client.get(URL)
    tables = " ".join(q["sql"] for q in warm.captured_queries)
    assert "teams_cadre" not in tables and "facilities_upgradeproject" not in tables
    f.CadreFactory(community=cast.a2, appointed_on=dt.date(2010, 1, 1))
    with CaptureQueriesContext(connection) as after_write:
        client.get(URL)
    tables = " ".join(q["sql"] for q in after_write.captured_queries)
    assert "teams_cadre" in tables and "facilities_upgradeproject" in tables
