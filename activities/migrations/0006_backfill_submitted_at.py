"""Pending activities submitted before 0002 added `submitted_at` get it from their last
transition to 待审核, so that "waiting since" is one column (activities.models.waiting_since)
and the district's overdue count, the dashboard's alert and the queue read the partial index
instead of looking up each row's transitions. One set-based UPDATE; rows imported as 待审核
(no transition) keep null and fall back to their entry time, as before."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def backfill(apps, schema_editor):
    Activity = apps.get_model("activities", "Activity")
    Transition = apps.get_model("activities", "ActivityTransition")
    last_submit = (
        Transition.objects.filter(activity=OuterRef("pk"), to_status="pending")
        .order_by("-at")
        .values("at")[:1]
    )
    waiting = Activity.objects.filter(status="pending", submitted_at__isnull=True)
    waiting.filter(
        pk__in=Transition.objects.filter(to_status="pending").values("activity_id")
    ).update(submitted_at=Subquery(last_submit))


class Migration(migrations.Migration):
    dependencies = [("activities", "0005_delete_distribution")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True)]
