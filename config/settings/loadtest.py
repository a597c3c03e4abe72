"""The load test (loadtest/run.sh): production settings, served over plain HTTP on 127.0.0.1.

Everything is production.py (DEBUG off, PostgreSQL, persistent connections, real password
hashing) except what HTTPS would give: without TLS a Secure cookie is never sent back, and
an HTTPS redirect would turn every request into a redirect to a port nobody listens on.
"""

from .production import *  # noqa: F403

SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SECURE_HSTS_SECONDS = 0
# The load test's users come with prepared sessions (loadtest/prepare.py), never through a
# second factor; production would send street staff to set one up before their first save,
# so the month-end mix (saving and submitting activities) could not be measured.
OTP_REQUIRED_ROLES: list[str] = []
