"""The flat 配送 log (activities.Distribution) becomes delivered orders.

One provider per street and distinct 提供单位 (blank → 未注明提供单位), one product per street
and distinct 内容 + 提供单位 (of the year of its first delivery, 已下架 so it is never ordered
again, its sessions = the deliveries it had), one 已配送 order per record with its date,
quantity, audience and note; the record's id stays on the order (legacy_distribution_id), so
the step can be reversed exactly. No activity is created: the records never were activities,
and the assessment of past years must not change.
"""

from django.db import migrations

UNNAMED = "未注明提供单位"
MARK = "由原配送记录迁移（历史记录）"


def forward(apps, schema_editor):
    Distribution = apps.get_model("activities", "Distribution")
    Provider = apps.get_model("delivery", "Provider")
    Product = apps.get_model("delivery", "Product")
    Order = apps.get_model("delivery", "Order")
    OrderEvent = apps.get_model("delivery", "OrderEvent")
    records = list(
        Distribution.objects.select_related("community").order_by("date", "pk")
    )
    providers, products, sessions = {}, {}, {}
    for d in records:
        street_id = d.community.street_id
        name = (d.provider or "").strip() or UNNAMED
        key = (street_id, name)
        if key not in providers:
            kind = "街道文化中心" if "文化中心" in name else "其他"
            providers[key] = Provider.objects.get_or_create(
                street_id=street_id, name=name, defaults={"kind": kind, "note": MARK}
            )[0]
        provider = providers[key]
        pkey = (street_id, d.title, provider.pk)
        if pkey not in products:
            products[pkey] = Product.objects.create(
                street_id=street_id,
                provider=provider,
                kind=d.kind,
                title=d.title,
                year=d.date.year,
                sessions=0,
                status="withdrawn",
                withdraw_reason=MARK,
            )
        product = products[pkey]
        sessions[product.pk] = sessions.get(product.pk, 0) + 1
        order = Order.objects.create(
            community_id=d.community_id,
            product=product,
            year=d.date.year,
            preferred_date=d.date,
            scheduled_date=d.date,
            status="delivered",
            quantity=d.quantity,
            audience=d.audience,
            delivery_note=d.note,
            legacy_distribution_id=d.pk,
        )
        OrderEvent.objects.create(order=order, to_status="delivered", action="迁移", reason=MARK)
    for product in products.values():
        product.sessions = sessions[product.pk]
        product.save(update_fields=["sessions"])


def backward(apps, schema_editor):
    Distribution = apps.get_model("activities", "Distribution")
    Provider = apps.get_model("delivery", "Provider")
    Product = apps.get_model("delivery", "Product")
    Order = apps.get_model("delivery", "Order")
    legacy = Order.objects.filter(legacy_distribution_id__isnull=False).select_related(
        "product__provider"
    )
    kept = set(Distribution.objects.values_list("pk", flat=True))
    for o in legacy:
        if o.legacy_distribution_id in kept:  # the old table was never dropped
            continue
        provider = o.product.provider.name
        Distribution.objects.create(
            pk=o.legacy_distribution_id,
            community_id=o.community_id,
            date=o.scheduled_date,
            kind=o.product.kind,
            title=o.product.title,
            quantity=o.quantity,
            provider="" if provider == UNNAMED else provider,
            audience=o.audience,
            note=o.delivery_note,
        )
    legacy.delete()
    Product.objects.filter(withdraw_reason=MARK, orders__isnull=True).delete()
    Provider.objects.filter(note=MARK, products__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("activities", "0003_activity_activity_newest_first_and_more"),
        ("delivery", "0001_initial"),
    ]

    operations = [migrations.RunPython(forward, backward)]
