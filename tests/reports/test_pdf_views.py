"""Who may download which PDF; everything out of scope is 404."""

import datetime as dt
from urllib.parse import quote

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from assessments import services
from reports.pdf import attachment
from tests import factories as f

from .pdf_util import Y, pdf_text, scored_street, some_marks, squash

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(cast):
    return scored_street(cast)


def get(client, user, url):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(url)


def test_annual_pdf_of_a_run_for_street_users_only(client, cast, run):
    url = reverse("pdf:annual", args=[run.pk])
    for user in (cast.leader, cast.street_staff, cast.street_admin):
        response = get(client, user, url)
        assert response.status_code == 200, user
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
    disposition = response["Content-Disposition"]
    name = f"甲街道2014年度双百分考核报告（定稿第{run.version}版）.pdf"
    assert disposition.startswith("attachment;")
    assert f"filename*=UTF-8''{quote(name, safe='')}" in disposition
    assert "甲一社区" in pdf_text(response.content)
    for user in (cast.cadre_a1, cast.staff_b, cast.cadre_b1, cast.nobody):
        assert get(client, user, url).status_code == 404, user
    assert get(client, None, url).status_code == 302  # to the sign-in page


def test_annual_pdf_of_a_year_for_street_users_only(client, cast, run):
    url = reverse("pdf:annual_year", args=[cast.street_a.pk, Y])
    response = get(client, cast.leader, url)
    assert response.status_code == 200
    assert f"定稿·第{run.version}版" in squash(pdf_text(response.content))
    for user in (cast.cadre_a1, cast.staff_b, cast.nobody):
        assert get(client, user, url).status_code == 404, user

    response = get(client, cast.street_staff, url + "?as_of=2014-06-30")
    assert "临时（截至2014-06-30）" in squash(pdf_text(response.content))
    assert get(client, cast.street_staff, url + "?as_of=30/06/2014").status_code == 400
    assert get(client, cast.street_staff, url + "?as_of=2013-06-30").status_code == 400
    future = reverse("pdf:annual_year", args=[cast.street_a.pk, timezone.localdate().year + 1])
    assert get(client, cast.street_staff, future).status_code == 404


def test_notices_for_the_street_and_for_a_cadres_own_community(client, cast, run):
    own = reverse("pdf:notice", args=[run.pk, cast.a1.pk])
    other = reverse("pdf:notice", args=[run.pk, cast.a2.pk])
    response = get(client, cast.cadre_a1, own)
    assert response.status_code == 200
    assert "甲一社区：" in squash(pdf_text(response.content))
    assert quote("甲一社区2014年度考核结果通知书.pdf", safe="") in response["Content-Disposition"]
    assert get(client, cast.cadre_a1, other).status_code == 404
    for user in (cast.leader, cast.street_staff, cast.street_admin):
        assert get(client, user, other).status_code == 200, user
    for user in (cast.staff_b, cast.cadre_b1, cast.nobody):
        assert get(client, user, own).status_code == 404, user
    # A community of another street is not in this run, even for a superuser.
    root = f.UserFactory(username="root", is_superuser=True)
    assert get(client, root, reverse("pdf:notice", args=[run.pk, cast.b1.pk])).status_code == 404


def test_yearbook_whole_for_the_street_and_one_section_for_a_cadre(client, cast):
    f.ActivityFactory(community=cast.a1, name="甲一广场舞")
    f.ActivityFactory(community=cast.a2, name="甲二书画展")
    url = reverse("pdf:yearbook", args=[cast.street_a.pk, Y])

    whole = squash(pdf_text(get(client, cast.leader, url).content))
    assert "甲一广场舞" in whole and "甲二书画展" in whole

    response = get(client, cast.cadre_a1, url)
    assert response.status_code == 200
    section = squash(pdf_text(response.content))
    assert "甲一广场舞" in section and "甲二书画展" not in section
    assert quote("（甲一社区）", safe="") in response["Content-Disposition"]

    for user in (cast.staff_b, cast.cadre_b1, cast.nobody):
        assert get(client, user, url).status_code == 404, user


def test_attachment_header_keeps_an_ascii_fallback():
    header = attachment("甲街道 年鉴.pdf", "yearbook-2014.pdf")
    assert header == (
        'attachment; filename="yearbook-2014.pdf"; '
        "filename*=UTF-8''%E7%94%B2%E8%A1%97%E9%81%93%20%E5%B9%B4%E9%89%B4.pdf"
    )


def test_downloads_take_the_same_queries_for_more_communities_and_activities(client, cast, run):
    # The builders' own tests show their queries do not grow; this is the whole download,
    # session and scope included, before and after the street grows.
    def counts(run) -> list[int]:
        found = []
        for user, url in (
            (cast.leader, reverse("pdf:annual", args=[run.pk])),
            (cast.leader, reverse("pdf:annual_year", args=[cast.street_a.pk, Y])),
            (cast.cadre_a1, reverse("pdf:notice", args=[run.pk, cast.a1.pk])),
            (cast.cadre_a1, reverse("pdf:yearbook", args=[cast.street_a.pk, Y])),
        ):
            client.force_login(user)
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            found.append(len(queries))
        return found

    small = counts(run)
    for k in range(3):
        some_marks(f.CommunityFactory(street=cast.street_a, name=f"甲{k + 3}社区"))
    hall = f.FacilityFactory(community=cast.a1, name="甲一礼堂")
    for i in range(6):
        f.ActivityFactory(
            community=cast.a1, date=dt.date(Y, 1 + i, 20), name=f"加演{i}", location=hall
        )
    bigger = services.run_assessment(street=cast.street_a, year=Y, user=cast.street_staff)
    bigger = services.finalise_run(run=bigger, user=cast.street_admin)
    assert bigger.results.count() == 5
    assert counts(bigger) == small
