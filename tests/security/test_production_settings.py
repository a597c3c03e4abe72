"""config.settings.production, with the environment docs/operations.md documents: the deploy
check is clean, and a real sign-in gets https-only cookies and the security headers."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management.utils import get_random_secret_key
from django.test import Client, override_settings
from django.urls import reverse

from tests.conftest import PASSWORD

DOC = Path(settings.BASE_DIR) / "docs" / "operations.md"
SECURITY_SETTINGS = (
    "DEBUG",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "X_FRAME_OPTIONS",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_HTTPONLY",
    "SECURE_PROXY_SSL_HEADER",
    "SESSION_COOKIE_AGE",
    "SESSION_EXPIRE_AT_BROWSER_CLOSE",
    "TRUSTED_PROXIES",
    "AXES_CLIENT_IP_CALLABLE",
    "CSRF_TRUSTED_ORIGINS",
    "ALLOWED_HOSTS",
    "OTP_REQUIRED_ROLES",
    "SESSION_IDLE_TIMEOUT",
    "SESSION_ABSOLUTE_LIFETIME",
    "SECURITY_LOG_RETENTION_DAYS",
)


def documented_environment() -> dict[str, str]:
    """The block after <!-- production-env --> in docs/operations.md, with a real key."""
    after = DOC.read_text(encoding="utf-8").split("<!-- production-env -->", 1)[1]
    block = re.search(r"```env\n(.*?)```", after, re.S)
    assert block, "docs/operations.md has no ```env block after <!-- production-env -->"
    env = dict(
        line.split("=", 1)
        for line in block.group(1).splitlines()
        if line.strip() and not line.startswith("#")
    )
    assert env["DJANGO_SETTINGS_MODULE"] == "config.settings.production"
    env["DJANGO_SECRET_KEY"] = get_random_secret_key()  # the doc says to generate one
    return env


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    """A fresh interpreter with only the documented environment (not the test's own)."""
    clean = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "HOME": os.environ.get("HOME", "/tmp"),
    }
    return subprocess.run(
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_the_deploy_check_is_clean_with_the_documented_environment():
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], documented_environment()
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    env = documented_environment()
    del env["DJANGO_SECRET_KEY"]
    result = run(["manage.py", "check"], env)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_a_secret_key_starting_with_a_dollar_sign_is_taken_as_it_is():
    """Django's key generator can start a key with "$", which django-environ would read as a
    reference to another variable (seen once in CI: production failed to start)."""
    env = documented_environment()
    env["DJANGO_SECRET_KEY"] = "$" + get_random_secret_key()[1:]
    result = run(["-c", CHECK_KEY], env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == env["DJANGO_SECRET_KEY"]


CHECK_KEY = (
    "import django; django.setup(); from django.conf import settings; print(settings.SECRET_KEY)"
)


def test_a_client_cannot_claim_https_when_no_proxy_is_trusted():
    env = {**documented_environment(), "DJANGO_TRUSTED_PROXIES": "0"}
    values = production_values(env)
    assert values["SECURE_PROXY_SSL_HEADER"] is None
    assert values["AXES_CLIENT_IP_CALLABLE"] is None


_DUMP = """
import json, django
django.setup()
from django.conf import settings
from django.core.management import call_command
# As the documented start-up does: pages name static files by their hashed names (issue 20).
call_command("collectstatic", interactive=False, verbosity=0)
from django.test import Client
names = json.loads(input())
values = {n: getattr(settings, n, None) for n in names}
host = settings.ALLOWED_HOSTS[0]
plain = Client().get("/login/", HTTP_HOST=host)
secure = Client().get("/login/", HTTP_HOST=host, secure=True)
proxied = Client().get("/login/", HTTP_HOST=host, HTTP_X_FORWARDED_PROTO="https")
values["_responses"] = {
    "plain": [plain.status_code, plain.get("Location", "")],
    "secure": [secure.status_code, dict(secure.headers)],
    "proxied": proxied.status_code,
}
print(json.dumps(values, default=str))
"""


def production_values(env: dict[str, str]) -> dict[str, Any]:
    """The settings, and three requests to the sign-in page, in a production interpreter.

    Only the places differ from the documented environment: a request may touch the database
    (sessions, sign-in throttling), so it needs one that exists here.
    """
    scratch = tempfile.mkdtemp(prefix="wenti-prod-")
    env = {
        **env,
        "DATABASE_URL": f"sqlite:///{scratch}/db.sqlite3",
        "DJANGO_STATIC_ROOT": f"{scratch}/static",
        "DJANGO_MEDIA_ROOT": f"{scratch}/media",
    }
    result = subprocess.run(
        [sys.executable, "-c", _DUMP],
        cwd=settings.BASE_DIR,
        input=json.dumps(SECURITY_SETTINGS),
        env={"PATH": os.environ.get("PATH", ""), "LANG": "C.UTF-8", **env},
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def production() -> dict[str, Any]:
    return production_values(documented_environment())


def test_production_values(production):
    p = production
    assert p["DEBUG"] is False
    assert p["SECURE_SSL_REDIRECT"] is True
    assert p["SECURE_HSTS_SECONDS"] >= 31536000 and p["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
    assert p["SECURE_CONTENT_TYPE_NOSNIFF"] and p["X_FRAME_OPTIONS"] == "DENY"
    assert p["SESSION_COOKIE_SECURE"] and p["SESSION_COOKIE_HTTPONLY"]
    assert p["CSRF_COOKIE_SECURE"] and p["CSRF_COOKIE_HTTPONLY"]
    assert p["SESSION_EXPIRE_AT_BROWSER_CLOSE"]
    # Sessions end after 30 idle minutes and at the latest 12 hours after sign-in.
    assert (p["SESSION_IDLE_TIMEOUT"], p["SESSION_ABSOLUTE_LIFETIME"]) == (1800, 12 * 3600)
    assert p["SESSION_COOKIE_AGE"] <= p["SESSION_ABSOLUTE_LIFETIME"]
    # Production requires the second factor of street admins, street staff and operators.
    assert sorted(p["OTP_REQUIRED_ROLES"]) == [
        "district_admin",
        "operator",
        "street_admin",
        "street_staff",
    ]
    assert p["SECURITY_LOG_RETENTION_DAYS"] >= 180
    assert p["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert p["CSRF_TRUSTED_ORIGINS"] == ["https://" + p["ALLOWED_HOSTS"][0]]


def test_production_answers_http_with_https_and_sends_the_headers(production):
    status, location = production["_responses"]["plain"]
    assert status == 301 and location.startswith("https://")
    status, headers = production["_responses"]["secure"]
    assert status == 200
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "includeSubDomains" in headers["Strict-Transport-Security"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert production["_responses"]["proxied"] == 200  # the proxy's word for https is taken


@pytest.mark.django_db
def test_a_sign_in_under_production_settings_gets_https_only_cookies(cast, production):
    values = {
        k: production[k]
        for k in SECURITY_SETTINGS
        if k not in ("ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS", "AXES_CLIENT_IP_CALLABLE")
    }
    values["SECURE_PROXY_SSL_HEADER"] = tuple(values["SECURE_PROXY_SSL_HEADER"])
    with override_settings(**values):
        client = Client()
        assert client.get(reverse("login")).status_code == 301
        page = client.get(reverse("login"), secure=True)
        csrf = page.cookies[settings.CSRF_COOKIE_NAME]
        assert csrf["secure"] and csrf["httponly"]
        response = client.post(
            reverse("login"), {"username": "jia_staff", "password": PASSWORD}, secure=True
        )
        assert response.status_code == 302
        session = response.cookies[settings.SESSION_COOKIE_NAME]
        assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"
        assert response["Strict-Transport-Security"].startswith("max-age=")
        # Street staff must set up the second factor before any page (production requires it).
        first = client.get(reverse("home"), secure=True)
        assert first.status_code == 302
        assert first["Location"].startswith(reverse("accounts:otp_setup"))
        home = client.get(first["Location"], secure=True)
        assert home.status_code == 200
        assert home["X-Frame-Options"] == "DENY" and home["X-Content-Type-Options"] == "nosniff"
