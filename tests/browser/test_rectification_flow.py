"""整改 in a real browser: the street's staff issues a task from a scorecard line, the
community's cadre answers it with a note and a linked activity, the street accepts it.
Screenshots (desktop and 375 px) go to test-artifacts/."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from activities.models import ActivityStatus
from assessments import services as engine
from assessments.default_scheme import ensure_scheme
from assessments.models import IndicatorResult
from rectification.models import Rectification, Status
from tests import factories as f
from tests.browser_support import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 375, "height": 812}, "is_mobile": True, "has_touch": True}


def test_issue_answer_accept(browser, live_server, cast):
    for user in (cast.cadre_a1, cast.street_staff):
        user.save(update_fields=["password"])
    today = timezone.localdate()
    f.PopulationFactory(community=cast.a1)
    ensure_scheme(cast.street_a, 2014)
    run = engine.run_assessment(street=cast.street_a, year=2014, user=cast.street_staff)
    line = IndicatorResult.objects.filter(result__run=run, result__community=cast.a1).first()
    activity = f.ActivityFactory(
        community=cast.a1, name="整改补办文艺汇演", date=today, status=ActivityStatus.VERIFIED
    )

    street_context, street = sign_in(browser, live_server, cast.street_staff)
    street.goto(live_server.url + reverse("assessments:result", args=[line.result_id]))
    street.locator(f"a[href='{reverse('rectification:issue', args=[line.pk])}']").click()
    expect(street.locator("h1")).to_contain_text("下达整改")
    street.fill("#requirement", "活动台账不全，请补齐并上传佐证")
    street.fill("#deadline", (today + dt.timedelta(days=30)).isoformat())
    street.fill("#responsible", "张书记")
    screenshot(street, "rectification-1-issue-desktop")
    street.get_by_role("button", name="下达").click()
    task = Rectification.objects.get()
    assert task.status == Status.ISSUED and task.source_id == line.pk

    cadre_context, cadre = sign_in(browser, live_server, cast.cadre_a1, **PHONE)
    cadre.goto(live_server.url + reverse("rectification:detail", args=[task.pk]))
    cadre.fill("#note", "已补办文艺汇演并补齐台账")
    cadre.select_option("#activities", str(activity.pk))
    screenshot(cadre, "rectification-2-answer-phone")
    assert cadre.evaluate("document.documentElement.scrollWidth") <= 375
    cadre.get_by_role("button", name="提交答复").click()
    task.refresh_from_db()
    assert task.status == Status.ANSWERED
    assert list(task.activities.values_list("pk", flat=True)) == [activity.pk]

    street.goto(live_server.url + reverse("rectification:detail", args=[task.pk]))
    expect(street.locator("dl.record")).to_contain_text("整改补办文艺汇演")
    screenshot(street, "rectification-3-check-desktop")
    street.get_by_role("button", name="验收通过").click()
    expect(street.locator("dl.record .badge").first).to_have_text("已销号")
    screenshot(street, "rectification-4-accepted-desktop")
    task.refresh_from_db()
    assert task.status == Status.ACCEPTED and task.closed_at is not None

    cadre.goto(live_server.url + reverse("rectification:detail", args=[task.pk]))
    expect(cadre.locator("dl.record .badge").first).to_have_text("已销号")
    assert cadre.evaluate("document.documentElement.scrollWidth") <= 375
    screenshot(cadre, "rectification-5-accepted-phone")
    street_context.close()
    cadre_context.close()
