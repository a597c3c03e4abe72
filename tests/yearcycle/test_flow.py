"""Submitting, checking and unlocking a period in the browser's requests; who hears of it."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from activities import services as activities
from activities.models import Activity
from inbox.models import Item
from reporting.models import PeriodSubmission
from reporting.rules import Period
from yearcycle.notify import remind_deadlines

MARCH = Period(2025, 3)


def inbox_of(user) -> list[tuple[str, str]]:
    return list(Item.objects.filter(user=user).order_by("pk").values_list("kind", "title"))


def test_submit_approve_then_the_cadre_meets_the_lock(cast, client):
    activity = Activity.objects.create(
        community=cast.a1,
        name="三月合唱",
        date=dt.date(2025, 3, 9),
        category="文化",
        status="draft",
        created_by=cast.cadre_a1,
    )
    client.force_login(cast.cadre_a1)
    url = reverse("yearcycle:submit", args=[cast.a1.pk, 2025, 3])
    page = client.get(url).content.decode()
    assert "活动总数" in page and "有1项活动仍为草稿或已退回" in page
    response = client.post(url)
    submission = PeriodSubmission.objects.get()
    assert response.url == reverse("yearcycle:submission", args=[submission.pk])
    assert submission.summary["total"] == 1
    # The street's checkers are told; the other community's cadre is not.
    assert inbox_of(cast.street_staff) == [("period_submitted", "甲一社区2025年3月已报送，待审核")]
    assert inbox_of(cast.cadre_a2) == []
    # A cadre cannot approve; the street staff can.
    client.post(reverse("yearcycle:approve", args=[submission.pk]))
    submission.refresh_from_db()
    assert submission.status == "submitted"
    client.force_login(cast.street_staff)
    client.post(reverse("yearcycle:approve", args=[submission.pk]))
    submission.refresh_from_db()
    assert submission.status == "approved"
    # The cadre's edit is refused with who/when/whom to ask.
    client.force_login(cast.cadre_a1)
    response = client.get(reverse("activities:edit", args=[activity.pk]), follow=True)
    text = response.content.decode()
    assert "2025年3月已由jia_staff于" in text and "请联系街道管理员解锁" in text
    response = client.post(
        reverse("activities:create"),
        {"community": cast.a1.pk, "name": "补录", "date": "2025-03-20", "category": "文化"},
    )
    assert "已由jia_staff于" in response.content.decode()
    assert Activity.objects.count() == 1


def test_return_and_unlock_tell_the_community_with_the_reason(cast, client):
    client.force_login(cast.cadre_a1)
    client.post(reverse("yearcycle:submit", args=[cast.a1.pk, 2025, 3]))
    submission = PeriodSubmission.objects.get()
    client.force_login(cast.street_staff)
    client.post(reverse("yearcycle:return", args=[submission.pk]), {"reason": ""})
    submission.refresh_from_db()
    assert submission.status == "submitted"  # no reason, no return
    client.post(reverse("yearcycle:return", args=[submission.pk]), {"reason": "请补充照片"})
    assert inbox_of(cast.cadre_a1) == [("period_returned", "2025年3月报送被退回，请修改后重新报送")]
    assert Item.objects.get(user=cast.cadre_a1).body == "jia_staff：请补充照片"
    assert inbox_of(cast.cadre_a2) == []
    client.force_login(cast.cadre_a1)
    client.post(reverse("yearcycle:submit", args=[cast.a1.pk, 2025, 3]))
    client.force_login(cast.street_staff)
    client.post(reverse("yearcycle:approve", args=[submission.pk]))
    # Only the street admin unlocks.
    client.post(reverse("yearcycle:unlock", args=[submission.pk]), {"reason": "补录"})
    submission.refresh_from_db()
    assert submission.status == "approved"
    client.force_login(cast.street_admin)
    client.post(reverse("yearcycle:unlock", args=[submission.pk]), {"reason": "补录遗漏活动"})
    submission.refresh_from_db()
    assert submission.status == "unlocked"
    assert inbox_of(cast.cadre_a1)[-1] == ("period_unlocked", "2025年3月已解锁，可修改后重新报送")
    page = client.get(reverse("yearcycle:submission", args=[submission.pk])).content.decode()
    for text in ("请补充照片", "补录遗漏活动", "审核通过", "解锁"):
        assert text in page


def test_activity_return_reaches_the_cadre_only(cast):
    activity = activities.activity_create(
        user=cast.cadre_a1,
        community=cast.a1,
        name="送戏下乡",
        date=dt.date(2025, 6, 1),
        category="文化",
    )
    activities.activity_submit(activity=activity, user=cast.cadre_a1)
    activities.activity_return(activity=activity, user=cast.street_staff, reason="缺少总结")
    assert inbox_of(cast.cadre_a1) == [
        ("activity_returned", "活动“送戏下乡”被退回，请修改后重新提交")
    ]
    for other in (cast.cadre_a2, cast.street_staff, cast.cadre_b1):
        assert inbox_of(other) == []


def test_deadline_reminder_three_days_before_once(cast):
    # April 2025 is due 5 May; on 2 May a1 and a2 have not submitted it.
    assert remind_deadlines(dt.date(2025, 5, 1)) == 0
    assert remind_deadlines(dt.date(2025, 5, 2)) == 3  # a1, a2 (street A), b1 (street B)
    assert remind_deadlines(dt.date(2025, 5, 3)) == 0  # not twice
    assert inbox_of(cast.cadre_a1) == [("deadline", "2025年4月报送将于05月05日截止")]
    assert inbox_of(cast.street_staff) == []


@pytest.mark.django_db
def test_inbox_page_queries_do_not_grow_and_mark_read(cast, client):
    from inbox import services as inbox

    client.force_login(cast.cadre_a1)

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("inbox:list")).status_code == 200
        return len(ctx)

    inbox.post([cast.cadre_a1], kind="deadline", title="一", url="/yearcycle/")
    small = queries()
    for i in range(30):
        inbox.post([cast.cadre_a1, cast.cadre_a2], kind="deadline", title=f"多{i}", url="/")
    assert queries() == small
    page = client.get(reverse("home")).content.decode()
    assert "31条未读" in page
    export = client.get(reverse("inbox:list") + "?export=xlsx")
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert len(rows) == 32 and rows[0][:3] == ("时间", "类别", "标题")
    item = Item.objects.filter(user=cast.cadre_a1).first()
    response = client.post(reverse("inbox:open", args=[item.pk]))
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.read_at is not None
    # Another user's item: 404, nothing marked.
    other = Item.objects.filter(user=cast.cadre_a2).first()
    assert client.post(reverse("inbox:open", args=[other.pk])).status_code == 404
    other.refresh_from_db()
    assert other.read_at is None
    client.post(reverse("inbox:read_all"))
    assert not Item.objects.filter(user=cast.cadre_a1, read_at__isnull=True).exists()
    assert Item.objects.filter(user=cast.cadre_a2, read_at__isnull=True).count() == 30


def test_the_street_dashboard_lists_who_is_late_today_and_links_to_the_board(
    cast, client, monkeypatch
):
    monkeypatch.setattr("dashboard.views.today", lambda: dt.date(2025, 5, 20))
    client.force_login(cast.cadre_a1)
    client.post(reverse("yearcycle:submit", args=[cast.a1.pk, 2025, 3]))
    client.force_login(cast.street_staff)
    page = client.get(reverse("dashboard:index")).content.decode()
    assert "今日逾期未报送" in page
    assert f"{reverse('yearcycle:board')}?street={cast.street_a.pk}" in page
    # Jan–Apr 2025 are owed on 20 May; a1 reported March only.
    assert "<strong>甲一社区</strong>：2025年1月、2025年2月、2025年4月" in page
    assert "<strong>甲二社区</strong>：2025年1月、2025年2月、2025年3月、2025年4月" in page
    assert "乙一社区" not in page
