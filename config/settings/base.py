"""Settings shared by every environment; everything that differs comes from the environment."""

import os
from pathlib import Path

import environ

from config.code_version import source_digest

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env(
    DJANGO_DEBUG=(bool, False),
    DJANGO_ALLOWED_HOSTS=(list, ["localhost", "127.0.0.1", "[::1]"]),
)
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env("DJANGO_DEBUG")
# The built-in key is public, for development: scripts/demo.sh gives each machine its own
# (var/secret_key) and production.py demands a real one.
# Read as it is (a key may start with "$", which django-environ would take for a reference).
SECRET_KEY = (
    os.environ.get("DJANGO_SECRET_KEY") or "dev-only-insecure-key-change-me-0123456789abcdef"
)
ALLOWED_HOSTS = env("DJANGO_ALLOWED_HOSTS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tables2",
    "django_filters",
    "simple_history",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "pgtrigger",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "security_log",
    "inbox",
    "portal",
    "communities",
    "reporting",
    "checks",
    "accounts",
    "facilities",
    "teams",
    "activities",
    "evidence",
    "delivery",
    "yearcycle",
    "service",
    "rectification",
    "assessments",
    "reports",
    "home",
    "dashboard",
    "district",
    "search",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Axes wraps everything after it: it turns repeated failed sign-ins into a lockout.
    "axes.middleware.AxesMiddleware",
    # Last: runs the view of a POST (PUT, PATCH, DELETE) in one transaction (issue 21).
    "config.write_transactions.WriteRequestsAtomicMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "communities.context_processors.membership",
                "inbox.context_processors.inbox",
            ],
        },
    },
]

# SQLite under var/ is the zero-set-up default; DATABASE_URL=postgres://… for production.
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}


# Computed assessments (assessments/cache.py) and the district's year (district/selectors.py).
# Never stale, whichever cache: every key carries the street's data version, which each write
# raises in its own transaction, so no entry from before a write is ever read; and the key
# prefix is the code's digest (config/code_version.py), so no entry of older code either.
# The default, a cache per process, needs nothing set up. SCORE_CACHE_URL (django-environ's
# cache URLs) shares the entries between a server's processes instead, so each street's
# scores are computed once per data version rather than once in each process:
# filecache:///dev/shm/wenti-scores. A shared cache outlives the database it was computed
# from: empty it after restoring a backup (docs/operations.md), since versions count again
# from the restored ones.
# MAX_ENTRIES: a city's hundred streets, each in a few shapes (dashboard, scorecard, district).
def score_cache(default_url: str) -> dict[str, dict]:
    config = env.cache_url("SCORE_CACHE_URL", default=default_url)
    config.setdefault("OPTIONS", {})["MAX_ENTRIES"] = env.int("SCORE_CACHE_ENTRIES", default=2000)
    config["KEY_PREFIX"] = source_digest(BASE_DIR)
    return {"default": config}


CACHES = score_cache("locmemcache://wenti-scores")

# ---------------------------------------------------------------- SQLite for a small office
# (issue 21; README "How many users"). Only requests that may write run in a transaction
# (config.write_transactions, instead of ATOMIC_REQUESTS); a page view reads in autocommit.


def sqlite_options(database: dict) -> dict:
    """WAL (readers never wait for the writer), synchronous=NORMAL (safe with WAL: a power
    cut loses at most the last commits, never the file), a busy timeout longer than the
    slowest write, and transactions that take the write lock when they begin (IMMEDIATE), so
    two staff acting on the same record are serialised (PostgreSQL: SELECT … FOR UPDATE)."""
    if database["ENGINE"].endswith("sqlite3"):
        database.setdefault("OPTIONS", {}).update(
            transaction_mode="IMMEDIATE",
            timeout=env.int("SQLITE_BUSY_TIMEOUT", default=60),
            init_command="PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        )
    return database


sqlite_options(DATABASES["default"])
# ---------------------------------------------------------------- end of SQLite block
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"

# The main menu's entries (portal/nav.py builds the menu; one line per page there).
PORTAL_NAV = "config.nav.ENTRIES"
LOGOUT_REDIRECT_URL = "login"

AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = 0.25  # hours: a locked-out user may try again after 15 minutes
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"

SESSION_EXPIRE_AT_BROWSER_CLOSE = True

LANGUAGE_CODE = "zh-hans"
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["config.formats"]
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "static/"
STATIC_ROOT = env("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# favicon.ico and apple-touch-icon.png, which browsers ask for at the site root.
WHITENOISE_ROOT = BASE_DIR / "static" / "root"

# Uploaded files go through Django's storage API; they are never served from a public URL
# (activities.views.archive_file checks the user's scope before streaming them).
MEDIA_ROOT = env("DJANGO_MEDIA_ROOT", default=str(VAR_DIR / "media"))
MEDIA_URL = "/media-not-public/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed names (app.3f2a….css) so that WhiteNoise can let browsers keep them a year
    # (Cache-Control: max-age=315360000, immutable); a changed file gets a new name.
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Upload limits for the 五有 archive (bytes).
ARCHIVE_MAX_UPLOAD_SIZE = env.int("ARCHIVE_MAX_UPLOAD_SIZE", default=20 * 1024 * 1024)
# 照片核查 (evidence): a photo taken more than this many days from its activity is flagged;
# photos whose perceptual hashes differ in at most this many bits are the same photo.
EVIDENCE_DATE_TOLERANCE_DAYS = env.int("EVIDENCE_DATE_TOLERANCE_DAYS", default=3)
EVIDENCE_MATCH_DISTANCE = env.int("EVIDENCE_MATCH_DISTANCE", default=10)
# The standard workbook: refused before reading when larger than this (workbook.md).
# 志愿服务 (service): 注册志愿者星级 by cumulative hours (一星…五星), the yearly cap of
# make-up (补录) hours per person, and the rules for instructors due for promotion.
SERVICE_STAR_HOURS = [100, 300, 600, 1000, 1500]
SERVICE_MAKEUP_CAP_HOURS = env.int("SERVICE_MAKEUP_CAP_HOURS", default=40)
SERVICE_INACTIVE_MONTHS = 12
# 《社会体育指导员管理办法》(国家体育总局令第16号): 申请晋升上一等级须取得现等级满一定年限
# (三级→二级 2 年, 二级→一级 3 年, 一级→国家级 4 年) and serve regularly; the number of
# services in the past twelve months asked for here is the street's own rule.
SERVICE_PROMOTION_YEARS = {"三级": 2, "二级": 3, "一级": 4}
SERVICE_PROMOTION_MIN_SERVICES = 12
SERVICE_EXPIRY_WARNING_DAYS = 90

WORKBOOK_MAX_SIZE = 20 * 1024 * 1024
WORKBOOK_MAX_ROWS = 200_000
DATA_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024

# Background work (imports, exports, PDFs) is queued in the database and run by
# `python manage.py db_worker` (django-tasks-db); the browser follows reports.Job.
TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]},
}

DJANGO_TABLES2_TEMPLATE = "django_tables2/table.html"
DJANGO_TABLES2_PAGE_RANGE = 7

SIMPLE_HISTORY_REVERT_DISABLED = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="WARNING")},
}


# ==================================================================== security (issue 14)
# Two-factor sign-in, sessions, passwords and the security log. Kept together here; other
# settings blocks (database, CSP …) are separate. docs/security.md says which control each
# setting answers.

# Roles that must sign in with a second factor (TOTP or a backup code). "operator" is a
# superuser (district operator). The demo leaves it empty (optional for everybody);
# production.py requires it for street admins, street staff and operators. Switch it on in
# any environment with OTP_REQUIRED_ROLES=street_admin,street_staff,operator in .env.
OTP_REQUIRED_ROLES = env.list("OTP_REQUIRED_ROLES", default=[])
OTP_TOTP_ISSUER = "社区文体工作平台"
OTP_BACKUP_CODES = 10

# A session ends after this long without a request, and in any case this long after sign-in.
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=30 * 60)  # seconds
SESSION_ABSOLUTE_LIFETIME = env.int("SESSION_ABSOLUTE_LIFETIME", default=12 * 3600)
SESSION_COOKIE_AGE = SESSION_ABSOLUTE_LIFETIME

# Passwords: at least 8 characters from 3 of the 4 kinds, none of the last 5 again; expiry
# after PASSWORD_MAX_AGE_DAYS days when set (0 = never).
PASSWORD_HISTORY_COUNT = 5
PASSWORD_MAX_AGE_DAYS = env.int("PASSWORD_MAX_AGE_DAYS", default=0)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "accounts.passwords.ComplexityValidator"},
    {"NAME": "accounts.passwords.HistoryValidator"},
]

# A locked-out user is told the time they may try again (accounts.lockout).
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"

# The security log keeps entries this many days (网络安全法: at least 180);
# `manage.py purge_security_log` removes older ones.
SECURITY_LOG_RETENTION_DAYS = env.int("SECURITY_LOG_RETENTION_DAYS", default=180)

# After authentication (the second factor is checked for the signed-in user), before axes.
_AXES = MIDDLEWARE.index("axes.middleware.AxesMiddleware")
MIDDLEWARE[_AXES:_AXES] = [
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.SessionLimitsMiddleware",
    "accounts.middleware.SecondFactorMiddleware",
    "accounts.middleware.PasswordExpiryMiddleware",
]

# ---------------------------------------------------------------- Content-Security-Policy
# (issue 14, item 5) django-csp 4: only the portal's own files run and style a page. No
# inline <script>, <style>, style= or on…= anywhere in the templates: behaviour lives in
# static/js, looks in static/css (tests/security/test_csp.py walks every page for violations).
# PDFs rendered by WeasyPrint never reach a browser and keep their inline styles.
from csp.constants import NONE, SELF  # noqa: E402

INSTALLED_APPS += ["csp"]
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.middleware.security.SecurityMiddleware") + 1,
    "csp.middleware.CSPMiddleware",
)
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# ---------------------------------------------------------------- personal data (PIPL)
# (issue 14, item 4; the privacy app) Phones are masked on every screen and export. Roles
# that may see one full number (with a stated reason, logged): "street_admin",
# "street_staff", "community_admin" (the person's own community only), "leader", and
# "operator" for the district operator (a superuser).
INSTALLED_APPS += ["privacy"]
PIPL_REVEAL_ROLES = env.list("PIPL_REVEAL_ROLES", default=["street_admin", "community_admin"])
# Who anonymises persons who left (PIPL art. 47) and reviews those past the retention period.
PIPL_ANONYMISE_ROLES = env.list("PIPL_ANONYMISE_ROLES", default=["street_admin", "operator"])
# Days after a person left (their last roster, volunteer, certificate or post ended) before
# the street admin's review page lists them.
PIPL_RETENTION_DAYS = env.int("PIPL_RETENTION_DAYS", default=3 * 365)
# Phone and ID-card numbers are masked in every log line (privacy/logging.py).
LOGGING = {
    **LOGGING,
    "filters": {"redact_personal_data": {"()": "privacy.logging.RedactPersonalData"}},
    "handlers": {
        name: {**handler, "filters": [*handler.get("filters", []), "redact_personal_data"]}
        for name, handler in LOGGING["handlers"].items()
    },
}
