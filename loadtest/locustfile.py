"""Signed-in users over the portal's busiest pages (docs/operations-reliability.md).

Run by loadtest/run.sh; by hand:
    locust -f loadtest/locustfile.py --headless -u 50 -r 10 -t 60s --host http://127.0.0.1:8765

LOADTEST_DATA   accounts made by loadtest/prepare.py (default loadtest/var/users.json)
LOADTEST_THINK  seconds a user waits between pages, "MIN-MAX" (default 1-3) or "0"
LOADTEST_LOGIN  "session" (default: the prepared session cookies) or "form" (sign in first)
LOADTEST_WRITE  "1": users who may edit also record activities and submit them for
                verification (loadtest/demo_sqlite.sh, and the month-end mix of
                loadtest/run.sh); default "0", reads only

User classes: PortalUser (the mix: home, dashboards, lists, the verification queue,
scorecards, the year cycle's reporting board, and with LOADTEST_WRITE=1 activities saved and
submitted), DistrictUser (one in ten: the district's dashboard, rankings, streets and
reporting board, as a district leader) and MinimalUser (one
light signed-in page, the password form: every middleware and the page layout, no data),
the reference of the saturation ratio (`locust … MinimalUser`).

A page counts as an error unless it answers 200 to a signed-in user: a redirect to the
sign-in page, a 404 of something in scope or a 500 are all failures.
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import threading
import time
from typing import Any

from locust import HttpUser, between, constant, events, task

DATA = json.loads(
    open(os.environ.get("LOADTEST_DATA", "loadtest/var/users.json"), encoding="utf-8").read()
)
_accounts = {
    "accounts": itertools.cycle(DATA["accounts"]),
    "district_accounts": itertools.cycle(DATA.get("district_accounts") or [None]),
}
# Numbered from this run's start time: the saturation runs are new locust processes on the
# same database, and a number counted from 1 again gave a user's activity the name (and
# community and date) of one saved in the run before: refused as a duplicate.
_numbers = itertools.count(int(time.time()) % 1_000_000 * 1000)
# The demo's year under load (loadtest/run.sh loads it as of 2015-06-15; demo_sqlite.sh says).
YEAR = int(os.environ.get("LOADTEST_YEAR", "2014"))
_lock = threading.Lock()


def _think() -> Any:
    spec = os.environ.get("LOADTEST_THINK", "1-3")
    if spec in ("0", ""):
        return constant(0)
    low, _, high = spec.partition("-")
    return between(float(low), float(high or low))


@events.test_start.add_listener
def _only_this_machine(environment: Any, **_: Any) -> None:
    # Traffic goes to a server of ours on the loopback interface and nowhere else.
    host = environment.host or ""
    if not re.match(r"^https?://(127\.0\.0\.1|localhost|\[::1\])(:\d+)?/?$", host):
        raise SystemExit(f"压测只允许本机地址（127.0.0.1），不能是：{host}")


class SignedInUser(HttpUser):
    """Signs in (or takes a prepared session) and checks each page; no tasks of its own.

    Locust adds a class's tasks to its bases' tasks, so the reference below must not derive
    from PortalUser: it would run the whole mix plus its one page."""

    abstract = True
    wait_time = _think()
    accounts = "accounts"  # which of the prepared lists this class signs in with

    def on_start(self) -> None:
        with _lock:
            self.account = next(_accounts[self.accounts])
        if os.environ.get("LOADTEST_LOGIN", "session") == "form":
            self.client.get("/login/", name="/login/")
            with self.client.post(
                "/login/",
                {
                    "username": self.account["username"],
                    "password": self.account["password"],
                    "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", ""),
                },
                headers={"Referer": f"{self.host}/login/"},
                name="/login/ (POST)",
                catch_response=True,
            ) as response:
                if response.status_code != 200 or "/login/" in response.url:
                    response.failure(f"sign-in failed: HTTP {response.status_code}")
                else:
                    response.success()
        else:
            self.client.cookies.set(DATA["cookie"], self.account["session"])

    def _page(self, url: str, name: str | None = None) -> None:
        with self.client.get(url, name=name or url, catch_response=True) as response:
            if response.status_code == 0:
                # No answer at all: say why (reset, refused, timed out), not just "HTTP 0".
                response.failure(f"no response: {type(response.error).__name__}: {response.error}")
            elif response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
            elif "/login/" in response.url:
                response.failure("signed out: redirected to the sign-in page")
            else:
                response.success()


class PortalUser(SignedInUser):
    """The month-end mix of the street and community accounts."""

    weight = 9

    @task(3)
    def home(self) -> None:
        self._page("/")

    @task(3)
    def dashboard(self) -> None:
        self._page("/dashboard/")

    @task(2)
    def facilities(self) -> None:
        self._page("/facilities/")

    @task(2)
    def teams(self) -> None:
        self._page("/teams/")

    @task(2)
    def activities(self) -> None:
        self._page("/activities/")

    @task(1)
    def activities_filtered(self) -> None:
        self._page(
            f"/activities/?year={YEAR}&status=verified&sort=-date", "/activities/?year&status&sort"
        )

    @task(2)
    def record_and_submit_activity(self) -> None:
        """The activity form, then a new activity saved and submitted for verification."""
        communities = self.account.get("communities") or []
        if os.environ.get("LOADTEST_WRITE", "0") != "1" or not communities:
            return
        self._page("/activities/new/")
        with _lock:
            number = next(_numbers)
        data = {
            "community": random.choice(communities),
            "name": f"压测活动{number}（{self.account['username']}）",
            "date": "2014-06-01",
            "category": "文化",
            "form": "文艺演出",
            "scale": "",
            "participants": "50",
            "description": "压测录入",
            "has_plan": "on",
            "has_arrangement": "on",
            "has_material": "on",
            "has_image": "on",
            "has_summary": "on",
            "submit": "1",
            "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", ""),
        }
        with self.client.post(
            "/activities/new/",
            data,
            headers={"Referer": f"{self.host}/activities/new/"},
            name="/activities/new/ (POST: save + submit)",
            catch_response=True,
        ) as response:
            if response.status_code != 200 or not re.search(r"/activities/\d+/$", response.url):
                response.failure(f"not saved: HTTP {response.status_code} {response.url}")
            elif "已保存并提交审核" not in response.text:
                response.failure("saved but not submitted")
            else:
                response.success()

    @task(2)
    def verification_queue(self) -> None:
        """Month-end: street staff look through what waits for verification."""
        if self.account.get("role") == "street_staff":
            self._page("/activities/queue/")

    @task(3)
    def scorecard(self) -> None:
        pk = random.choice(self.account["results"])
        self._page(f"/assessments/results/{pk}/", "/assessments/results/[id]/")

    @task(2)
    def reporting_board(self) -> None:
        """Month-end is when the year cycle's periods are submitted: who has, who is late."""
        self._page(f"/yearcycle/?year={YEAR}", "/yearcycle/?year")


class DistrictUser(SignedInUser):
    """District leaders (区县领导, read only) over the district's pages: one user in ten."""

    weight = 1
    accounts = "district_accounts"

    @task(3)
    def district_dashboard(self) -> None:
        self._page(f"/district/?year={YEAR}", "/district/?year")

    @task(2)
    def rankings(self) -> None:
        self._page(f"/district/rankings/?year={YEAR}", "/district/rankings/?year")

    @task(1)
    def ranking_by_card(self) -> None:
        self._page(f"/district/rankings/?year={YEAR}&by=card:A", "/district/rankings/?year&by")

    @task(1)
    def streets(self) -> None:
        self._page(f"/district/streets/?year={YEAR}", "/district/streets/?year")

    @task(1)
    def reporting(self) -> None:
        self._page(f"/district/reporting/?year={YEAR}", "/district/reporting/?year")


class MinimalUser(SignedInUser):
    """The saturation reference: one light signed-in page, the same sign-in and checks."""

    @task
    def password_form(self) -> None:
        self._page("/account/password/")
