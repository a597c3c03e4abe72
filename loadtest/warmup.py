"""Warms the freshly started gunicorn workers and checks that the prepared sessions work.

    python loadtest/warmup.py USERS.json http://127.0.0.1:8765

Each worker compiles its templates and opens its database connection on its first requests;
a production server has long done that, so the measured minute should not include it. Every
page of the mix is asked for by a user of each role, four at a time; anything but a 200 for
a signed-in user stops the load test before it starts.
"""

from __future__ import annotations

import json
import sys
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

PAGES = [
    "/",
    "/dashboard/",
    "/facilities/",
    "/teams/",
    "/activities/",
    "/activities/?year=2014&status=verified&sort=-date",
    "/yearcycle/?year=2014",
]
DISTRICT_PAGES = [  # a district leader's (loadtest/prepare.py makes one in ten)
    "/district/?year=2014",
    "/district/rankings/?year=2014",
    "/district/rankings/?year=2014&by=card:A",
    "/district/streets/?year=2014",
    "/district/reporting/?year=2014",
]
ROUNDS = 3


def _get(base: str, cookie: str, path: str) -> tuple[str, int, str]:
    request = urllib.request.Request(base + path, headers={"Cookie": cookie})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return path, response.status, response.url
    except urllib.error.HTTPError as error:
        return path, error.code, error.url


def main(data_path: str, base: str) -> int:
    data = json.loads(open(data_path, encoding="utf-8").read())
    one_per_role = {a["role"]: a for a in data["accounts"]}.values()
    jobs = [
        (f"{data['cookie']}={a['session']}", path)
        for a in one_per_role
        for path in [*PAGES, f"/assessments/results/{a['results'][0]}/"]
    ]
    jobs += [
        (f"{data['cookie']}={a['session']}", path)
        for a in data.get("district_accounts", [])[:1]
        for path in DISTRICT_PAGES
    ]
    jobs *= ROUNDS
    with ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda job: _get(base, *job), jobs))
    bad = [
        (path, status, url) for path, status, url in results if status != 200 or "/login/" in url
    ]
    for path, status, url in bad:
        print(f"预热失败：{path} → {status} {url}", file=sys.stderr)
    print(f"预热：{len(results)} 个请求，{len(bad)} 个失败", file=sys.stderr)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2].rstrip("/")))
