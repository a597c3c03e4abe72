"""Prepares a load-test database: a 2014 assessment run per street and 50 signed-in users.

    DJANGO_SETTINGS_MODULE=config.settings.loadtest python loadtest/prepare.py OUT.json

Users are lt_001 … lt_050 spread over every street: 60 % street staff, 10 % leaders and 30 %
community cadres (each sees only their community, as the portal scopes them). Each gets a
session made as a sign-in makes it, so the test measures the pages rather than 50 PBKDF2
hashes at once; with LOADTEST_LOGIN=form the locust users sign in through /login/ instead,
with the password below. OUT.json lists, per user, the session key and the scorecards
(CommunityResult ids) the user may open.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.loadtest")
django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import (  # noqa: E402
    BACKEND_SESSION_KEY,
    HASH_SESSION_KEY,
    SESSION_KEY,
    get_user_model,
)
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.sessions.backends.db import SessionStore  # noqa: E402

from assessments.services import run_assessment  # noqa: E402
from communities.models import Membership, Role, Street  # noqa: E402

YEAR = int(os.environ.get("LOADTEST_YEAR", "2014"))
USERS = int(os.environ.get("LOADTEST_USERS", "50"))
PASSWORD = "loadtest-pass-2014"
BACKEND = "django.contrib.auth.backends.ModelBackend"


def _role(i: int) -> str:
    slot = i % 10
    return Role.STREET_STAFF if slot < 6 else Role.LEADER if slot == 6 else Role.COMMUNITY_ADMIN


def _session(user) -> str:
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = BACKEND
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.create()
    return session.session_key


def main(out: str) -> None:
    User = get_user_model()
    hashed = make_password(PASSWORD)  # one hash for all: 50 PBKDF2 runs would take a minute
    streets = list(Street.objects.order_by("pk"))
    results: dict[int, list[tuple[int, int]]] = {}
    for street in streets:
        runner, _ = User.objects.get_or_create(username=f"lt_runner_{street.pk}")
        Membership.objects.update_or_create(
            user=runner, defaults={"role": Role.STREET_STAFF, "street": street, "community": None}
        )
        run = run_assessment(street=street, year=YEAR, user=runner)
        results[street.pk] = list(run.results.values_list("pk", "community_id"))
        print(
            f"{street.name}：{YEAR} 年考核第 {run.version} 版，{len(results[street.pk])} 个社区",
            file=sys.stderr,
        )

    accounts = []
    for i in range(USERS):
        street = streets[i % len(streets)]
        role = _role(i)
        community_id = None
        visible = [pk for pk, _ in results[street.pk]]
        if role == Role.COMMUNITY_ADMIN:
            pk, community_id = results[street.pk][(i // len(streets)) % len(results[street.pk])]
            visible = [pk]
        user, _ = User.objects.update_or_create(
            username=f"lt_{i + 1:03d}", defaults={"password": hashed, "is_active": True}
        )
        Membership.objects.update_or_create(
            user=user, defaults={"role": role, "street": street, "community_id": community_id}
        )
        editable = (
            []
            if role == Role.LEADER
            else [community_id]
            if community_id
            else list(street.communities.values_list("pk", flat=True))
        )
        accounts.append(
            {
                "username": user.username,
                "password": PASSWORD,
                "role": role,
                "session": _session(user),
                "results": visible,
                "communities": editable,  # where the user may record activities
            }
        )

    # District leaders open the district's pages at month-end too: one district viewer for
    # every ten street accounts, of the first street's district (the demo's 江干区).
    district_accounts = []
    district_id = next((s.district_id for s in streets if s.district_id), None)
    for i in range(max(1, USERS // 10) if district_id else 0):
        user, _ = User.objects.update_or_create(
            username=f"lt_district_{i + 1:03d}", defaults={"password": hashed, "is_active": True}
        )
        Membership.objects.update_or_create(
            user=user,
            defaults={"role": Role.DISTRICT_VIEWER, "district_id": district_id, "street": None},
        )
        district_accounts.append(
            {
                "username": user.username,
                "password": PASSWORD,
                "role": Role.DISTRICT_VIEWER,
                "session": _session(user),
            }
        )

    Path(out).write_text(
        json.dumps(
            {
                "cookie": settings.SESSION_COOKIE_NAME,
                "accounts": accounts,
                "district_accounts": district_accounts,
            },
            ensure_ascii=False,
            indent=1,
        )
    )
    roles = {r: sum(a["role"] == r for a in accounts + district_accounts) for r in Role.values}
    print(f"{len(accounts)} 个压测用户（{roles}）→ {out}", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1])
