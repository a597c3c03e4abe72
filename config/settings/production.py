"""Production: PostgreSQL from DATABASE_URL, a real secret key, secure cookies and headers.

The environment that `manage.py check --deploy --fail-level WARNING` passes with is written
down in docs/operations.md and checked by tests/security/test_production_settings.py.
"""

import os

from .base import *  # noqa: F403
from .base import env

DEBUG = False
# Read as it is: django-environ takes a value starting with "$" for a reference to another
# variable, and Django's own key generator (which the docs tell to use) can produce one.
# env() still raises the clear "set DJANGO_SECRET_KEY" error when it is missing.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or env("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
DATABASES = {"default": env.db("DATABASE_URL")}
sqlite_options(DATABASES["default"])  # noqa: F405 (issue 21: production may run SQLite too)
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# How many reverse proxies (nginx …) stand in front of gunicorn. Their X-Forwarded-Proto and
# X-Forwarded-For are trusted only when there is one: a client talking to gunicorn directly
# could otherwise claim https, or another address to dodge the sign-in lockout.
TRUSTED_PROXIES = env.int("DJANGO_TRUSTED_PROXIES", default=1)
if TRUSTED_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    AXES_CLIENT_IP_CALLABLE = "portal.client_ip.client_ip"

SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = True
# No script of the portal reads the CSRF cookie (forms carry the token), so scripts may not.
CSRF_COOKIE_HTTPONLY = True
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# Uploaded archives, agreements and workbooks hold residents' data: not for other accounts
# on the server.
FILE_UPLOAD_PERMISSIONS = 0o640
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o750

# ==================================================================== security (issue 14)
# Street admins, street staff, district admins and operators must sign in with a second factor (TOTP or a
# backup code); cadres and leaders may. Sessions, passwords and the security log keep the
# defaults of base.py unless the environment says otherwise (docs/security.md).
OTP_REQUIRED_ROLES = env.list(
    "OTP_REQUIRED_ROLES", default=["street_admin", "street_staff", "district_admin", "operator"]
)
