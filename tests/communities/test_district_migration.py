"""Issue 18: the free-text Street.district becomes District records (and back)."""

from __future__ import annotations

import pytest

from tests.migrations import migrate_to, migrate_to_latest

BEFORE = [("communities", "0002_constraint_messages")]
AFTER = [("communities", "0003_district")]


@pytest.mark.django_db(transaction=True)
def test_district_text_becomes_records_and_back():
    apps = migrate_to(BEFORE)
    try:
        Street = apps.get_model("communities", "Street")
        rows = {
            "四季青街道": "上城区",
            "采荷街道": " 上城区 ",  # the same district, typed with spaces
            "闸弄口街道": "江干区",
            "无区街道": "",
        }
        for name, district in rows.items():
            Street.objects.create(name=name, district=district)

        apps = migrate_to(AFTER)
        Street = apps.get_model("communities", "Street")
        District = apps.get_model("communities", "District")
        assert sorted(District.objects.values_list("name", "code")) == [
            ("上城区", ""),
            ("江干区", ""),
        ]
        after = {
            s.name: (s.district.name if s.district else "")
            for s in Street.objects.select_related("district")
        }
        assert after == {
            "四季青街道": "上城区",
            "采荷街道": "上城区",
            "闸弄口街道": "江干区",
            "无区街道": "",
        }

        apps = migrate_to(BEFORE)
        Street = apps.get_model("communities", "Street")
        back = dict(Street.objects.values_list("name", "district"))
        assert back == {**after}
    finally:
        migrate_to_latest()
