"""The browser's address behind the reverse proxy, for django-axes.

Behind a proxy every request comes from the proxy's address; a lockout keyed on "username +
address" would then lock that username for everyone, so anyone could lock out the street
admin by typing a wrong password five times. Each trusted proxy appends the address it saw
to X-Forwarded-For; the client is the one that many places from the right. Entries further
left were written by the client itself and are not trusted.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_ip(request: HttpRequest) -> str | None:
    proxies = getattr(settings, "TRUSTED_PROXIES", 0)
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [a for a in forwarded if a]
    if proxies and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")
