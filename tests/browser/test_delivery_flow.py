"""点单配送 in a real browser, the whole loop: the street publishes a product and sets quotas;
a cadre orders it on a phone-sized page; staff confirm it; the cadre records the delivery with
a photo and rates it; the activity appears in the community's list; the statistics show it.
Screenshots of each step go to test-artifacts/."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from delivery.models import Order, OrderStatus, Product, ProductStatus, Provider, Quota
from tests.activities import samples
from tests.browser_support import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "越剧经典唱段专场"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def test_the_whole_delivery_loop(browser, live_server, cast, tmp_path):
    for user in (cast.cadre_a1, cast.street_staff):
        user.save(update_fields=["password"])
    Provider.objects.create(street=cast.street_a, name="街道文体中心", contact="周主任")
    today = timezone.localdate()
    photo = tmp_path / "配送现场.jpg"
    photo.write_bytes(samples.jpeg_bytes((640, 480), "#2e86c1"))

    # The street publishes a product and sets the year's quotas.
    staff_context, staff = sign_in(browser, live_server, cast.street_staff)
    staff.goto(f"{live_server.url}/delivery/products/new/")
    staff.select_option("select[name=kind]", "演出")
    staff.fill("input[name=title]", TITLE)
    staff.fill("input[name=year]", str(today.year))
    staff.fill("input[name=sessions]", "3")
    staff.fill("input[name=unit_price]", "800")
    staff.get_by_role("button", name="保存").click()
    expect(staff.locator("h1")).to_have_text(TITLE)
    staff.get_by_role("button", name="发布").click()
    expect(staff.locator(".messages")).to_contain_text("已发布")
    staff.goto(f"{live_server.url}/delivery/quotas/?year={today.year}")
    staff.check("input[name=rule][value=equal]")
    staff.fill("input[name=total]", "4")
    staff.get_by_role("button", name="保存额度").click()
    expect(staff.locator(".messages")).to_contain_text("配送额度已保存")
    screenshot(staff, "delivery-1-quotas")
    product = Product.objects.get(title=TITLE)
    assert product.status == ProductStatus.PUBLISHED
    assert Quota.objects.get(community=cast.a1, year=today.year).orders == 2

    # The cadre orders it on a phone.
    cadre_context, cadre = sign_in(browser, live_server, cast.cadre_a1, **PHONE)
    cadre.goto(f"{live_server.url}/delivery/")
    card = cadre.locator("article.card", has_text=TITLE)
    expect(card).to_contain_text("全年 3 场，已约 0 场")
    screenshot(cadre, "delivery-2-menu-phone")
    card.get_by_role("link", name="点单").click()
    expect(cadre.locator(".panel")).to_contain_text("额度剩余 2 次")
    cadre.fill("input[name=preferred_date]", today.isoformat())
    cadre.fill("input[name=preferred_start]", "09:30")
    cadre.fill("textarea[name=note]", "请安排在社区文化家园")
    cadre.get_by_role("button", name="提交点单").click()
    expect(cadre.locator(".messages")).to_contain_text("等待街道确认排期")
    assert cadre.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(cadre, "delivery-3-ordered-phone")
    order = Order.objects.get(community=cast.a1)
    assert order.status == OrderStatus.ORDERED

    # Staff confirm it.
    staff.goto(f"{live_server.url}/delivery/orders/{order.pk}/")
    staff.get_by_role("button", name="确认", exact=True).click()
    expect(staff.locator(".messages")).to_contain_text("已确认排期")
    order.refresh_from_db()
    assert (order.status, order.scheduled_date, order.scheduled_start) == (
        OrderStatus.CONFIRMED,
        today,
        dt.time(9, 30),
    )

    # The cadre records the delivery with a photo and rates it, on the phone.
    cadre.goto(f"{live_server.url}/delivery/orders/{order.pk}/")
    deliver = cadre.locator("#deliver")
    deliver.locator("input[name=audience]").fill("150")
    deliver.locator("input[name=photos]").set_input_files(str(photo))
    deliver.locator("textarea[name=note]").fill("座无虚席")
    screenshot(cadre, "delivery-4-deliver-phone")
    deliver.get_by_role("button", name="提交").click()
    expect(cadre.locator(".messages")).to_contain_text("社区活动已生成并提交审核")
    rate = cadre.locator("#rate")
    rate.get_by_label("5 分").check()
    rate.locator("textarea[name=comment]").fill("演员很专业，居民很喜欢")
    rate.get_by_role("button", name="提交评价").click()
    expect(cadre.locator(".messages")).to_contain_text("感谢评价")
    assert cadre.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(cadre, "delivery-5-rated-phone")
    order.refresh_from_db()
    assert (order.status, order.audience, order.rating) == (OrderStatus.DELIVERED, 150, 5)
    activity = order.activity
    assert activity.files.filter(slot="image").count() == 1

    # The activity is in the community's list, waiting for verification.
    cadre.goto(f"{live_server.url}/activities/")
    row = cadre.locator("table.data-table tbody tr", has_text=f"文化配送：{TITLE}")
    expect(row).to_contain_text("待审核")

    # The statistics page shows the delivery.
    staff.goto(f"{live_server.url}/delivery/statistics/?year={today.year}")
    expect(staff.locator(".panel").first).to_contain_text("已配送 1 次")
    product_row = staff.locator("table.stat-table").first.locator("tr", has_text=TITLE)
    expect(product_row).to_contain_text("150")
    expect(staff.locator("body")).to_contain_text("演员很专业，居民很喜欢")
    screenshot(staff, "delivery-6-statistics")
    staff_context.close()
    cadre_context.close()
