"""Second factor (django-otp): a TOTP authenticator app plus one-time backup codes.

Enrolment makes an unconfirmed TOTP device, shows its QR code (drawn here as SVG, no outside
service) and confirms it with a first code; backup codes are a StaticDevice whose tokens are
each removed when used. Every change is written to the security log by the views.
"""

from __future__ import annotations

from typing import Any

import segno
from django.conf import settings
from django.db import transaction
from django_otp import devices_for_user, match_token, user_has_device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

TOTP_NAME = "手机验证器"
BACKUP_NAME = "备用验证码"


def has_device(user: Any) -> bool:
    return user.is_authenticated and user_has_device(user, confirmed=True)


def totp_device(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def pending_totp(user: Any) -> TOTPDevice:
    """The unconfirmed device being set up (one per user), made on first use."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    return device or TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// address as an inline SVG QR code."""
    return segno.make(device.config_url, error="m").svg_inline(scale=5, dark="#000")


def secret_text(device: TOTPDevice) -> str:
    """The key for typing into an app by hand, in groups of four."""
    from base64 import b32encode

    key = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(key[i : i + 4] for i in range(0, len(key), 4))


def normalise(token: str) -> str:
    return "".join(token.split()).replace("-", "").lower()


@transaction.atomic
def confirm_totp(user: Any, token: str) -> TOTPDevice | None:
    """Confirm the pending device with its first code; None when the code is wrong."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
    if device is None or not device.verify_token(normalise(token)):
        return None
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return device


@transaction.atomic
def new_backup_codes(user: Any) -> list[str]:
    """A fresh set of OTP_BACKUP_CODES codes; the earlier ones stop working."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=BACKUP_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(settings.OTP_BACKUP_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


def backup_codes_left(user: Any) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def check_token(user: Any, token: str) -> Any:
    """The device that accepts `token` (a backup code is used up by this), or None."""
    token = normalise(token)
    if not token:
        return None
    return match_token(user, token)


@transaction.atomic
def reset(user: Any) -> int:
    """Remove every second-factor device of `user`; they enrol again at the next sign-in
    (when their role requires it). Returns how many devices were removed."""
    devices = list(devices_for_user(user, confirmed=None))
    for device in devices:
        device.delete()
    return len(devices)
