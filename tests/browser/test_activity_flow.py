"""The activity workflow in a real browser (Debian's Chromium through Playwright).

A cadre records an activity with a photo and submits it; street staff return it from the
queue with a reason; the cadre reads the reason, fixes and resubmits; staff verify; the
activity is then locked and another community's records stay out of reach. Screenshots of
each step go to test-artifacts/ for a human to look at.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from activities import services
from activities.models import Activity, ActivityTransition
from activities.models import ActivityStatus as S
from portal.uploads import check_upload
from tests import factories as f
from tests.activities import samples
from tests.browser_support import ARTIFACTS, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAME = "社区邻里节文艺汇演"


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def shot(page: Page, folder: Path, name: str) -> None:
    page.screenshot(path=str(folder / f"{name}.png"), full_page=True)


signed_in = sign_in


@pytest.fixture
def scene(cast, tmp_path):
    for user in (cast.cadre_a1, cast.street_staff):
        user.save(update_fields=["password"])  # UserFactory does not save the hash
    f.FacilityFactory(community=cast.a1, name="邻里文化家园")
    f.TeamFactory(community=cast.a1, name="夕阳红舞蹈队")
    f.TeamFactory(community=cast.a1, name="社区合唱团")
    # Another community's activity with a photo: the cadre of 甲一 must not reach either.
    other = f.ActivityFactory(community=cast.a2, name="甲二社区的活动", status=S.DRAFT)
    services.archive_attach(
        activity=other,
        user=cast.street_staff,
        slot="image",
        files=[check_upload(samples.upload("甲二.jpg", samples.jpeg_bytes()))],
    )
    photo = tmp_path / "活动现场.jpg"
    photo.write_bytes(samples.jpeg_bytes((640, 480), "#2e86c1"))
    summary = tmp_path / "活动总结.docx"
    summary.write_bytes(samples.ooxml_bytes("word"))
    return {"other": other, "photo": photo, "summary": summary}


def test_record_return_resubmit_verify_lock(browser, live_server, cast, scene, artifacts):
    base = live_server.url
    cadre_ctx, cadre = signed_in(
        browser, live_server, cast.cadre_a1, viewport={"width": 1280, "height": 900}
    )

    # 1. The cadre records the activity with a photo and submits it.
    cadre.goto(f"{base}/activities/new/")
    cadre.fill("input[name=name]", NAME)
    cadre.check("input[name=category][value=文化]")
    cadre.fill("input[name=form]", "文艺演出")
    cadre.select_option("select[name=scale]", "中型")
    cadre.fill("input[name=participants]", "180")
    cadre.select_option("select[name=location]", label="邻里文化家园")
    cadre.get_by_label("夕阳红舞蹈队").check()
    cadre.set_input_files("input[name=files_image]", str(scene["photo"]))
    shot(cadre, artifacts, "01-cadre-record-form")
    cadre.get_by_role("button", name="提交审核").click()
    expect(cadre.locator(".messages")).to_contain_text("已保存并提交审核")
    expect(cadre.locator(".page-head")).to_contain_text("待审核")
    expect(cadre.locator("#slot-image img.thumb")).to_have_count(1)
    shot(cadre, artifacts, "02-cadre-submitted")
    activity = Activity.objects.get(name=NAME)
    assert activity.status == S.PENDING and activity.has_image

    # 2. Staff find it in the queue and return it with a reason.
    staff_ctx, staff = signed_in(
        browser, live_server, cast.street_staff, viewport={"width": 1280, "height": 900}
    )
    staff.goto(f"{base}/activities/queue/")
    row = staff.locator("tr", has_text=NAME)
    expect(row).to_have_count(1)
    shot(staff, artifacts, "03-staff-queue")
    row.locator("input[name=reason]").fill("缺少活动总结，请补传")
    row.get_by_role("button", name="退回").click()
    expect(staff.locator(".messages")).to_contain_text("已退回")
    expect(staff.locator("tr", has_text=NAME)).to_have_count(0)
    shot(staff, artifacts, "04-staff-returned")

    # 3. The cadre sees the reason, adds the summary and resubmits.
    cadre.goto(f"{base}{activity.get_absolute_url()}")
    expect(cadre.locator("#return-reason")).to_contain_text("缺少活动总结，请补传")
    shot(cadre, artifacts, "05-cadre-sees-reason")
    cadre.get_by_role("link", name="修改").click()
    expect(cadre.locator(".notice")).to_contain_text("缺少活动总结")
    cadre.set_input_files("input[name=files_summary]", str(scene["summary"]))
    cadre.get_by_role("button", name="提交审核").click()
    expect(cadre.locator(".messages")).to_contain_text("已保存并提交审核")
    expect(cadre.locator("#slot-summary")).to_contain_text("活动总结.docx")

    # 4. Staff verify it from the detail page.
    staff.goto(f"{base}{activity.get_absolute_url()}")
    staff.get_by_role("button", name="审核通过").click()
    expect(staff.locator(".messages")).to_contain_text("已审核通过")
    expect(staff.locator(".log li")).to_have_count(4)
    shot(staff, artifacts, "06-staff-verified")

    # 5. Locked for the cadre: no edit button, the edit URL refuses, nothing to delete.
    cadre.goto(f"{base}{activity.get_absolute_url()}")
    expect(cadre.get_by_role("link", name="修改")).to_have_count(0)
    expect(cadre.get_by_role("button", name="删除")).to_have_count(0)
    cadre.goto(f"{base}/activities/{activity.pk}/edit/")
    expect(cadre.locator(".messages")).to_contain_text("内容已锁定")
    shot(cadre, artifacts, "07-cadre-locked")

    # 6. Another community's activity and its file are 404 for this cadre.
    other = scene["other"]
    response = cadre.goto(f"{base}/activities/{other.pk}/")
    assert response is not None and response.status == 404
    file_pk = other.files.get().pk
    response = cadre.goto(f"{base}/activities/files/{file_pk}/")
    assert response is not None and response.status == 404

    activity.refresh_from_db()
    assert activity.status == S.VERIFIED and activity.has_summary
    assert list(
        ActivityTransition.objects.filter(activity=activity).values_list("to_status", flat=True)
    ) == [S.PENDING, S.RETURNED, S.PENDING, S.VERIFIED]
    cadre_ctx.close()
    staff_ctx.close()


def test_record_form_on_a_375px_phone(browser, live_server, cast, scene, artifacts):
    context, page = signed_in(
        browser,
        live_server,
        cast.cadre_a1,
        viewport={"width": 375, "height": 812},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    page.goto(f"{live_server.url}/activities/new/")
    expect(page.locator("input[name=files_image]")).to_have_attribute("accept", "image/*")
    # Nothing may force sideways scrolling on a phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    shot(page, artifacts, "08-phone-record-form-empty")
    page.fill("input[name=name]", "手机录入的健身活动")
    page.check("input[name=category][value=体育]")
    page.set_input_files("input[name=files_image]", str(scene["photo"]))
    shot(page, artifacts, "09-phone-record-form-filled")
    # What the phone really shows: the 五有 block with the buttons pinned under the thumb.
    page.locator("#archive-section").scroll_into_view_if_needed()
    page.screenshot(path=str(artifacts / "09b-phone-archive-viewport.png"))
    expect(page.get_by_role("button", name="提交审核")).to_be_in_viewport()
    page.get_by_role("button", name="保存草稿").click()
    expect(page.locator(".messages")).to_contain_text("已保存为草稿")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    shot(page, artifacts, "10-phone-detail")
    assert Activity.objects.get(name="手机录入的健身活动").status == S.DRAFT
    context.close()
