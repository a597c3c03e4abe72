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
