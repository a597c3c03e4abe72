from django.db import migrations

GENESIS = "0" * 64


def create_head(apps, schema_editor):
    apps.get_model("security_log", "ChainHead").objects.get_or_create(
        pk=1, defaults={"last_hash": GENESIS, "anchor_hash": GENESIS}
    )


class Migration(migrations.Migration):
    dependencies = [("security_log", "0001_initial")]
    operations = [migrations.RunPython(create_head, migrations.RunPython.noop)]
