"""Issue 17's data migration: typed hours become approved make-ups plus a labelled opening
balance, totals unchanged (and raised where the records exceeded the typed total)."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from tests.migrations import migrate_to, migrate_to_latest

# communities stays at its leaf: the state must know the street's district as the table has it.
COMMUNITIES = ("communities", "0003_district")
BEFORE = [("service", "0001_initial"), ("teams", "0003_constraint_messages"), COMMUNITIES]
AFTER = [("service", "0002_opening_balances"), COMMUNITIES]


@pytest.mark.django_db(transaction=True)
def test_records_become_makeups_and_the_rest_an_opening_balance():
    apps = migrate_to(BEFORE)
    try:
        Street = apps.get_model("communities", "Street")
        Community = apps.get_model("communities", "Community")
        Person = apps.get_model("teams", "Person")
        Volunteer = apps.get_model("teams", "Volunteer")
        ServiceRecord = apps.get_model("teams", "ServiceRecord")
        street = Street.objects.create(name="迁移街道")
        community = Community.objects.create(street=street, name="迁移社区")

        def volunteer(code, hours, registered_on=None):
            person = Person.objects.create(street=street, code=code, name=code)
            return Volunteer.objects.create(
                person=person,
                community=community,
                service_hours=Decimal(hours),
                registered_on=registered_on,
            )

        typed = volunteer("P1", "10.0", datetime.date(2020, 3, 1))  # 4 in records, 6 opening
        exact = volunteer("P2", "3.0")  # records add up to the total: no opening
        beyond = volunteer("P3", "1.0")  # records exceed the total: raised to 5
        volunteer("P4", "0")  # nothing at all
        for v, day, hours in [
            (typed, datetime.date(2021, 5, 1), "1.5"),
            (typed, datetime.date(2021, 6, 1), "2.5"),
            (exact, datetime.date(2022, 1, 9), "3.0"),
            (beyond, datetime.date(2022, 2, 9), "5.0"),
        ]:
            ServiceRecord.objects.create(
                volunteer=v, date=day, hours=Decimal(hours), content="值守"
            )

        apps = migrate_to(AFTER)
        Volunteer = apps.get_model("teams", "Volunteer")
        ServiceEntry = apps.get_model("service", "ServiceEntry")
        entries = sorted(
            (e.person.code, e.kind, str(e.date), e.hours, e.approval)
            for e in ServiceEntry.objects.select_related("person")
        )
        assert entries == [
            ("P1", "makeup", "2021-05-01", Decimal("1.5"), "approved"),
            ("P1", "makeup", "2021-06-01", Decimal("2.5"), "approved"),
            ("P1", "opening", "2020-03-01", Decimal("6.0"), ""),
            ("P2", "makeup", "2022-01-09", Decimal("3.0"), "approved"),
            ("P3", "makeup", "2022-02-09", Decimal("5.0"), "approved"),
        ]
        totals = dict(Volunteer.objects.values_list("person__code", "service_hours"))
        assert totals == {
            "P1": Decimal("10.0"),
            "P2": Decimal("3.0"),
            "P3": Decimal("5.0"),
            "P4": Decimal("0.0"),
        }
        assert apps.get_model("teams", "ServiceRecord").objects.count() == 0
    finally:
        migrate_to_latest()
