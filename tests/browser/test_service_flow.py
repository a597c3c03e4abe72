"""志愿服务 in a real browser: the cadre marks five volunteers on an activity on a phone-sized
page; the street verifies the activity; a volunteer's hours and star level change; a
certificate is issued and its number checks. Screenshots go to test-artifacts/."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from activities.models import ActivityStatus
from service import services
from service.models import ServiceCertificate
from tests import factories as f
from tests.browser_support import screenshot, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def test_mark_verify_hours_level_certificate_and_check(browser, live_server, cast):
    for user in (cast.cadre_a1, cast.street_staff):
        user.save(update_fields=["password"])
    today = timezone.localdate()
    volunteers = [
        f.VolunteerFactory(
            community=cast.a1,
            registered_on=dt.date(2020, 1, 1),
            person=f.PersonFactory(street=cast.street_a, name=name),
        )
        for name in ("王秀英", "李建国", "张桂兰", "刘志强", "陈美华", "杨德胜")
    ]
    first = volunteers[0]
    services.sync_declared_totals({first.pk: Decimal("98")})  # 2 hours short of 一星
    activity = f.ActivityFactory(
        community=cast.a1, name="社区广场舞展演", date=today, status=ActivityStatus.PENDING
    )

    # The cadre marks five of the six on a phone: 2 hours for all, one adjusted to 3.
    cadre_context, cadre = sign_in(browser, live_server, cast.cadre_a1, **PHONE)
    cadre.goto(f"{live_server.url}/activities/{activity.pk}/")
    cadre.get_by_role("link", name="志愿服务登记").click()
    expect(cadre.locator("h1")).to_have_text("志愿服务登记")
    cadre.fill("input[name=default_hours]", "2")
    for v in volunteers[:5]:
        cadre.locator(f"input[name=person][value='{v.person_id}']").check()
    cadre.fill(f"input[name=hours-{volunteers[4].person_id}]", "3")
    assert cadre.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(cadre, "service-1-mark-phone")
    cadre.get_by_role("button", name="保存登记").click()
    expect(cadre.locator(".messages")).to_contain_text("已登记 5 人的志愿服务")
    screenshot(cadre, "service-2-marked-phone")
    first.refresh_from_db()
    assert first.service_hours == Decimal("98")  # pending until the street verifies

    # The street verifies the activity.
    staff_context, staff = sign_in(browser, live_server, cast.street_staff)
    staff.goto(f"{live_server.url}/activities/{activity.pk}/")
    staff.get_by_role("button", name="审核通过").click()
    expect(staff.locator(".messages")).to_contain_text("审核")
    first.refresh_from_db()
    assert first.service_hours == Decimal("100")

    # The volunteer's page shows the new total and level; the cadre issues a certificate.
    cadre.goto(f"{live_server.url}/service/volunteers/{first.pk}/")
    expect(cadre.locator(".figures")).to_contain_text("100")
    expect(cadre.locator(".figures")).to_contain_text("一星")
    screenshot(cadre, "service-3-volunteer-phone")
    cadre.fill("input[name=c-start]", f"{today.year}-01-01")
    cadre.fill("input[name=c-end]", today.isoformat())
    cadre.get_by_role("button", name="开具证明").click()
    expect(cadre.locator(".messages")).to_contain_text("已开具志愿服务记录证明")
    cert = ServiceCertificate.objects.get()
    assert cert.total_hours == Decimal("2")  # the verified service of the period
    expect(cadre.locator("h1")).to_contain_text(cert.number)

    # Street staff check the number.
    staff.goto(f"{live_server.url}/service/certificates/check/")
    staff.fill("input[name=number]", cert.number)
    staff.get_by_role("button", name="核验").click()
    expect(staff.locator(".msg-success")).to_contain_text(re.compile(f"{cert.number}.*有效"))
    expect(staff.locator("main")).to_contain_text("社区广场舞展演")
    screenshot(staff, "service-4-check")
    staff.goto(f"{live_server.url}/service/levels/")
    expect(staff.locator(".figures")).to_contain_text("一星")
    screenshot(staff, "service-5-levels")
    cadre.goto(f"{live_server.url}/service/")
    assert cadre.evaluate("document.documentElement.scrollWidth") <= 390
    screenshot(cadre, "service-6-home-phone")
    cadre_context.close()
    staff_context.close()
