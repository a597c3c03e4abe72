"""Two people acting on the same thing at the same moment, with real concurrent transactions.

Each side runs in its own thread on its own PostgreSQL connection; a Barrier releases both
just before the contended statement, and the side that gets there first holds its
transaction open a moment longer, so the other really queues behind its lock (LockWatch
sees it waiting). Exactly one wins; the other gets a clear Chinese refusal and writes nothing.
"""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Callable
from typing import Any
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from activities import services as activity_services
from activities.models import Activity, ActivityStatus, ActivityTransition
from assessments import default_scheme
from assessments import services as assessment_services
from assessments.models import Run, Scheme
from communities.models import Population
from facilities.models import Facility
from reports import jobs
from reports.models import Job, JobStatus
from reports.workbook import importer
from tests import factories as f
from tests.reports.workbook_util import build, community, facility

from .conftest import LockWatch, Outcome, postgres_only, run_together

pytestmark = [*postgres_only, pytest.mark.django_db(transaction=True)]

HOLD = 1.0  # seconds the first side keeps its transaction open after taking the lock
TAKEN = "已被他人处理"


def gate(barrier: threading.Barrier, real: Callable[..., Any], hold: float = HOLD) -> Callable:
    """`real` behind the barrier (once per thread), then held open for `hold` seconds."""
    passed: set[int] = set()

    def gated(*args: Any, **kwargs: Any) -> Any:
        if threading.get_ident() not in passed:
            passed.add(threading.get_ident())
            barrier.wait(timeout=20)
        value = real(*args, **kwargs)
        time.sleep(hold)
        return value

    return gated


def one_winner(outcomes: list[Outcome]) -> tuple[int, Outcome]:
    winners = [i for i, o in enumerate(outcomes) if o.error is None]
    assert len(winners) == 1, outcomes
    loser = outcomes[1 - winners[0]]
    return winners[0], loser


# ------------------------------------------------------------------ verify / return

ACTIONS = {
    "verify": (
        lambda a, u: activity_services.activity_verify(activity=a, user=u),
        ActivityStatus.VERIFIED,
    ),
    "return": (
        lambda a, u: activity_services.activity_return(
            activity=a, user=u, reason="照片不清楚，请补充"
        ),
        ActivityStatus.RETURNED,
    ),
}


@pytest.mark.parametrize(
    "first,second",
    [("verify", "verify"), ("verify", "return"), ("return", "return"), ("return", "verify")],
)
def test_two_staff_acting_on_one_activity_at_once(cast, first, second):
    activity = f.ActivityFactory(community=cast.a1, status=ActivityStatus.PENDING)
    barrier = threading.Barrier(2)
    staff = (cast.street_admin, cast.street_staff)

    def act(action: str, user: Any) -> Callable[[], Activity]:
        # A stale copy, as each staff member's page had it: both saw 待审核.
        return lambda: ACTIONS[action][0](Activity.objects.get(pk=activity.pk), user)

    with (
        mock.patch.object(activity_services, "_locked", gate(barrier, activity_services._locked)),
        LockWatch() as watch,
    ):
        outcomes = run_together(act(first, staff[0]), act(second, staff[1]))

    assert watch.most_waiting >= 1, "the second transaction never waited on the row lock"
    won, loser = one_winner(outcomes)
    assert isinstance(loser.error, ValidationError)
    assert TAKEN in loser.error.messages[0]
    activity.refresh_from_db()
    assert activity.status == ACTIONS[(first, second)[won]][1]
    log = list(ActivityTransition.objects.filter(activity=activity))
    assert len(log) == 1
    assert (log[0].from_status, log[0].to_status, log[0].by_id) == (
        ActivityStatus.PENDING,
        activity.status,
        staff[won].pk,
    )


def test_two_staff_on_the_pages_at_once(cast):
    """The same race through the portal: each POST is one request transaction."""
    activity = f.ActivityFactory(community=cast.a1, status=ActivityStatus.PENDING)
    clients = []
    for user in (cast.street_admin, cast.street_staff):
        client = Client()
        client.force_login(user)
        clients.append(client)
    barrier = threading.Barrier(2)
    verify = f"/activities/{activity.pk}/verify/"
    ret = f"/activities/{activity.pk}/return/"

    with mock.patch.object(activity_services, "_locked", gate(barrier, activity_services._locked)):
        outcomes = run_together(
            lambda: clients[0].post(verify, follow=True),
            lambda: clients[1].post(ret, {"reason": "缺少活动总结"}, follow=True),
        )

    pages = [o.value.content.decode() for o in outcomes]
    assert all(o.value.status_code == 200 for o in outcomes)
    refused = [i for i, page in enumerate(pages) if TAKEN in page]
    assert len(refused) == 1, "exactly one of the two must be told it was taken"
    won = 1 - refused[0]
    assert ("已审核通过", "已退回")[won] in pages[won]
    activity.refresh_from_db()
    assert activity.status == (ActivityStatus.VERIFIED, ActivityStatus.RETURNED)[won]
    assert ActivityTransition.objects.filter(activity=activity).count() == 1


# ------------------------------------------------------------------ imports


def _street_workbook(**population: Any) -> SimpleUploadedFile:
    row = community("甲一社区", **population) | {"街道": "甲街道"}
    return SimpleUploadedFile("数据.xlsx", build({"社区": [row]}).getvalue())


def test_confirming_two_imports_at_once_queues_only_one(cast):
    """The 报表中心 guard: one import job queued or running at a time, even when two
    confirmations race past the friendly check (the partial unique index decides)."""
    previews = [
        jobs.import_upload(user=cast.street_admin, file=_street_workbook(常住人口=6000)),
        jobs.import_upload(user=cast.street_staff, file=_street_workbook(常住人口=7000)),
    ]
    assert all(j.status == JobStatus.PREVIEW and not j.error_count for j in previews)
    check_barrier = threading.Barrier(2)
    users = (cast.street_admin, cast.street_staff)

    def confirm(i: int) -> Callable[[], Job]:
        return lambda: jobs.import_confirm(job=Job.objects.get(pk=previews[i].pk), user=users[i])

    with (
        mock.patch.object(jobs, "active_import", gate(check_barrier, jobs.active_import, 0)),
        mock.patch.object(jobs, "_enqueue", gate(threading.Barrier(1), jobs._enqueue)),
        LockWatch() as watch,
    ):
        outcomes = run_together(confirm(0), confirm(1))

    assert watch.most_waiting >= 1, "the second confirmation never waited on the first"
    won, loser = one_winner(outcomes)
    assert isinstance(loser.error, ValidationError)
    assert "同一时间只能进行一项导入" in loser.error.messages[0]
    active = Job.objects.filter(status__in=[JobStatus.QUEUED, JobStatus.RUNNING])
    assert list(active.values_list("pk", flat=True)) == [previews[won].pk]
    assert Job.objects.get(pk=previews[1 - won].pk).status == JobStatus.PREVIEW


def _import_command(path: str) -> Callable[[], tuple[int, str]]:
    def run() -> tuple[int, str]:
        err = io.StringIO()
        try:
            call_command("import_workbook", path, stdout=io.StringIO(), stderr=err)
        except SystemExit as exc:
            return int(exc.code), err.getvalue()
        return 0, err.getvalue()

    return run


def test_two_import_commands_at_once_one_is_refused(tmp_path):
    """Two imports planned from the same snapshot would each write only what differs from
    it and leave a mix of both workbooks; the second is refused instead (advisory lock)."""
    importer.apply(importer.parse_workbook(build({"社区": [community()], "设施": [facility()]})))
    books = {
        "a": build({"社区": [community(常住人口=6000)], "设施": [facility()]}),
        "b": build({"社区": [community()], "设施": [facility(**{"面积(平方米)": 300})]}),
    }
    paths = []
    for name, data in books.items():
        path = tmp_path / f"{name}.xlsx"
        path.write_bytes(data.getvalue())
        paths.append(str(path))
    barrier = threading.Barrier(2)

    with (
        mock.patch.object(
            importer, "_one_import_at_a_time", gate(barrier, importer._one_import_at_a_time, 0)
        ),
        mock.patch.object(importer, "write_plan", gate(threading.Barrier(1), importer.write_plan)),
    ):
        outcomes = run_together(_import_command(paths[0]), _import_command(paths[1]))

    codes = [o.value[0] for o in outcomes]
    assert sorted(codes) == [0, 1], outcomes
    won = codes.index(0)
    assert outcomes[1 - won].value[1].strip() == f"工作簿：{importer.BUSY_MESSAGE}"
    # The database holds exactly the winner's workbook, not a mix of the two.
    expected = [(6000, 120), (5000, 300)][won]
    assert (Population.objects.get().residents, int(Facility.objects.get().area)) == expected


# ------------------------------------------------------------------ assessment runs


def test_two_first_runs_of_a_year_at_once(cast):
    """Two staff running the year's first assessment together: one scheme is created for the
    year and the runs get versions 1 and 2 (the street row is the lock)."""
    f.PopulationFactory(community=cast.a1, year=2014)
    f.PopulationFactory(community=cast.a2, year=2014)
    barrier = threading.Barrier(2)

    def run(user: Any) -> Callable[[], Run]:
        return lambda: assessment_services.run_assessment(
            street=cast.street_a, year=2014, user=user
        )

    with mock.patch.object(
        default_scheme, "ensure_scheme", gate(barrier, default_scheme.ensure_scheme, 0.2)
    ):
        outcomes = run_together(run(cast.street_admin), run(cast.street_staff))

    assert [o.error for o in outcomes] == [None, None]
    assert sorted(o.value.version for o in outcomes) == [1, 2]
    assert Scheme.objects.filter(street=cast.street_a, year=2014).count() == 1
