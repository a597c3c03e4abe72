"""The import's COPY path (reports/workbook/copy.py) writes what bulk_create_with_history
writes: the same records and the same history rows, and nothing if the transaction fails."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from activities.models import Activity
from facilities.models import Facility
from reports.workbook.copy import create_with_history
from tests import factories as f

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="COPY is PostgreSQL's; elsewhere the old path"
    ),
]

REASON = "工作簿导入"


def facilities(community, prefix):
    return [
        Facility(
            community=community,
            name=f"{prefix}{i}",
            kind="文化活动室",
            area=Decimal("120.50"),
            sets=0,
            status="在用",
            opened_on=dt.date(2014, 3, i + 1),
            ownership="自有",
            partner_unit="甲&乙" if i else "",
            free_open=bool(i % 2),
        )
        for i in range(3)
    ]


def stored(model, names):
    skip = {"id", "name", "created_at", "updated_at"}
    fields = [x.attname for x in model._meta.concrete_fields if x.attname not in skip]
    rows = model.objects.filter(name__in=names).order_by("name").values_list(*fields)
    history = model.history.model
    h_skip = skip | {"history_id"}
    h_fields = [x.attname for x in history._meta.concrete_fields if x.attname not in h_skip]
    h_rows = history.objects.filter(name__in=names).order_by("name").values_list(*h_fields)
    return list(rows), list(h_rows)


def test_copy_writes_the_records_and_history_that_bulk_create_writes():
    community = f.CommunityFactory()
    when = timezone.now()
    old = bulk_create_with_history(
        facilities(community, "旧"), Facility, default_change_reason=REASON, default_date=when
    )
    new = create_with_history(Facility, facilities(community, "新"), when, REASON)
    assert all(obj.pk for obj in new) and len({obj.pk for obj in new}) == 3
    assert stored(Facility, [o.name for o in old]) == stored(Facility, [o.name for o in new])
    # each record has its "+" history row
    for obj in Facility.objects.filter(pk__in=[o.pk for o in new]):
        (history,) = obj.history.all()
        assert history.history_type == "+" and history.history_change_reason == REASON
        assert history.history_date == when


def test_records_point_to_records_copied_before_them():
    community = f.CommunityFactory()
    when = timezone.now()
    (facility,) = create_with_history(Facility, facilities(community, "设")[:1], when, REASON)
    activities = [Activity(community=community, name="活动", date=dt.date(2014, 5, 1))]
    (activity,) = create_with_history(Activity, activities, when, REASON)
    stored_activity = Activity.objects.get(pk=activity.pk)
    assert stored_activity.community_id == community.pk
    assert stored_activity.created_at is not None and stored_activity.updated_at is not None
    assert Facility.objects.get(pk=facility.pk).community_id == community.pk


def test_a_failed_transaction_leaves_nothing():
    community = f.CommunityFactory()

    class Boom(Exception):
        pass

    with pytest.raises(Boom), transaction.atomic():
        create_with_history(Facility, facilities(community, "滚"), timezone.now(), REASON)
        raise Boom
    assert not Facility.objects.filter(name__startswith="滚").exists()
    assert not Facility.history.filter(name__startswith="滚").exists()


def test_values_of_a_type_django_converts_are_converted_after_plain_ones_passed_through():
    """A column passes through the value types its field sends unchanged (learned from the
    first value of each type); a value of another type in a later row is still converted as
    bulk_create converts it (a count as text, 1 for a logical, an int for a decimal, and an
    aware datetime for a date: Django takes its date in Beijing time, the next day, where
    PostgreSQL given the value as it is would take the UTC date)."""

    def mixed(community, prefix):
        rows = facilities(community, prefix)
        evening = dt.datetime(2014, 3, 9, 20, tzinfo=dt.UTC)
        rows[1].sets, rows[1].opened_on, rows[1].free_open = "7", evening, 1
        rows[2].area = 99  # an int for a decimal
        return rows

    community = f.CommunityFactory()
    when = timezone.now()
    old = bulk_create_with_history(
        mixed(community, "旧"), Facility, default_change_reason=REASON, default_date=when
    )
    new = create_with_history(Facility, mixed(community, "新"), when, REASON)
    assert stored(Facility, [o.name for o in old]) == stored(Facility, [o.name for o in new])
    second = Facility.objects.get(pk=new[1].pk)
    assert (second.sets, second.opened_on, second.free_open) == (7, dt.date(2014, 3, 10), True)
