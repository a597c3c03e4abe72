"""The 配送 pages: each role sees its scope, the steps work through the pages."""

from __future__ import annotations

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook
from PIL import Image

from delivery import services
from delivery.models import Order, OrderStatus, Quota

from .conftest import YEAR, place

D = dt.date


def jpeg() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "#2e86c1").save(buffer, "JPEG")
    return SimpleUploadedFile("现场.jpg", buffer.getvalue(), content_type="image/jpeg")


def test_every_page_renders_for_each_role(cast, menu, login):
    order = place(cast, menu.show, D(2026, 7, 1))
    pages = [
        reverse("delivery:menu") + f"?year={YEAR}",
        reverse("delivery:product_list"),
        reverse("delivery:product_detail", args=[menu.show.pk]),
        reverse("delivery:provider_list"),
        reverse("delivery:provider_detail", args=[menu.provider.pk]),
        reverse("delivery:quotas") + f"?year={YEAR}",
        reverse("delivery:order_list"),
        reverse("delivery:order_detail", args=[order.pk]),
        reverse("delivery:calendar") + "?year=2026&month=7",
        reverse("delivery:statistics") + f"?year={YEAR}",
    ]
    for user in (cast.street_admin, cast.street_staff, cast.leader, cast.cadre_a1):
        client = login(user)
        for url in pages:
            response = client.get(url)
            assert response.status_code == 200, (user, url)
    outsider = login(cast.cadre_b1)
    assert outsider.get(pages[2]).status_code == 404
    assert outsider.get(pages[7]).status_code == 404
    assert login(cast.cadre_a2).get(pages[7]).status_code == 404


def test_the_cadre_orders_through_the_page_and_sees_the_refusals(cast, menu, login):
    cadre = login(cast.cadre_a1)
    url = reverse("delivery:order_create", args=[menu.show.pk])
    page = cadre.get(url).content.decode()
    assert "剩余 <strong>3</strong> 场" in page and "剩余 <strong>2</strong> 次" in page
    response = cadre.post(url, {"preferred_date": "2026-07-01", "preferred_start": "09:30"})
    order = Order.objects.get(community=cast.a1)
    assert response.status_code == 302 and response["Location"] == order.get_absolute_url()
    Quota.objects.filter(community=cast.a1).update(orders=1)
    page = cadre.post(url, {"preferred_date": "2026-07-02"}).content.decode()
    assert "超出额度" in page
    assert Order.objects.filter(community=cast.a1).count() == 1
    staff = login(cast.street_staff)
    response = staff.post(url, {"preferred_date": "2026-07-03"})
    assert response.status_code == 302 and response["Location"] == menu.show.get_absolute_url()
    assert Order.objects.count() == 1


def test_staff_schedule_and_the_cadre_records_delivery_and_rates(cast, menu, login, today):
    order = place(cast, menu.show, D(2026, 7, 1))
    staff = login(cast.street_staff)
    page = staff.get(reverse("delivery:order_detail", args=[order.pk])).content.decode()
    assert "确认排期" in page and "拒绝" in page
    staff.post(
        reverse("delivery:order_reschedule", args=[order.pk]),
        {"date": "2026-06-10", "start": "09:00", "reason": "提前到六月"},
    )
    order.refresh_from_db()
    assert (order.status, order.scheduled_date) == (OrderStatus.CONFIRMED, D(2026, 6, 10))
    cadre = login(cast.cadre_a1)
    assert (
        login(cast.cadre_a2).post(reverse("delivery:order_deliver", args=[order.pk])).status_code
        == 404
    )
    response = cadre.post(
        reverse("delivery:order_deliver", args=[order.pk]),
        {"happened": "1", "audience": "80", "photos": [jpeg()], "note": "效果很好"},
    )
    assert response.status_code == 302
    order.refresh_from_db()
    assert order.status == OrderStatus.DELIVERED and order.activity.participants == 80
    cadre.post(reverse("delivery:order_rate", args=[order.pk]), {"rating": "5", "comment": "好"})
    order.refresh_from_db()
    assert order.rating == 5
    activities = cadre.get(reverse("activities:list")).content.decode()
    assert "文化配送：越剧专场" in activities


def test_street_sets_quotas_by_rule_on_the_page(cast, menu, login):
    staff = login(cast.street_staff)
    response = staff.post(reverse("delivery:quotas"), {"year": YEAR, "rule": "equal", "total": "7"})
    assert response.status_code == 302
    assert sorted(Quota.objects.filter(year=YEAR).values_list("orders", flat=True)) == [3, 4]
    page = staff.post(reverse("delivery:quotas"), {"year": YEAR, "rule": "equal"}).content.decode()
    assert "按规则分配时请填写总次数" in page
    assert login(cast.cadre_a1).post(reverse("delivery:quotas"), {"year": YEAR}).status_code == 403


def test_statistics_export_has_a_sheet_per_grouping(cast, menu, login):
    place(cast, menu.show, D(2026, 7, 1))
    response = login(cast.street_staff).get(
        reverse("delivery:statistics") + f"?year={YEAR}&export=xlsx"
    )
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "合计",
        "按产品",
        "按类别",
        "按社区",
        "按提供单位",
        "未完成原因",
        "评价",
    ]
    assert [c.value for c in book["按社区"][2]][:3] == ["甲一社区", 2, 1]


def test_lists_take_the_same_queries_for_more_orders(cast, menu, login):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .conftest import make_product

    services.order_confirm(user=cast.street_staff, order=place(cast, menu.show, D(2026, 7, 1)))
    staff = login(cast.street_staff)
    pages = [
        reverse("delivery:order_list"),
        reverse("delivery:menu") + f"?year={YEAR}",
        reverse("delivery:statistics") + f"?year={YEAR}",
        reverse("delivery:calendar") + "?year=2026&month=7",
    ]

    def queries() -> list[int]:
        found = []
        for url in pages:
            with CaptureQueriesContext(connection) as seen:
                assert staff.get(url).status_code == 200
            found.append(len(seen))
        return found

    small = queries()
    Quota.objects.filter(year=YEAR).update(orders=10)
    for n in range(4):
        extra = make_product(cast.street_a, menu.provider, title=f"讲座{n}", kind="讲座")
        place(cast, extra, D(2026, 7, 2 + n), who=cast.cadre_a2, community=cast.a2)
        order = place(cast, extra, D(2026, 7, 10 + n))
        services.order_confirm(user=cast.street_staff, order=order)
    assert queries() == small
