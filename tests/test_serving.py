"""Serving (issue 20): static files under hashed names, kept by browsers for a year."""

from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command
from django.test import override_settings
from whitenoise.middleware import WhiteNoiseMiddleware

from config.settings import base


def test_production_static_files_have_hashed_names_and_far_future_caching(tmp_path):
    assert base.STORAGES["staticfiles"]["BACKEND"] == (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )
    with override_settings(
        STORAGES=base.STORAGES, STATIC_ROOT=str(tmp_path), WHITENOISE_USE_FINDERS=False
    ):
        call_command("collectstatic", interactive=False, verbosity=0)
        url = staticfiles_storage.url("css/home.css")
        assert url != "/static/css/home.css" and url.endswith(".css")  # the content's hash
        middleware = WhiteNoiseMiddleware(get_response=lambda request: None)
        # A hashed name never changes content: browsers keep it for good (a year and more).
        assert middleware.immutable_file_test("", url)
        assert not middleware.immutable_file_test("", "/static/css/home.css")
