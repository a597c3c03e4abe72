"""district 0002: the district's published schemes move down into assessments (their ids,
contents and publishing times kept), and back with nothing lost.

The targets are pinned in both apps: on a fresh database assessments 0003 (the new table)
may run before district 0001 (the old one), so "before" names both."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.migrations import migrate_to, migrate_to_latest

# the old table (district 0001) beside the new, still empty one (assessments 0003)
BEFORE = [("district", "0001_initial"), ("assessments", "0003_published_scheme")]
# the rows copied, the old table dropped
AFTER = [("district", "0002_published_scheme_to_assessments"), *BEFORE[1:]]

FIELDS = ("pk", "district_id", "year", "name", "data", "source", "published_at", "published_by_id")
WHEN = (
    dt.datetime(2014, 2, 20, 9, 30, tzinfo=dt.UTC),
    dt.datetime(2015, 3, 1, 16, 5, 12, tzinfo=dt.UTC),
)


def _rows(model):
    return sorted(model.objects.values_list(*FIELDS))


@pytest.mark.django_db(transaction=True)
def test_published_schemes_move_to_assessments_and_back():
    apps = migrate_to(BEFORE)
    try:
        District = apps.get_model("communities", "District")
        User = apps.get_model("auth", "User")
        Old = apps.get_model("district", "PublishedScheme")
        user = User.objects.create(username="区县管理员甲")
        shangcheng = District.objects.create(name="上城区", code="330102")
        jianggan = District.objects.create(name="江干区")
        data = {
            "name": "上城区2014年统一方案",
            "year": 2014,
            "cards": [{"code": "A", "name": "设施", "indicators": [{"code": "A1", "points": "5"}]}],
        }
        made = [
            (shangcheng, 2014, data, "默认“双百分”方案"),
            (
                shangcheng,
                2015,
                {**data, "year": 2015, "name": "上城区2015年统一方案"},
                "四季青街道的2015年方案",
            ),
            (jianggan, 2015, {"name": "江干区2015年统一方案", "cards": []}, "默认“双百分”方案"),
        ]
        for (district, year, content, source), when in zip(made, (*WHEN, WHEN[1]), strict=True):
            row = Old.objects.create(
                district=district,
                year=year,
                name=content["name"],
                data=content,
                source=source,
                published_by=user,
            )
            Old.objects.filter(pk=row.pk).update(published_at=when)  # auto_now_add
        Old.objects.filter(year=2014).delete()  # a gap in the ids: they are kept, not renumbered
        Old.objects.create(
            district=shangcheng,
            year=2014,
            name="上城区2014年统一方案",
            data=data,
            source="默认“双百分”方案",
            published_by=user,
        )
        Old.objects.filter(year=2014).update(published_at=WHEN[0])
        before = _rows(Old)
        assert len(before) == 3 and max(r[0] for r in before) > 3

        apps = migrate_to(AFTER)
        New = apps.get_model("assessments", "PublishedScheme")
        assert _rows(New) == before
        # the id sequence continues after the copied ids (PostgreSQL: setval)
        later = New.objects.create(
            district_id=jianggan.pk,
            year=2016,
            name="江干区2016年统一方案",
            data={},
            source="默认“双百分”方案",
            published_by_id=user.pk,
        )
        assert later.pk > max(r[0] for r in before)
        later.delete()

        apps = migrate_to(BEFORE)
        assert _rows(apps.get_model("district", "PublishedScheme")) == before
        # assessments 0003 stays applied, its table keeps the rows: forwards again skips
        # them instead of failing on their ids (it did), and nothing is doubled.
        apps = migrate_to(AFTER)
        assert _rows(apps.get_model("assessments", "PublishedScheme")) == before
    finally:
        migrate_to_latest()
