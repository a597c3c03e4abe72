import json
import os
import re
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.conf import settings


@pytest.mark.django_db
def test_404_page_is_chinese(client, cast):
    client.force_login(cast.cadre_a1, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "没有找到该页面" in response.content.decode()


# ---------------------------------------------------------------- the demo's server (issue 21)

_DEMO_REQUEST = r"""
import json
import django
django.setup()
from django.conf import settings
from django.core.management import call_command
from django.test import Client
# as scripts/demo.sh does before serving: hashed static names need their manifest
call_command("collectstatic", interactive=False, verbosity=0)
response = Client().get("/no-such-page/", HTTP_HOST="localhost")
other_host = Client().get("/login/", HTTP_HOST="somewhere.example")
print(json.dumps({"debug": settings.DEBUG, "status": response.status_code,
                  "body": response.content.decode(), "other_host": other_host.status_code,
                  "other_host_body": other_host.content.decode()}))
"""

INTERNALS = ("Traceback", "urlpatterns", "URLconf", "config.urls", "SECRET_KEY", "DATABASES")


def _demo_settings_module() -> str:
    script = (Path(settings.BASE_DIR) / "scripts" / "demo.sh").read_text()
    return re.search(r"DJANGO_SETTINGS_MODULE:-([\w.]+)", script).group(1)


def test_the_demo_runs_with_debug_off_and_a_missing_url_is_the_chinese_404(tmp_path):
    env = {
        "PATH": os.environ.get("PATH", ""),
        "LANG": "C.UTF-8",
        "DJANGO_SETTINGS_MODULE": _demo_settings_module(),  # as scripts/demo.sh starts it
        "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3",
        "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
    }
    result = subprocess.run(
        [sys.executable, "-c", _DEMO_REQUEST],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    page = json.loads(result.stdout.strip().splitlines()[-1])
    assert page["debug"] is False
    assert page["status"] == 404
    assert "没有找到该页面" in page["body"]
    assert [word for word in INTERNALS if word in page["body"]] == []
    # A name the server does not answer to: the Chinese 400, not DisallowedHost's details.
    assert page["other_host"] == 400
    assert "请求无效" in page["other_host_body"]
    assert "somewhere.example" not in page["other_host_body"]


@pytest.mark.django_db
def test_a_crash_is_the_chinese_500_without_internals(client, cast):
    client.force_login(cast.cadre_a1, backend="django.contrib.auth.backends.ModelBackend")
    client.raise_request_exception = False
    crash = RuntimeError("internal-detail-of-the-crash")
    with mock.patch("home.views.selectors.home_figures", side_effect=crash):
        response = client.get("/")
    body = response.content.decode()
    assert response.status_code == 500
    assert "系统暂时出错" in body
    assert [w for w in (*INTERNALS, "internal-detail-of-the-crash") if w in body] == []
