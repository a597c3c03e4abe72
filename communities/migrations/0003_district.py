"""区县 as a record: the free-text Street.district becomes a District row per distinct name
(trimmed; nothing is dropped), and memberships may be bound to a district (district roles)."""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Q


def text_to_records(apps, schema_editor):
    District = apps.get_model("communities", "District")
    Street = apps.get_model("communities", "Street")
    for street in Street.objects.exclude(district_text=""):
        name = street.district_text.strip()
        if not name:
            continue
        street.district_ref = District.objects.get_or_create(name=name)[0]
        street.save(update_fields=["district_ref"])


def records_to_text(apps, schema_editor):
    Street = apps.get_model("communities", "Street")
    for street in Street.objects.exclude(district_ref=None).select_related("district_ref"):
        street.district_text = street.district_ref.name
        street.save(update_fields=["district_text"])


DISTRICT_ROLES = ("district_admin", "district_viewer")
ROLES = [
    ("street_admin", "街道管理员"),
    ("street_staff", "街道工作人员"),
    ("community_admin", "社区管理员"),
    ("leader", "领导"),
    ("district_admin", "区县管理员"),
    ("district_viewer", "区县领导"),
]


class Migration(migrations.Migration):
    dependencies = [
        ("communities", "0002_constraint_messages"),
    ]

    operations = [
        migrations.CreateModel(
            name="District",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("name", models.CharField(max_length=50, unique=True, verbose_name="区县")),
                ("code", models.CharField(blank=True, max_length=12, verbose_name="区划代码")),
            ],
            options={"verbose_name": "区县", "verbose_name_plural": "区县", "ordering": ["name"]},
        ),
        migrations.AddConstraint(
            model_name="district",
            constraint=models.UniqueConstraint(
                condition=models.Q(("code", ""), _negated=True),
                fields=("code",),
                name="district_code_unique",
                violation_error_code="district_code_unique",
                violation_error_message="已有使用该区划代码的区县。",
            ),
        ),
        migrations.RenameField("street", "district", "district_text"),
        migrations.AddField(
            model_name="street",
            name="district_ref",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="streets",
                to="communities.district",
                verbose_name="所属区县",
            ),
        ),
        migrations.RunPython(text_to_records, records_to_text),
        migrations.RemoveField("street", "district_text"),
        migrations.RenameField("street", "district_ref", "district"),
        migrations.AddField(
            model_name="membership",
            name="district",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="memberships",
                to="communities.district",
                verbose_name="区县",
            ),
        ),
        migrations.AlterField(
            model_name="membership",
            name="street",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="memberships",
                to="communities.street",
                verbose_name="街道",
            ),
        ),
        migrations.AddField(
            model_name="historicalmembership",
            name="district",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="communities.district",
                verbose_name="区县",
            ),
        ),
        migrations.AlterField(
            model_name="historicalmembership",
            name="street",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="communities.street",
                verbose_name="街道",
            ),
        ),
        *(
            migrations.AlterField(
                model_name=model,
                name="role",
                field=models.CharField(choices=ROLES, max_length=20, verbose_name="角色"),
            )
            for model in ("membership", "historicalmembership")
        ),
        migrations.AddConstraint(
            model_name="membership",
            constraint=models.CheckConstraint(
                condition=(
                    Q(role__in=DISTRICT_ROLES) & Q(district__isnull=False) & Q(street__isnull=True)
                )
                | (~Q(role__in=DISTRICT_ROLES) & Q(district__isnull=True) & Q(street__isnull=False)),
                name="membership_district_xor_street",
                violation_error_code="membership_district_xor_street",
                violation_error_message="区县角色只能选择区县；其他角色必须选择街道、不能选择区县。",
            ),
        ),
    ]
