"""Test settings: fast hashing, files in a temporary folder, no throttling surprises."""

import tempfile

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = "test-only-key-0123456789abcdef0123456789abcdef"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = tempfile.mkdtemp(prefix="wenti-test-media-")
# WhiteNoise expects STATIC_ROOT to exist; tests serve static files through the finders.
STATIC_ROOT = tempfile.mkdtemp(prefix="wenti-test-static-")
WHITENOISE_USE_FINDERS = True
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
DATABASES = {
    "default": env.db("DATABASE_URL", default="sqlite:///:memory:"),
}
sqlite_options(DATABASES["default"])  # noqa: F405 (issue 21)
AXES_ENABLED = env.bool("AXES_ENABLED", default=False)
# Jobs stay queued in memory; tests run them explicitly to see each state in between.
TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
