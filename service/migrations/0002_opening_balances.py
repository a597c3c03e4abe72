"""Bring the hours typed before this app into entries, so every hour has a provenance:
each old teams.ServiceRecord becomes an approved make-up (补录) entry and what the total held
beyond them becomes the volunteer's labelled opening balance. Totals do not change."""

from decimal import Decimal

from django.db import migrations

REASON = "系统上线前登记的服务记录"


def forwards(apps, schema_editor):
    Volunteer = apps.get_model("teams", "Volunteer")
    ServiceRecord = apps.get_model("teams", "ServiceRecord")
    ServiceEntry = apps.get_model("service", "ServiceEntry")
    for v in Volunteer.objects.all().iterator():
        records = list(ServiceRecord.objects.filter(volunteer=v))
        ServiceEntry.objects.bulk_create(
            ServiceEntry(
                person_id=v.person_id,
                community_id=v.community_id,
                kind="makeup",
                date=r.date,
                hours=r.hours,
                content=r.content[:200],
                reason=REASON,
                approval="approved",
            )
            for r in records
        )
        opening = v.service_hours - sum((r.hours for r in records), Decimal(0))
        if opening > 0:
            ServiceEntry.objects.create(
                person_id=v.person_id,
                community_id=v.community_id,
                kind="opening",
                date=v.registered_on or min((r.date for r in records), default=None) or "2000-01-01",
                hours=opening,
                content="工作簿导入的期初时长",  # services.OPENING_CONTENT
            )
        total = max(v.service_hours, sum((r.hours for r in records), Decimal(0)))
        if total != v.service_hours:
            Volunteer.objects.filter(pk=v.pk).update(service_hours=total)
    ServiceRecord.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("service", "0001_initial"),
        ("teams", "0003_constraint_messages"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
