"""Issue 15's reporting board in the benchmarks.

The synthetic city has no period submissions, so `ensure_submissions` gives the streets
measured a year of them in a fixed pattern (of every 20 community-months: 13 approved on
time, 2 submitted late, 1 returned, 1 waiting, 3 never sent), idempotent per community.
`cases` measures the board of the city's largest street for its staff (median time and
queries), and counts the queries again with the street cut to SMALL communities (rolled
back), so the figure shows they do not grow with the street's communities.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count
from django.test import Client
from django.urls import reverse

from communities.models import Community, Membership, Role, Street
from reporting import rules
from reporting.models import PeriodSubmission, SubmissionStatus

from . import city
from .measure import Figure, count_queries, median_seconds

SMALL = 5  # communities of the cut-down street the query count is compared with
BATCH = 5_000


def state(community_id: int, month: int) -> tuple[str, int] | None:
    """(status, days after the deadline) of a community's month, or None: never sent."""
    k = (community_id * 7 + month) % 20
    if k < 13:
        return SubmissionStatus.APPROVED, -2
    if k < 15:
        return SubmissionStatus.SUBMITTED, 3
    if k == 15:
        return SubmissionStatus.RETURNED, 0
    if k == 16:
        return SubmissionStatus.SUBMITTED, -1
    return None


def ensure_submissions(streets: Iterable[Street], year: int) -> int:
    """A monthly year of submissions for the communities of `streets` that have none in
    `year` (their streets report monthly, the 5th: the default calendar); rows written."""
    reporter, _ = get_user_model().objects.get_or_create(username="bench_reporter")
    have = PeriodSubmission.objects.filter(year=year).values("community_id")
    todo = list(
        Community.objects.filter(street__in=list(streets))
        .exclude(pk__in=have)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    rows = []
    for community_id in todo:
        for period in rules.periods_of_year(year):
            found = state(community_id, period.number)
            if found is None:
                continue
            status, offset = found
            due = rules.deadline(period, 5)
            day = due + dt.timedelta(days=offset)
            at = dt.datetime(day.year, day.month, day.day, 2, tzinfo=dt.UTC)  # 10:00 local
            rows.append(
                PeriodSubmission(
                    community_id=community_id,
                    year=year,
                    number=period.number,
                    cadence=period.cadence,
                    start=period.start,
                    end=period.end,
                    due=due,
                    status=status,
                    first_submitted_at=at,
                    submitted_at=at,
                    submitted_by=reporter,
                    decided_at=at if status != SubmissionStatus.SUBMITTED else None,
                    decided_by=reporter if status != SubmissionStatus.SUBMITTED else None,
                )
            )
    with transaction.atomic():
        PeriodSubmission.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def largest_street() -> Street:
    """The synthetic street with the most communities (the first by name among equals)."""
    return (
        Street.objects.filter(name__startswith="合成")
        .annotate(n=Count("communities"))
        .order_by("-n", "name")
        .first()
    )


def _staff(street: Street) -> Any:
    user, _ = get_user_model().objects.get_or_create(username="bench_board")
    Membership.objects.update_or_create(
        user=user,
        defaults={"role": Role.STREET_STAFF, "street": street, "district": None, "community": None},
    )
    return user


def _queries_with_fewer(client: Client, url: str, street: Street, n: int) -> int:
    """The board's queries with all but n of the street's communities moved to a street
    made for the purpose (rolled back afterwards)."""
    with transaction.atomic():
        aside = Street.objects.create(name="合成（基准临时）")
        keep = list(Community.objects.filter(street=street).order_by("name")[:n])
        Community.objects.filter(street=street).exclude(pk__in=[c.pk for c in keep]).update(
            street=aside
        )
        queries, _ = count_queries(lambda: client.get(url))
        transaction.set_rollback(True)
    return queries


def cases(scale: city.Scale) -> list[Figure]:
    street = largest_street()
    written = ensure_submissions([street], scale.year)
    communities = Community.objects.filter(street=street).count()
    client = Client(SERVER_NAME="localhost")
    client.force_login(_staff(street))
    url = reverse("yearcycle:board") + f"?street={street.pk}&year={scale.year}"

    def get() -> None:
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url}: HTTP {response.status_code}")

    get()  # warm, so that both counts are of a warm page
    started = time.perf_counter()
    queries, _ = count_queries(get)
    first = time.perf_counter() - started
    small = min(SMALL, communities - 1) or 1
    fewer = _queries_with_fewer(client, url, street, small)
    submissions = PeriodSubmission.objects.filter(community__street=street, year=scale.year)
    return [
        Figure(
            "报送",
            f"报送情况（社区×月份），最大街道 {street.name}，{communities} 个社区",
            median_seconds(get, scale.runs) if scale.runs > 1 else first,
            scale.runs,
            queries=queries,
            limit_seconds=0.150,
            limit_queries=12,
            note=f"{submissions.count()} 条报送（本次写入 {written}）；"
            f"{communities} 个社区 {queries} 次查询，{small} 个社区 {fewer} 次",
            extra={"queries_fewer": fewer, "communities": communities},
        )
    ]
