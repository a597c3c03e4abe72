"""Bring the hours typed before this app into entries, so every hour has a provenance:
each old teams.ServiceRecord becomes an approved make-up (补录) entry and what the total held
beyond them becomes the volunteer's labelled opening balance. Totals do not change."""

from decimal import Decimal

from django.db import migrations
from django.db.models import Min, Sum

REASON = "系统上线前登记的服务记录"


BATCH = 2000


def forwards(apps, schema_editor):
    # Set-based: a street's city has hundreds of thousands of volunteers, and two queries per
    # volunteer made this migration run for many minutes; these are a handful of queries.
    Volunteer = apps.get_model("teams", "Volunteer")
    ServiceRecord = apps.get_model("teams", "ServiceRecord")
    ServiceEntry = apps.get_model("service", "ServiceEntry")

    def batched(entries):
        batch = []
        for entry in entries:
            batch.append(entry)
            if len(batch) == BATCH:
                ServiceEntry.objects.bulk_create(batch)
                batch = []
        ServiceEntry.objects.bulk_create(batch)

    records = ServiceRecord.objects.order_by("pk").values_list(
        "volunteer__person_id", "volunteer__community_id", "date", "hours", "content"
    )
    batched(
        ServiceEntry(
            person_id=person_id,
            community_id=community_id,
            kind="makeup",
            date=day,
            hours=hours,
            content=content[:200],
            reason=REASON,
            approval="approved",
        )
        for person_id, community_id, day, hours, content in records.iterator(chunk_size=BATCH)
    )
    recorded = {
        row["volunteer_id"]: (row["total"], row["first"])
        for row in ServiceRecord.objects.order_by()
        .values("volunteer_id")
        .annotate(total=Sum("hours"), first=Min("date"))
    }
    volunteers = Volunteer.objects.order_by("pk").values_list(
        "pk", "person_id", "community_id", "service_hours", "registered_on"
    )
    raised = []

    def openings():
        for pk, person_id, community_id, hours, registered_on in volunteers.iterator(
            chunk_size=BATCH
        ):
            total, first = recorded.get(pk, (Decimal(0), None))
            if hours - total > 0:
                yield ServiceEntry(
                    person_id=person_id,
                    community_id=community_id,
                    kind="opening",
                    date=registered_on or first or "2000-01-01",
                    hours=hours - total,
                    content="工作簿导入的期初时长",  # services.OPENING_CONTENT
                )
            elif total > hours:
                raised.append((pk, total))

    batched(openings())
    for pk, total in raised:
        Volunteer.objects.filter(pk=pk).update(service_hours=total)
    ServiceRecord.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("service", "0001_initial"),
        ("teams", "0003_constraint_messages"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
