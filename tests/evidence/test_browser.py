"""The street verifier and a reused photo, in Debian's Chromium: from the queue to the
activity, both activities side by side, marked explained with a note. Screenshots at
desktop and phone width go to test-artifacts/."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from evidence.models import PhotoFlag
from tests.browser_support import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width,height,label", [(1280, 900, "desktop"), (390, 844, "phone")])
def test_verifier_sees_both_activities_and_marks_the_photo_explained(
    browser, live_server, cast, reused, width, height, label
):
    a1, a2, first, second = reused
    cast.street_staff.save(update_fields=["password"])
    context, page = sign_in(
        browser, live_server, cast.street_staff, viewport={"width": width, "height": height}
    )
    try:
        page.goto(f"{live_server.url}/activities/queue/")
        queue_box = page.locator("#queue-photo-flags")
        expect(queue_box).to_contain_text("甲一健身操展示")
        queue_box.get_by_role("link", name="甲一健身操展示").click()
        check = page.locator("#photo-check")
        expect(check).to_contain_text("照片重复使用")
        flag = check.locator("li.flag").first
        sides = flag.locator(".side")
        expect(sides).to_have_count(2)
        expect(sides.nth(0)).to_contain_text("甲一健身操展示")
        expect(sides.nth(1)).to_contain_text("2014-06-01 甲二社区 甲二广场舞比赛")
        for img in sides.locator("img.thumb").all():
            img.scroll_into_view_if_needed()  # the thumbnails load lazily
            expect(img).to_be_visible()
            page.wait_for_function(
                "i => i.complete && i.naturalWidth > 0", arg=img.element_handle()
            )
        box0, box1 = sides.nth(0).bounding_box(), sides.nth(1).bounding_box()
        if label == "desktop":
            assert abs(box0["y"] - box1["y"]) < 2 and box1["x"] > box0["x"]  # side by side
        else:
            assert box1["y"] > box0["y"]  # stacked on a phone
        screenshot(page, f"evidence-flag-{label}")
        flag.get_by_label("说明").fill("两个社区联合举办，共用现场照片")
        flag.get_by_role("button", name="标为已说明").click()
        expect(page.locator("#photo-check")).to_contain_text("均已说明")
        expect(page.locator("#photo-check")).to_contain_text("说明：两个社区联合举办，共用现场照片")
        screenshot(page, f"evidence-explained-{label}")
        assert PhotoFlag.objects.filter(explained=True).count() == 2
        page.goto(f"{live_server.url}/activities/queue/")
        expect(page.locator("#queue-photo-flags")).to_have_count(0)
    finally:
        context.close()
