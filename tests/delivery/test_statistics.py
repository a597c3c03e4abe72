"""The year's statistics against a count done by hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from communities.models import Community
from delivery import selectors, services
from delivery.models import Quota

from .conftest import YEAR, make_product, photo, place

D = dt.date


def test_statistics_match_a_hand_count(cast, menu, today):
    Quota.objects.filter(community=cast.a1).update(orders=4, budget=Decimal("3000"))
    Quota.objects.filter(community=cast.a2).update(orders=3)
    film = make_product(
        cast.street_a,
        menu.provider,
        title="露天电影",
        kind="电影",
        sessions=5,
        unit_price=Decimal("0"),
    )
    # a1: show delivered (rated 5, 100 people), lecture declined, film cancelled, film pending
    show = place(cast, menu.show, D(2026, 7, 1))
    lecture = place(cast, menu.lecture, D(2026, 7, 2))
    film1 = place(cast, film, D(2026, 7, 3))
    film2 = place(cast, film, D(2026, 7, 4))
    # a2: show delivered (rated 3, 40 people), lecture not delivered
    show2 = place(cast, menu.show, D(2026, 7, 5), who=cast.cadre_a2, community=cast.a2)
    lecture2 = place(cast, menu.lecture, D(2026, 7, 6), who=cast.cadre_a2, community=cast.a2)
    staff = cast.street_staff
    for o, cadre, n, stars in ((show, cast.cadre_a1, 100, 5), (show2, cast.cadre_a2, 40, 3)):
        services.order_confirm(user=staff, order=o)
        services.order_reschedule(
            user=staff, order=o, date=D(2026, 6, 10), start=None, reason="提前"
        )
        services.order_record_delivery(
            user=cadre, order=o, happened=True, audience=n, photos=[photo()]
        )
        services.order_rate(user=cadre, order=o, rating=stars, comment=f"{stars}星")
    services.order_decline(user=staff, order=lecture, reason="讲师出差")
    services.order_cancel(user=cast.cadre_a1, order=film1, reason="场地冲突")
    services.order_confirm(user=staff, order=lecture2)
    services.order_reschedule(
        user=staff, order=lecture2, date=D(2026, 6, 9), start=None, reason="提前"
    )
    services.order_record_delivery(
        user=cast.cadre_a2, order=lecture2, happened=False, reason="停电"
    )

    stats = selectors.statistics(staff, YEAR)
    t = stats.total
    # by hand: 6 orders; delivered 2, not delivered 1, declined 1, cancelled 1, pending 1
    assert (t.ordered, t.delivered, t.not_delivered, t.declined, t.cancelled, t.pending) == (
        6,
        2,
        1,
        1,
        1,
        1,
    )
    assert t.supply == 3 + 3 + 5 and t.audience == 140
    assert t.spending == Decimal("1600")  # two shows × 800
    assert t.budget == Decimal("3000") and t.fulfilment == 2 / 5 and t.average_rating == 4
    by_product = {p.label: p for p in stats.by_product}
    assert (by_product["越剧专场"].ordered, by_product["越剧专场"].delivered) == (2, 2)
    assert by_product["健康讲座"].fulfilment == 0 and by_product["露天电影"].supply == 5
    assert by_product["露天电影"].fulfilment == 0 and by_product["露天电影"].pending == 1
    by_kind = {k.label: (k.supply, k.ordered, k.delivered) for k in stats.by_kind}
    assert by_kind == {"演出": (3, 2, 2), "讲座": (3, 2, 0), "电影": (5, 2, 0)}
    by_community = {
        c.label: (c.supply, c.ordered, c.delivered, c.audience, c.spending)
        for c in stats.by_community
    }
    assert by_community == {
        "甲一社区": (4, 4, 1, 100, Decimal("800")),
        "甲二社区": (3, 2, 1, 40, Decimal("800")),
    }
    [provider] = stats.by_provider
    assert (provider.label, provider.supply, provider.ordered, provider.average_rating) == (
        "阳光艺术团",
        11,
        6,
        4,
    )
    assert sorted(r["reason"] for r in stats.reasons) == ["停电", "场地冲突", "讲师出差"]
    assert sorted(r["rating_comment"] for r in stats.comments) == ["3星", "5星"]
    # a cadre's statistics cover their community only
    mine = selectors.statistics(cast.cadre_a1, YEAR)
    assert (mine.total.ordered, mine.total.delivered) == (4, 1)
    assert selectors.statistics(cast.staff_b, YEAR).total.ordered == 0

    # The street's figures as the annual report reads them: now, and as they stood earlier.
    street = selectors.street_statistics(cast.street_a, YEAR)
    assert selectors.tally_row(street.total) == selectors.tally_row(t)
    assert [selectors.tally_row(x) for x in street.by_community] == [
        selectors.tally_row(x) for x in stats.by_community
    ]
    before = timezone.now()
    services.order_cancel(user=cast.cadre_a1, order=film2, reason="改期无望")
    Community.objects.filter(pk=cast.a2.pk).update(name="甲二社区（已更名）")
    assert selectors.street_statistics(cast.street_a, YEAR).total.cancelled == 2
    then = selectors.street_statistics(cast.street_a, YEAR, at=before)
    assert (then.total.cancelled, then.total.pending) == (1, 1)
    assert [c.label for c in then.by_community] == ["甲一社区", "甲二社区"]
