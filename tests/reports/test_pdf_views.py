"""Who may download which PDF; everything out of scope is 404."""

from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils import timezone

from reports.pdf import attachment
from security_log.services import QUERIES_PER_ENTRY
from tests import factories as f

from .pdf_util import Y, pdf_text, scored_street, squash

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


def test_downloads_take_a_handful_of_queries(client, cast, run, django_assert_max_num_queries):
    # Session, user and membership, then a fixed number of reads whatever the row counts
    # (the builders' own tests show the count does not grow with communities or activities),
    # and the download's entry in the security log.
    for user, url, most in (
        (cast.leader, reverse("pdf:annual", args=[run.pk]), 9),
        (cast.leader, reverse("pdf:annual_year", args=[cast.street_a.pk, Y]), 10),
        (cast.cadre_a1, reverse("pdf:notice", args=[run.pk, cast.a1.pk]), 10),
        (cast.cadre_a1, reverse("pdf:yearbook", args=[cast.street_a.pk, Y]), 11),
    ):
        client.force_login(user)
        with django_assert_max_num_queries(most + QUERIES_PER_ENTRY):
            assert client.get(url).status_code == 200
