"""Two-factor sign-in: enrolment with a locally drawn QR code, backup codes that work once,
required by role, the admin behind it, and resets by a street admin or the operator."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import otp, policy
from security_log.services import verify
from tests import factories as f
from tests.security.conftest import sign_in
from tests.security.routes import urls

from .conftest import code_of, enrol, events, password_sign_in

pytestmark = pytest.mark.django_db


def test_policy_is_a_plain_function_of_role():
    required = ["street_admin", "street_staff", "operator"]
    assert policy.second_factor_required("street_admin", required)
    assert policy.second_factor_required("operator", required)
    assert not policy.second_factor_required("community_admin", required)
    assert not policy.second_factor_required("leader", required)
    assert not policy.second_factor_required(None, required)
    assert not policy.second_factor_required("street_admin", [])


def test_a_street_admin_reaches_no_page_without_the_second_factor(world, client, otp_required):
    """Every URL of the portal and the admin, as a street admin who has not enrolled yet:
    each one sends them to the set-up page, and nothing else is served."""
    sign_in(client, world.cast.street_admin)
    setup = reverse("accounts:otp_setup")
    exempt = {"login", "logout", "accounts:otp_setup", "accounts:otp_verify"}
    reached = []
    checked = 0
    for name, _fill, url in urls(world, world["a1"]):
        if name in exempt:
            continue
        for method in ("get", "post"):
            checked += 1
            response = getattr(client, method)(url)
            if not (response.status_code == 302 and response["Location"].startswith(setup)):
                reached.append(f"{method.upper()} {name} -> {response.status_code}")
    for url in (reverse("admin:index"), reverse("admin:communities_community_changelist")):
        checked += 1
        response = client.get(url)
        if not (response.status_code == 302 and response["Location"].startswith(setup)):
            reached.append(f"GET {url} -> {response.status_code}")
    assert checked > 150
    assert not reached, reached[:20]


def test_enrolment_draws_the_qr_code_locally_and_logs_it(cast, client, otp_required):
    otp_required.OTP_TOTP_THROTTLE_FACTOR = 0  # no one-second pause after the wrong code
    admin = cast.street_admin
    password_sign_in(client, admin)
    page = client.get(reverse("home"), follow=True)
    assert page.redirect_chain[-1][0].startswith(reverse("accounts:otp_setup"))
    html = page.content.decode()
    assert "<svg" in html and "双因素" in html
    assert "http://" not in html.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert "chart.googleapis" not in html and "api.qrserver" not in html
    device = TOTPDevice.objects.get(user=admin, confirmed=False)

    wrong = client.post(reverse("accounts:otp_setup"), {"token": "000000"})
    assert "验证码不正确" in wrong.content.decode()
    assert client.get(reverse("home")).status_code == 302  # still not through

    done = client.post(reverse("accounts:otp_setup"), {"token": code_of(device), "next": "/"})
    codes_page = done.content.decode()
    assert "备用验证码" in codes_page
    assert otp.backup_codes_left(admin) == 10
    assert client.get(reverse("home")).status_code == 200
    enrolled = events("otp_enrolled", user_id=admin.pk)
    assert [e.result for e in enrolled] == ["failed", "ok"]


def test_signing_in_asks_the_code_and_backup_codes_work_once(cast, otp_required):
    admin = cast.street_admin
    device, codes = enrol(admin)
    verify_url = reverse("accounts:otp_verify")

    client = Client()
    password_sign_in(client, admin)
    assert client.get(reverse("home"))["Location"].startswith(verify_url)
    # The code after the one that confirmed the device (a code is accepted once).
    assert client.post(verify_url, {"token": code_of(device, drift=1)}).status_code == 302
    assert client.get(reverse("home")).status_code == 200

    first = Client()
    password_sign_in(first, admin)
    response = first.post(verify_url, {"token": codes[0], "next": reverse("home")})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    assert first.get(reverse("home")).status_code == 200
    assert otp.backup_codes_left(admin) == 9

    again = Client()
    password_sign_in(again, admin)
    refused = again.post(verify_url, {"token": codes[0]})
    assert refused.status_code == 200 and "已使用过" in refused.content.decode()
    assert again.get(reverse("home")).status_code == 302
    methods = [e.details.get("method") for e in events("otp_verified", result="ok")]
    assert methods == ["totp", "backup_code"]
    assert len(events("otp_verified", result="failed")) == 1


def test_five_wrong_codes_end_the_session(cast, otp_required):
    enrol(cast.street_admin)
    client = Client()
    password_sign_in(client, cast.street_admin)
    for _ in range(5):
        response = client.post(reverse("accounts:otp_verify"), {"token": "123456"})
    assert response.status_code == 302 and response["Location"] == reverse("login")
    assert "_auth_user_id" not in client.session


def test_optional_for_cadres_and_leaders_but_used_once_enrolled(cast, client, otp_required):
    for user in (cast.cadre_a1, cast.leader):
        sign_in(client, user)
        assert client.get(reverse("home")).status_code == 200
    enrol(cast.cadre_a1)
    fresh = Client()
    password_sign_in(fresh, cast.cadre_a1)
    assert fresh.get(reverse("home"))["Location"].startswith(reverse("accounts:otp_verify"))


def test_without_the_setting_nobody_is_asked(cast, client, settings):
    settings.OTP_REQUIRED_ROLES = []
    sign_in(client, cast.street_admin)
    assert client.get(reverse("home")).status_code == 200


def test_the_admin_is_behind_the_same_second_factor(cast, otp_required):
    operator = f.UserFactory(username="district-op", is_superuser=True, is_staff=True)
    device, _ = enrol(operator)
    client = Client()
    response = client.post(
        reverse("admin:login"),
        {"username": "district-op", "password": "pass-1234-word", "next": "/admin/"},
    )
    assert response.status_code == 302
    blocked = client.get(reverse("admin:index"))
    assert blocked.status_code == 302
    assert blocked["Location"].startswith(reverse("accounts:otp_verify"))
    client.post(reverse("accounts:otp_verify"), {"token": code_of(device, drift=1)})
    assert client.get(reverse("admin:index")).status_code == 200


def _reset(client, target):
    return client.post(reverse("accounts:otp_reset", args=[target.pk]))


def test_a_street_admin_resets_their_streets_users_only(cast, client):
    for user in (cast.street_staff, cast.cadre_a1, cast.staff_b):
        enrol(user)
    sign_in(client, cast.street_admin)
    assert _reset(client, cast.street_staff).status_code == 302
    assert not otp.has_device(cast.street_staff)
    assert _reset(client, cast.staff_b).status_code == 404  # another street
    assert otp.has_device(cast.staff_b)
    reset = events("otp_reset")
    assert len(reset) == 1
    assert reset[0].user_id == cast.street_admin.pk
    assert reset[0].details["target_user_id"] == cast.street_staff.pk
    assert reset[0].street_id == cast.street_a.pk

    sign_in(client, cast.street_staff)  # staff may not reset anyone
    assert _reset(client, cast.cadre_a1).status_code == 404
    assert otp.has_device(cast.cadre_a1)


def test_the_operator_resets_anyone_but_nobody_their_own(cast, client):
    operator = f.UserFactory(username="district-op", is_superuser=True)
    _, codes = enrol(operator)
    enrol(cast.staff_b)
    sign_in(client, operator)
    client.post(reverse("accounts:otp_verify"), {"token": codes[0]})
    assert _reset(client, cast.staff_b).status_code == 302
    assert not otp.has_device(cast.staff_b)
    assert _reset(client, operator).status_code == 404
    assert otp.has_device(operator)
    assert verify() == []


def test_new_backup_codes_replace_the_old_ones(cast, client):
    _, old = enrol(cast.cadre_a1)
    sign_in(client, cast.cadre_a1)
    # force_login does not give the second factor: give it first.
    client.post(reverse("accounts:otp_verify"), {"token": old[-1]})
    page = client.post(reverse("accounts:backup_codes"))
    assert page.status_code == 200 and "之前的备用验证码已全部作废" in page.content.decode()
    assert otp.check_token(cast.cadre_a1, old[0]) is None
    assert otp.backup_codes_left(cast.cadre_a1) == 10
    assert len(events("backup_codes")) == 1


def test_the_accounts_page_lists_the_street_and_exports(cast, client):
    enrol(cast.cadre_a2)
    sign_in(client, cast.street_admin)
    page = client.get(reverse("accounts:users")).content.decode()
    assert "jia_staff" in page and "jia1_cadre" in page and "yi_staff" not in page
    assert "重置双因素" in page
    book = client.get(reverse("accounts:users") + "?export=xlsx")
    assert book["Content-Type"].startswith("application/vnd.openxml")
    for user in (cast.cadre_a1, cast.leader, cast.street_staff):
        sign_in(client, user)
        assert client.get(reverse("accounts:users")).status_code == 404
    sign_in(client, cast.cadre_a2)  # enrolled: the second factor comes first
    assert client.get(reverse("accounts:users"))["Location"].startswith(
        reverse("accounts:otp_verify")
    )
