"""Writes of 点单配送: refusals, quotas, scheduling, the hand-over into the activity record."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from activities import services as activity_services
from activities.models import Activity, ActivityStatus, ArchiveFile
from assessments import metrics
from delivery import rules, selectors, services
from delivery.models import Order, OrderEvent, OrderStatus, ProductStatus, Quota
from tests import factories as f

from .conftest import YEAR, make_product, photo, place

D = dt.date
S = OrderStatus


def messages(error: ValidationError) -> list[str]:
    return error.messages


# ------------------------------------------------------------------ refusals


def test_an_order_in_quota_is_placed_and_logged(cast, menu):
    order = place(cast, menu.show, D(2026, 7, 1))
    assert order.status == S.ORDERED and order.year == YEAR
    assert list(order.events.values_list("action", flat=True)) == ["点单"]


def test_refused_beyond_quota(cast, menu):
    place(cast, menu.show, D(2026, 7, 1))
    place(cast, menu.lecture, D(2026, 7, 2))
    with pytest.raises(ValidationError) as e:
        place(cast, menu.show, D(2026, 7, 3))
    assert any("超出额度" in m for m in messages(e.value))
    assert Order.objects.filter(community=cast.a1).count() == 2


def test_a_cancelled_order_gives_its_place_back(cast, menu):
    first = place(cast, menu.show, D(2026, 7, 1))
    place(cast, menu.lecture, D(2026, 7, 2))
    services.order_cancel(user=cast.cadre_a1, order=first, reason="场地维修")
    assert place(cast, menu.show, D(2026, 7, 3)).status == S.ORDERED


def test_refused_withdrawn_product(cast, menu):
    services.product_withdraw(user=cast.street_staff, product=menu.show, reason="演员档期变化")
    with pytest.raises(ValidationError) as e:
        place(cast, menu.show, D(2026, 7, 1))
    assert messages(e.value) == ["该产品已下架，不能点单。"]
    menu.show.refresh_from_db()
    assert menu.show.status == ProductStatus.WITHDRAWN and menu.show.withdraw_reason


def test_refused_when_no_session_left(cast, menu):
    menu.show.sessions = 1
    menu.show.save()
    place(cast, menu.show, D(2026, 7, 1), who=cast.cadre_a2, community=cast.a2)
    with pytest.raises(ValidationError) as e:
        place(cast, menu.show, D(2026, 7, 8))
    assert any("没有剩余场次" in m for m in messages(e.value))


def test_refused_on_a_date_the_product_is_booked(cast, menu):
    place(cast, menu.show, D(2026, 7, 1), who=cast.cadre_a2, community=cast.a2)
    with pytest.raises(ValidationError) as e:
        place(cast, menu.show, D(2026, 7, 1))
    assert messages(e.value) == ["该产品 2026-07-01 已有安排，当天没有剩余场次，请换一天。"]
    assert place(cast, menu.show, D(2026, 7, 2)).status == S.ORDERED


def test_refused_outside_season_and_in_the_past(cast, menu):
    menu.show.season = 1
    menu.show.save()
    with pytest.raises(ValidationError) as e:
        place(cast, menu.show, D(2026, 6, 1))
    text = " ".join(messages(e.value))
    assert "已经过去" in text and "一季度" in text


def test_a_cadre_orders_only_for_their_community(cast, menu):
    with pytest.raises(PermissionDenied):
        place(cast, menu.show, D(2026, 7, 1), who=cast.cadre_a1, community=cast.a2)
    for street_user in (cast.leader, cast.street_staff):
        with pytest.raises(PermissionDenied, match="社区管理员"):
            place(cast, menu.show, D(2026, 7, 1), who=street_user)
    with pytest.raises(PermissionDenied):
        place(cast, menu.show, D(2026, 7, 1), who=cast.cadre_b1, community=cast.b1)


# ------------------------------------------------------------------ quotas


def test_quota_equal(cast, menu):
    services.quotas_set(
        user=cast.street_admin, street=cast.street_a, year=YEAR, rule="equal", total=5
    )
    got = dict(Quota.objects.filter(year=YEAR).values_list("community__name", "orders"))
    assert got == {"甲一社区": 3, "甲二社区": 2}


def test_quota_by_population_needs_every_population(cast, menu):
    f.PopulationFactory(community=cast.a1, year=YEAR, residents=9000)
    with pytest.raises(ValidationError) as e:
        services.quotas_set(
            user=cast.street_admin, street=cast.street_a, year=YEAR, rule="population", total=4
        )
    assert "甲二社区" in messages(e.value)[0]
    f.PopulationFactory(community=cast.a2, year=YEAR, residents=3000)
    services.quotas_set(
        user=cast.street_admin,
        street=cast.street_a,
        year=YEAR,
        rule="population",
        total=4,
        budget_per_order=Decimal("500"),
    )
    q = {q.community.name: (q.orders, q.budget, q.rule) for q in Quota.objects.filter(year=YEAR)}
    assert q == {
        "甲一社区": (3, Decimal("1500"), "按常住人口"),
        "甲二社区": (1, Decimal("500"), "按常住人口"),
    }


def test_quota_by_last_years_rating(cast, menu):
    f.StarRatingFactory(community=cast.a1, year=YEAR - 1, stars=4)
    f.StarRatingFactory(community=cast.a1, year=YEAR - 1, stars=3)  # the best one counts
    # a2 unrated: weight 1 → 10 × 4/5 = 8, 10 × 1/5 = 2
    services.quotas_set(
        user=cast.street_admin, street=cast.street_a, year=YEAR, rule="rating", total=10
    )
    assert dict(Quota.objects.filter(year=YEAR).values_list("community_id", "orders")) == {
        cast.a1.pk: 8,
        cast.a2.pk: 2,
    }


def test_quota_by_hand_not_below_what_is_ordered(cast, menu):
    place(cast, menu.show, D(2026, 7, 1))
    place(cast, menu.lecture, D(2026, 7, 2))
    with pytest.raises(ValidationError) as e:
        services.quotas_set(
            user=cast.street_admin,
            street=cast.street_a,
            year=YEAR,
            rule="manual",
            manual={cast.a1.pk: 1, cast.a2.pk: 5},
        )
    assert "甲一社区（已点 2 次）" in messages(e.value)[0]
    assert Quota.objects.get(community=cast.a2, year=YEAR).orders == 2  # nothing half-written
    services.quotas_set(
        user=cast.street_admin,
        street=cast.street_a,
        year=YEAR,
        rule="manual",
        manual={cast.a1.pk: 2, cast.a2.pk: 5},
    )
    assert Quota.objects.get(community=cast.a2, year=YEAR).orders == 5


def test_only_street_staff_set_quotas(cast, menu):
    for who in (cast.cadre_a1, cast.leader, cast.staff_b):
        with pytest.raises(PermissionDenied):
            services.quotas_set(user=who, street=cast.street_a, year=YEAR, rule="equal", total=4)


# ------------------------------------------------------------------ scheduling


def test_confirm_reschedule_decline(cast, menu):
    order = place(cast, menu.show, D(2026, 7, 1), start=dt.time(14))
    with pytest.raises(PermissionDenied):
        services.order_confirm(user=cast.cadre_a1, order=order)
    services.order_confirm(user=cast.street_staff, order=order)
    order.refresh_from_db()
    assert (order.status, order.scheduled_date, order.scheduled_end) == (
        S.CONFIRMED,
        D(2026, 7, 1),
        dt.time(15, 30),
    )
    with pytest.raises(ValidationError, match="改期时必须填写原因"):
        services.order_reschedule(
            user=cast.street_staff, order=order, date=D(2026, 7, 5), start=None, reason=" "
        )
    services.order_reschedule(
        user=cast.street_staff, order=order, date=D(2026, 7, 5), start=dt.time(9), reason="演员生病"
    )
    order.refresh_from_db()
    assert (order.scheduled_date, order.reason) == (D(2026, 7, 5), "演员生病")
    other = place(cast, menu.lecture, D(2026, 7, 9))
    with pytest.raises(ValidationError, match="拒绝时必须填写原因"):
        services.order_decline(user=cast.street_staff, order=other, reason="")
    services.order_decline(user=cast.street_staff, order=other, reason="讲师当天已排满")
    with pytest.raises(ValidationError, match="不能确认"):
        services.order_confirm(user=cast.street_staff, order=other)
    assert list(other.events.values_list("action", "reason")) == [
        ("点单", ""),
        ("拒绝", "讲师当天已排满"),
    ]


def test_the_calendar_flags_a_provider_booked_twice_at_once(cast, menu):
    one = place(cast, menu.show, D(2026, 7, 1), start=dt.time(9))
    two = place(
        cast, menu.lecture, D(2026, 7, 1), who=cast.cadre_a2, community=cast.a2, start=dt.time(10)
    )
    three = place(cast, menu.lecture, D(2026, 7, 2), start=dt.time(10))
    for o in (one, two, three):
        services.order_confirm(user=cast.street_staff, order=o)
    month = selectors.month_calendar(cast.street_staff, 2026, 7)
    assert month.conflicts == {one.pk, two.pk}
    # the cadre sees only a1's bookings, but the clash with a2's is still flagged
    mine = selectors.month_calendar(cast.cadre_a1, 2026, 7)
    assert [o.pk for o in mine.orders] == [one.pk, three.pk] and one.pk in mine.conflicts
    one.refresh_from_db()
    assert [o.pk for o in selectors.conflicts_of(one)] == [two.pk]
    services.order_reschedule(
        user=cast.street_staff, order=two, date=D(2026, 7, 1), start=dt.time(13), reason="错开"
    )
    assert selectors.month_calendar(cast.street_staff, 2026, 7).conflicts == set()


# ------------------------------------------------------------------ delivery into the record


def _confirmed(cast, menu, monkeypatch_today=None):
    order = place(cast, menu.show, D(2026, 7, 1))
    services.order_confirm(user=cast.street_staff, order=order)
    services.order_reschedule(
        user=cast.street_staff, order=order, date=D(2026, 6, 10), start=dt.time(9), reason="提前"
    )
    return order


def test_delivery_creates_the_activity_once_and_it_counts_after_verification(cast, menu, today):
    future = place(cast, menu.lecture, D(2026, 7, 1))
    services.order_confirm(user=cast.street_staff, order=future)
    with pytest.raises(ValidationError, match="还没到"):
        services.order_record_delivery(
            user=cast.cadre_a1, order=future, happened=True, audience=10, photos=[photo()]
        )
    order = _confirmed(cast, menu)
    with pytest.raises(ValidationError) as e:
        services.order_record_delivery(
            user=cast.cadre_a1, order=order, happened=True, audience=None
        )
    assert messages(e.value) == ["请填写受益人数（大于 0 的整数）。", "请至少上传一张现场照片。"]
    services.order_record_delivery(
        user=cast.cadre_a1,
        order=order,
        happened=True,
        audience=120,
        photos=[photo()],
        note="座无虚席",
    )
    order.refresh_from_db()
    activity = order.activity
    assert order.status == S.DELIVERED and order.audience == 120
    assert (activity.community, activity.date, activity.category, activity.form) == (
        cast.a1,
        D(2026, 6, 10),
        "文化",
        "演出",
    )
    assert activity.name == "文化配送：越剧专场" and activity.participants == 120
    assert activity.status == ActivityStatus.PENDING and activity.has_image
    assert ArchiveFile.objects.filter(activity=activity, slot="image").count() == 1
    assert activity.delivery_order == order
    with pytest.raises(ValidationError, match="不能登记配送情况"):
        services.order_record_delivery(
            user=cast.cadre_a1, order=order, happened=True, audience=5, photos=[photo()]
        )
    assert Activity.objects.filter(community=cast.a1).count() == 1

    ctx = metrics.MetricContext((cast.a1.pk,), YEAR, D(2026, 12, 31))

    def counted() -> int:
        [values] = metrics.read(ctx, [("culture_activities", {})], evidence=False)
        return getattr(values.get(cast.a1.pk), "value", 0)

    assert counted() == 0
    activity_services.activity_verify(activity=activity, user=cast.street_staff)
    assert counted() == 1


def test_a_delivery_that_did_not_happen_needs_a_reason_and_makes_no_activity(cast, menu, today):
    order = _confirmed(cast, menu)
    with pytest.raises(ValidationError, match="必须填写原因"):
        services.order_record_delivery(user=cast.cadre_a1, order=order, happened=False)
    services.order_record_delivery(
        user=cast.cadre_a1, order=order, happened=False, reason="暴雨取消"
    )
    order.refresh_from_db()
    assert (order.status, order.reason, order.activity) == (S.NOT_DELIVERED, "暴雨取消", None)
    assert not Activity.objects.exists()


def test_rating_once_from_1_to_5(cast, menu, today):
    order = _confirmed(cast, menu)
    with pytest.raises(ValidationError, match="不能评价"):
        services.order_rate(user=cast.cadre_a1, order=order, rating=5)
    services.order_record_delivery(
        user=cast.cadre_a1, order=order, happened=True, audience=50, photos=[photo()]
    )
    with pytest.raises(ValidationError, match="1 到 5"):
        services.order_rate(user=cast.cadre_a1, order=order, rating=6)
    with pytest.raises(PermissionDenied):
        services.order_rate(user=cast.cadre_a2, order=order, rating=4)
    services.order_rate(user=cast.cadre_a1, order=order, rating=4, comment="很受欢迎")
    with pytest.raises(ValidationError, match="已评价"):
        services.order_rate(user=cast.cadre_a1, order=order, rating=1)
    product = selectors.with_figures(type(menu.show).objects.filter(pk=menu.show.pk)).get()
    assert (product.avg_rating, product.ratings, product.delivered) == (4, 1, 1)
    assert OrderEvent.objects.filter(order=order, action="评价 4 分").exists()


def test_the_menu_keeps_published_products_of_the_season(cast, menu):
    q1 = make_product(cast.street_a, menu.provider, title="春节联欢", season=1)
    draft = make_product(cast.street_a, menu.provider, title="草稿", status=ProductStatus.DRAFT)
    titles = {p.title for p in selectors.menu(cast.cadre_a1, year=YEAR)}
    assert titles == {"越剧专场", "健康讲座", "春节联欢"} and draft.title not in titles
    assert {p.title for p in selectors.menu(cast.cadre_a1, year=YEAR, month=7)} == {
        "越剧专场",
        "健康讲座",
    }
    assert {p.title for p in selectors.menu(cast.cadre_a1, year=YEAR, kind="讲座")} == {"健康讲座"}
    assert selectors.menu(cast.cadre_b1, year=YEAR) == []
    assert q1.season == 1 and rules.SEASON_LABELS[q1.season] == "一季度"
