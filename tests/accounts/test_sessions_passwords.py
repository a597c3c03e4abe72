"""Sessions end after 30 idle minutes and 12 hours at most; passwords are complex, not
reused, optionally expire; a locked-out user is told when to try again."""

from __future__ import annotations

import time

import pytest
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from accounts import policy
from accounts.models import PasswordHistory
from accounts.passwords import ComplexityValidator, kinds_in
from tests.conftest import PASSWORD
from tests.security.conftest import sign_in

from .conftest import events, password_sign_in

pytestmark = pytest.mark.django_db


def test_session_rules_are_plain_arithmetic():
    limits = dict(idle=1800, lifetime=43200)
    assert policy.session_ended(now=1000, started=0, last_seen=900, **limits) is None
    assert policy.session_ended(now=2000, started=0, last_seen=100, **limits) == "idle"
    assert policy.session_ended(now=43201, started=0, last_seen=43000, **limits) == "lifetime"


def _age_session(client: Client, **seconds_ago: int) -> None:
    session = client.session
    for key, ago in seconds_ago.items():
        session[f"_{key}"] = time.time() - ago
    session.save()


def test_an_idle_session_ends_after_the_timeout(cast, client):
    sign_in(client, cast.cadre_a1)
    _age_session(client, last_seen=29 * 60)
    assert client.get(reverse("home")).status_code == 200  # 29 minutes: still signed in
    _age_session(client, last_seen=31 * 60)
    response = client.get(reverse("facilities:list"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"]).content.decode()
    assert "30 分钟未操作" in page
    ended = events("session_expired", user_id=cast.cadre_a1.pk)
    assert [e.details["reason"] for e in ended] == ["idle"]
    assert not events("logout")  # an expiry is not logged as a sign-out


def test_a_busy_session_ends_after_its_absolute_lifetime(cast, client):
    sign_in(client, cast.cadre_a1)
    _age_session(client, auth_started=12 * 3600 + 5, last_seen=10)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and "_auth_user_id" not in client.session
    assert events("session_expired")[0].details["reason"] == "lifetime"


@override_settings(SESSION_IDLE_TIMEOUT=60, SESSION_ABSOLUTE_LIFETIME=600)
def test_the_limits_are_settings(cast, client):
    sign_in(client, cast.cadre_a1)
    _age_session(client, last_seen=61)
    assert client.get(reverse("home")).status_code == 302


def test_complexity_needs_three_kinds_in_chinese():
    assert kinds_in("abcdefgh") == 1 and kinds_in("Abc-1234") == 4
    validator = ComplexityValidator()
    validator.validate("abcd-1234")
    with pytest.raises(ValidationError, match="至少 3 种"):
        validator.validate("abcdefgh1")
    with pytest.raises(ValidationError) as error:
        password_validation.validate_password("short1A")
    assert any("8" in m for m in error.value.messages)


def test_the_last_five_passwords_cannot_be_used_again(cast):
    user = cast.cadre_a1
    used = [f"Garden-{n}-walk" for n in range(6)]
    for password in used:
        password_validation.validate_password(password, user)
        user.set_password(password)
        user.save()
    assert PasswordHistory.objects.filter(user=user).count() == 5
    for recent in used[1:]:
        with pytest.raises(ValidationError, match="最近 5 次"):
            password_validation.validate_password(recent, user)
    password_validation.validate_password(used[0], user)  # six changes ago: allowed again


def test_changing_the_password_on_the_page_is_checked_and_logged(cast, client):
    sign_in(client, cast.cadre_a1)
    url = reverse("accounts:password_change")
    same = client.post(
        url, {"old_password": PASSWORD, "new_password1": PASSWORD, "new_password2": PASSWORD}
    )
    assert same.status_code == 200 and "最近 5 次" in same.content.decode()
    new = "New-Pass-2026"
    done = client.post(url, {"old_password": PASSWORD, "new_password1": new, "new_password2": new})
    assert done.status_code == 302
    assert len(events("password_changed", user_id=cast.cadre_a1.pk)) == 1
    assert client.get(reverse("home")).status_code == 200  # still signed in


def test_an_expired_password_must_be_changed_first(cast, client, settings):
    settings.PASSWORD_MAX_AGE_DAYS = 90
    user = cast.cadre_a1
    user.date_joined = timezone.now() - timezone.timedelta(days=91)
    user.save(update_fields=["date_joined"])
    sign_in(client, user)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:password_change"))
    settings.PASSWORD_MAX_AGE_DAYS = 0
    assert client.get(reverse("home")).status_code == 200


@override_settings(AXES_ENABLED=True, AXES_FAILURE_LIMIT=3)
def test_the_lockout_page_says_when_to_try_again(cast):
    client = Client()
    for _ in range(3):
        response = client.post(
            reverse("login"), {"username": "jia1_cadre", "password": "wrong-Pass-1"}
        )
    assert response.status_code == 429
    page = response.content.decode()
    retry = timezone.localtime(timezone.now() + timezone.timedelta(minutes=15))
    assert "之后再试" in page and retry.strftime("%H:") in page
    assert len(events("lockout", username="jia1_cadre")) >= 1
    assert len(events("login_failed", username="jia1_cadre")) >= 2


def test_a_real_sign_in_and_out_are_logged(cast):
    client = Client(REMOTE_ADDR="10.2.3.4")
    password_sign_in(client, cast.leader)
    client.post(reverse("logout"))
    signed_in = events("login", user_id=cast.leader.pk)
    assert len(signed_in) == 1 and signed_in[0].ip == "10.2.3.4"
    assert signed_in[0].street_id == cast.street_a.pk
    assert len(events("logout", user_id=cast.leader.pk)) == 1


def test_a_wrong_password_is_logged_without_the_password(cast):
    client = Client(REMOTE_ADDR="10.2.3.5")
    client.post(reverse("login"), {"username": "jia_leader", "password": "Secret-Wrong-9"})
    failed = events("login_failed")
    assert len(failed) == 1
    assert (failed[0].username, failed[0].result, failed[0].ip) == (
        "jia_leader",
        "failed",
        "10.2.3.5",
    )
    assert "Secret-Wrong-9" not in str(failed[0].details)
