"""整改: the full state path, who may do what, the inbox, the list's queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments import services as engine
from assessments.default_scheme import ensure_scheme
from assessments.models import IndicatorResult
from inbox.models import Item
from rectification import rules, services
from rectification.models import Rectification
from tests import factories as f

TODAY = dt.date(2015, 3, 1)


@pytest.fixture
def line(cast):
    f.PopulationFactory(community=cast.a1)
    ensure_scheme(cast.street_a, 2014)
    run = engine.run_assessment(street=cast.street_a, year=2014, user=cast.street_staff)
    return IndicatorResult.objects.filter(result__run=run, result__community=cast.a1).first()


def _issue(cast, line, deadline=dt.date(2015, 4, 1)):
    return services.issue(
        user=cast.street_staff,
        source=line,
        requirement="补齐活动台账",
        deadline=deadline,
        responsible="张三",
        today=TODAY,
    )


def kinds(user):
    return sorted(Item.objects.filter(user=user).values_list("kind", flat=True))


def test_rules_without_a_database():
    assert rules.next_status("answer", "returned") == "answered"
    with pytest.raises(ValueError, match="待验收"):
        rules.next_status("accept", "issued")
    assert rules.is_overdue("issued", dt.date(2015, 1, 1), TODAY)
    assert not rules.is_overdue("answered", dt.date(2015, 1, 1), TODAY)


def test_issued_answered_returned_answered_accepted(cast, line, client):
    task = _issue(cast, line)
    assert kinds(cast.cadre_a1) == ["rect_issued"]
    assert kinds(cast.cadre_a2) == []
    activity = f.ActivityFactory(community=cast.a1)
    foreign = f.ActivityFactory(community=cast.a2)
    with pytest.raises(Exception, match="本社区"):
        services.answer(user=cast.cadre_a1, task=task, note="已整改", activity_ids=[foreign.pk])
    task = services.answer(user=cast.cadre_a1, task=task, note="已整改", activity_ids=[activity.pk])
    assert task.status == "answered"
    assert "rect_answered" in kinds(cast.street_admin)
    # a community user cannot accept
    client.force_login(cast.cadre_a1)
    client.post(reverse("rectification:accept", args=[task.pk]))
    assert Rectification.objects.get(pk=task.pk).status == "answered"
    task = services.return_(user=cast.street_staff, task=task, reason="照片不全")
    assert task.status == "returned"
    assert "rect_returned" in kinds(cast.cadre_a1)
    Rectification.objects.update(deadline=dt.date(2000, 1, 1))  # returned and overdue
    assert on_dashboards(client, cast, task) == [True, True]
    services.answer(user=cast.cadre_a1, task=task, note="补了照片")
    assert on_dashboards(client, cast, task) == [False, False]  # waiting on the street
    client.force_login(cast.street_staff)
    client.post(reverse("rectification:accept", args=[task.pk]))
    task = Rectification.objects.get(pk=task.pk)
    assert task.status == "accepted"
    assert list(task.steps.values_list("action", flat=True)) == [
        "issue",
        "answer",
        "return",
        "answer",
        "accept",
    ]
    assert list(task.activities.all()) == [activity]
    page = client.get(reverse("rectification:detail", args=[task.pk])).content.decode()
    assert "照片不全" in page and "已销号" in page
    assert on_dashboards(client, cast, task) == [False, False]


def on_dashboards(client, cast, task) -> list[bool]:
    """Whether the street's and the community's dashboards list the task as overdue."""
    seen = []
    for user, url in [
        (cast.street_staff, reverse("dashboard:index")),
        (cast.cadre_a1, reverse("dashboard:community", args=[cast.a1.pk])),
    ]:
        client.force_login(user)
        page = client.get(url).content.decode()
        seen.append(reverse("rectification:detail", args=[task.pk]) in page)
    return seen


def test_other_community_sees_nothing(cast, line, client):
    task = _issue(cast, line)
    client.force_login(cast.cadre_a2)
    assert client.get(reverse("rectification:detail", args=[task.pk])).status_code == 404
    assert "补齐活动台账" not in client.get(reverse("rectification:list")).content.decode()
    client.force_login(cast.cadre_a1)
    assert "补齐活动台账" in client.get(reverse("rectification:list")).content.decode()


def test_issue_page_from_the_scorecard(cast, line, client):
    client.force_login(cast.cadre_a1)
    assert client.get(reverse("rectification:issue", args=[line.pk])).status_code == 403
    client.force_login(cast.street_staff)
    url = reverse("rectification:issue", args=[line.pk])
    bad = client.post(url, {"requirement": "x", "deadline": "2000-01-01", "responsible": "李四"})
    assert "整改期限不能早于今天" in bad.content.decode()
    assert Rectification.objects.count() == 0


def test_overdue_filter_and_export(cast, line, client):
    _issue(cast, line)
    Rectification.objects.update(deadline=dt.date(2000, 1, 1))
    client.force_login(cast.street_staff)
    page = client.get(reverse("rectification:list") + "?overdue=1").content.decode()
    assert "逾期" in page and "补齐活动台账" in page
    export = client.get(reverse("rectification:list") + "?export=xlsx")
    assert export["Content-Type"].startswith("application/vnd.openxml")


def test_list_queries_do_not_grow(cast, line, client):
    client.force_login(cast.street_staff)
    _issue(cast, line)
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("rectification:list"))
    for _ in range(5):
        _issue(cast, line)
    with CaptureQueriesContext(connection) as big:
        page = client.get(reverse("rectification:list"))
    assert page.content.decode().count("补齐活动台账") == 6
    assert len(big.captured_queries) == len(small.captured_queries)


def test_overdue_on_both_dashboards(cast, line, client):
    task = _issue(cast, line)
    Rectification.objects.update(deadline=dt.date(2000, 1, 1))
    for user, url in [
        (cast.street_staff, reverse("dashboard:index")),
        (cast.cadre_a1, reverse("dashboard:community", args=[cast.a1.pk])),
    ]:
        client.force_login(user)
        page = client.get(url).content.decode()
        assert "逾期整改任务" in page
        assert reverse("rectification:detail", args=[task.pk]) in page
    client.force_login(cast.cadre_a2)
    page = client.get(reverse("dashboard:community", args=[cast.a2.pk])).content.decode()
    assert reverse("rectification:detail", args=[task.pk]) not in page


def test_remind_rectifications_posts_the_overdue_item_once_per_task(cast, line, monkeypatch):
    from io import StringIO

    from django.core.management import call_command

    from inbox.models import Kind
    from rectification.management.commands import remind_rectifications as command

    task = _issue(cast, line, deadline=TODAY)
    overdue = Item.objects.filter(kind=Kind.RECTIFICATION_OVERDUE)
    out = StringIO()
    monkeypatch.setattr(command, "today", lambda: TODAY)
    call_command("remind_rectifications", stdout=out)
    assert not overdue.exists()  # due today, not yet overdue
    monkeypatch.setattr(command, "today", lambda: TODAY + dt.timedelta(days=1))
    call_command("remind_rectifications", stdout=out)
    first = overdue.count()
    call_command("remind_rectifications", stdout=out)
    assert first >= 2  # the community's cadre and the street's checkers
    assert overdue.count() == first == overdue.filter(url__contains=str(task.pk)).count()
    assert out.getvalue().splitlines()[-1] == "已发送0条整改逾期提醒。"
