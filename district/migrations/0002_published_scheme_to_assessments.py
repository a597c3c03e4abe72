"""The published scheme moves down to assessments (the streets' assessment reads it): its
rows are copied with their ids into assessments' table, then the district's is dropped.
Backwards the rows are copied back (the streets' copies then point at nothing: assessments
0003 is undone after this and drops them). Either way a row whose id is already in the
target table is skipped, so forwards, backwards and forwards again loses and doubles nothing."""

from django.db import migrations


def copy_rows(apps, schema_editor):
    _copy(
        apps.get_model("district", "PublishedScheme"),
        apps.get_model("assessments", "PublishedScheme"),
        schema_editor,
    )


def copy_back(apps, schema_editor):
    _copy(
        apps.get_model("assessments", "PublishedScheme"),
        apps.get_model("district", "PublishedScheme"),
        schema_editor,
    )


def _copy(old, new, schema_editor):
    # Rows already there are skipped: undoing this migration leaves assessments' table as
    # it was (assessments 0003 stays applied), so migrating forwards again finds them.
    have = set(new.objects.values_list("pk", flat=True))
    rows = [row for row in old.objects.all() if row.pk not in have]
    new.objects.bulk_create(
        new(
            pk=row.pk,
            district_id=row.district_id,
            year=row.year,
            name=row.name,
            data=row.data,
            source=row.source,
            published_at=row.published_at,
            published_by_id=row.published_by_id,
        )
        for row in rows
    )
    for row in rows:  # auto_now_add set today's time on create: keep the original one
        new.objects.filter(pk=row.pk).update(published_at=row.published_at)
    if schema_editor.connection.vendor == "postgresql":
        table = new._meta.db_table
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table}), 1))"
            )


class Migration(migrations.Migration):
    dependencies = [
        ("district", "0001_initial"),
        ("assessments", "0003_published_scheme"),
    ]

    operations = [
        migrations.RunPython(copy_rows, copy_back),
        migrations.DeleteModel(name="PublishedScheme"),
    ]
