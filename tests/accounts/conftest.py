"""Helpers of the account-security tests: a real sign-in, TOTP codes, the roles that must
use a second factor switched on."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import otp
from security_log.models import SecurityEvent
from tests.conftest import PASSWORD
from tests.security.conftest import world  # noqa: F401 — the scope matrix's records

REQUIRED = ["street_admin", "street_staff", "operator"]


@pytest.fixture
def otp_required(settings):
    settings.OTP_REQUIRED_ROLES = REQUIRED
    return settings


def password_sign_in(client: Client, user: Any, password: str = PASSWORD) -> Any:
    response = client.post(
        reverse("login"), {"username": user.get_username(), "password": password}
    )
    assert response.status_code == 302, "the password step failed"
    return response


def code_of(device: TOTPDevice, *, drift: int = 0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, drift=drift):06d}"


def enrol(user: Any) -> tuple[TOTPDevice, list[str]]:
    """A confirmed authenticator and a fresh set of backup codes, as the setup page leaves them."""
    device = otp.pending_totp(user)
    assert otp.confirm_totp(user, code_of(device)) is not None
    return device, otp.new_backup_codes(user)


def events(name: str, **filters: Any) -> list[SecurityEvent]:
    return list(SecurityEvent.objects.filter(event=name, **filters).order_by("seq"))
