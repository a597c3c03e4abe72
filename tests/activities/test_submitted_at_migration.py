"""activities 0006: a pending activity submitted before `submitted_at` existed gets the time
of its last transition to 待审核; rows imported as 待审核 and rows already stamped keep theirs."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.migrations import migrate_to, migrate_to_latest

COMMUNITIES = ("communities", "0004_street_data_version")
BEFORE = [("activities", "0005_delete_distribution"), COMMUNITIES]
AFTER = [("activities", "0006_backfill_submitted_at"), COMMUNITIES]


def _at(day: int, hour: int = 9) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, tzinfo=dt.UTC)


@pytest.mark.django_db(transaction=True)
def test_pending_activities_get_their_last_submission_time():
    apps = migrate_to(BEFORE)
    try:
        Street = apps.get_model("communities", "Street")
        Community = apps.get_model("communities", "Community")
        Activity = apps.get_model("activities", "Activity")
        Transition = apps.get_model("activities", "ActivityTransition")
        community = Community.objects.create(
            street=Street.objects.create(name="迁移街道"), name="迁移社区"
        )

        def activity(name, status, submitted_at=None, steps=()):
            a = Activity.objects.create(
                community=community,
                name=name,
                date=dt.date(2026, 3, 1),
                category="culture",
                status=status,
                submitted_at=submitted_at,
            )
            for to, at in steps:
                step = Transition.objects.create(activity=a, from_status="draft", to_status=to)
                Transition.objects.filter(pk=step.pk).update(at=at)  # at: auto_now_add
            return a.pk

        resubmitted = activity(
            "两次提交",
            "pending",
            steps=[("pending", _at(2)), ("returned", _at(3)), ("pending", _at(5))],
        )
        imported = activity("导入即待审核", "pending")
        stamped = activity("已有提交时间", "pending", _at(9), steps=[("pending", _at(8))])
        verified = activity("已审核", "verified", steps=[("pending", _at(4))])

        apps = migrate_to(AFTER)
        Activity = apps.get_model("activities", "Activity")
        got = dict(Activity.objects.values_list("pk", "submitted_at"))
        assert got == {
            resubmitted: _at(5),  # the last time it entered 待审核
            imported: None,  # no transition: its entry time stands in (waiting_since)
            stamped: _at(9),  # already stamped: not overwritten
            verified: None,  # not waiting: nothing to measure
        }
    finally:
        migrate_to_latest()
