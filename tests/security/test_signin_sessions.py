"""Sign-in throttling (django-axes), password rules, session lifetime and CSRF on every form."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth import password_validation
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from tests.conftest import PASSWORD

from .conftest import sign_in
from .html_forms import forms_of
from .routes import urls

AXES_ON = {"AXES_ENABLED": True, "AXES_FAILURE_LIMIT": 5}
# Django's own message, in its Chinese translation (the user sees it, so it must be Chinese).
WRONG_PASSWORD = "请输入一个正确的用户名和密码。注意，两者都区分大小写。"


def attempt(client: Client, username: str, password: str, **extra) -> object:
    return client.post(reverse("login"), {"username": username, "password": password}, **extra)


# ------------------------------------------------------------------ lockout


@pytest.mark.django_db
@override_settings(**AXES_ON)
def test_repeated_failures_lock_the_account_with_a_chinese_page(cast, client):
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit - 1):
        response = attempt(client, "jia1_cadre", "wrong-password")
        assert response.status_code == 200  # the sign-in form again, with its error
        assert response.context["form"].errors["__all__"] == [WRONG_PASSWORD]
        assert WRONG_PASSWORD in response.content.decode()
    locked = attempt(client, "jia1_cadre", "wrong-password")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "账号已暂时锁定" in page and f"连续 {limit} 次登录失败" in page
    # The right password no longer helps while the lock lasts…
    again = attempt(client, "jia1_cadre", PASSWORD)
    assert again.status_code == 429 and "_auth_user_id" not in client.session
    # …and another account from the same address is not affected.
    other = attempt(Client(), "jia_staff", PASSWORD)
    assert other.status_code == 302


@pytest.mark.django_db
@override_settings(**AXES_ON)
def test_lockout_is_per_account_and_address(cast):
    attacker, user = Client(REMOTE_ADDR="10.9.9.9"), Client(REMOTE_ADDR="10.1.1.1")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(attacker, "jia_admin", "guess")
    assert attempt(attacker, "jia_admin", PASSWORD).status_code == 429
    assert attempt(user, "jia_admin", PASSWORD).status_code == 302


@pytest.mark.django_db
@override_settings(
    **AXES_ON, TRUSTED_PROXIES=1, AXES_CLIENT_IP_CALLABLE="portal.client_ip.client_ip"
)
def test_behind_the_proxy_the_lockout_keys_on_the_browser_not_the_proxy(cast):
    """Every request comes from the proxy (REMOTE_ADDR); the proxy appends the browser's
    address to X-Forwarded-For. A forged left part does not get the attacker a fresh key."""
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    attacker = Client(**proxy)
    for n in range(settings.AXES_FAILURE_LIMIT):
        attempt(attacker, "jia_admin", "guess", HTTP_X_FORWARDED_FOR=f"1.1.1.{n}, 203.0.113.9")
    assert (
        attempt(
            attacker, "jia_admin", PASSWORD, HTTP_X_FORWARDED_FOR="1.1.1.77, 203.0.113.9"
        ).status_code
        == 429
    )
    colleague = Client(**proxy)
    assert (
        attempt(colleague, "jia_admin", PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.4").status_code
        == 302
    )


# ------------------------------------------------------------------ passwords


def test_the_password_validators_are_active():
    names = {v["NAME"].rsplit(".", 1)[-1] for v in settings.AUTH_PASSWORD_VALIDATORS}
    assert names >= {
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    }
    for weak in ("12345678", "password", "abc"):
        with pytest.raises(ValidationError):
            password_validation.validate_password(weak)


@pytest.mark.django_db
@pytest.mark.parametrize("weak", ["12345678", "password1", "jia_admin1"])
def test_a_weak_password_is_refused_when_changing_ones_own(cast, client, weak):
    admin_user = cast.street_admin
    admin_user.is_staff = True
    admin_user.save()
    sign_in(client, admin_user)
    response = client.post(
        reverse("admin:password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": weak,
            "new_password2": weak,
        },
    )
    assert response.status_code == 200
    errors = response.context["form"].errors["new_password2"]
    assert errors and all(any("\u4e00" <= ch <= "\u9fff" for ch in e) for e in errors), errors
    admin_user.refresh_from_db()
    assert admin_user.check_password(PASSWORD)


@pytest.mark.django_db
def test_a_weak_password_is_refused_when_an_admin_sets_one(cast, client, django_user_model):
    root = django_user_model.objects.create_superuser("root", "root@example.test", PASSWORD)
    sign_in(client, root)
    url = reverse("admin:auth_user_password_change", args=[cast.cadre_a1.pk])
    response = client.post(url, {"password1": "123456", "password2": "123456"})
    assert response.status_code == 200
    assert response.context["form"].errors
    cast.cadre_a1.refresh_from_db()
    assert cast.cadre_a1.check_password(PASSWORD)


# ------------------------------------------------------------------ sessions


def test_session_settings():
    # 30 idle minutes, 12 hours at most (tests/accounts/test_sessions_passwords.py).
    assert settings.SESSION_IDLE_TIMEOUT == 30 * 60
    assert settings.SESSION_COOKIE_AGE == settings.SESSION_ABSOLUTE_LIFETIME == 12 * 3600
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_HTTPONLY is True
    # Lax, not Strict: a link to the portal from a chat message or an e-mail must arrive
    # signed in; cross-site POSTs still carry no cookie.
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"


@pytest.mark.django_db
def test_a_session_ends_with_the_browser_and_after_its_lifetime(cast, client):
    response = attempt(client, "jia_staff", PASSWORD)
    assert response.status_code == 302
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["max-age"] == "" and cookie["expires"] == ""  # a browser-session cookie
    assert cookie["httponly"]
    assert client.get(reverse("home")).status_code == 200
    session = Session.objects.get(session_key=client.session.session_key)
    assert session.expire_date <= timezone.now() + dt.timedelta(seconds=12 * 3600 + 5)
    session.expire_date = timezone.now() - dt.timedelta(seconds=1)
    session.save()
    expired = client.get(reverse("home"))
    assert expired.status_code == 302 and expired["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_signing_in_gives_a_new_session_key(cast, client):
    client.get(reverse("login"))
    session = client.session  # an anonymous session an attacker could have planted
    session["probe"] = 1
    session.save()
    before = session.session_key
    attempt(client, "jia_staff", PASSWORD)
    assert client.session.session_key != before


@pytest.mark.django_db
def test_signing_out_takes_a_post(cast, client):
    sign_in(client, cast.street_staff)
    assert client.get(reverse("logout")).status_code == 405
    assert client.get(reverse("home")).status_code == 200
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("home")).status_code == 302


# ------------------------------------------------------------------ CSRF


def _post_forms_without_token(html: str) -> list[str]:
    return [
        form.action or "(this page)"
        for form in forms_of(html)
        if form.method == "post" and "csrfmiddlewaretoken" not in form.names()
    ]


@pytest.mark.parametrize("role", ["street_admin", "street_staff", "cadre_a1", "leader"])
def test_every_post_form_of_every_page_carries_the_csrf_token(world, client, role):
    sign_in(client, getattr(world.cast, role))
    missing, forms = [], 0
    for name, _fill, url in urls(world, world["a1"]):
        if name == "logout":
            continue
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        forms += sum(1 for form in forms_of(html) if form.method == "post")
        missing += [f"{name} {url}: form → {a}" for a in _post_forms_without_token(html)]
    assert forms >= (1 if role == "leader" else 10)
    assert not missing, "\n".join(missing)


def test_every_admin_form_carries_the_csrf_token(admin_staff, client, django_user_model):
    root = django_user_model.objects.create_superuser("root", "root@example.test", PASSWORD)
    sign_in(client, root)
    own = {type(o): o for o in admin_staff["a1"].records}
    missing, pages = [], 0
    for model in admin.site._registry:
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        targets = [reverse(f"{info}_add")]
        if model in own:
            targets.append(reverse(f"{info}_change", args=[own[model].pk]))
        for url in targets:
            response = client.get(url)
            if response.status_code == 200:
                pages += 1
                missing += [
                    f"{url}: {a}" for a in _post_forms_without_token(response.content.decode())
                ]
    assert pages >= 30
    assert not missing, "\n".join(missing)


@pytest.mark.django_db
def test_a_post_without_the_token_is_refused(cast):
    client = Client(enforce_csrf_checks=True)
    assert attempt(client, "jia_staff", PASSWORD).status_code == 403
    client.force_login(cast.street_staff, backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(reverse("facilities:create"), {"name": "无令牌"})
    assert response.status_code == 403
    assert "CSRF验证失败" in response.content.decode()  # Django's page, in Chinese
