"""An approved period locks its records for community users; an unlock opens them again."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from activities import services as activities
from activities.models import Activity
from communities.models import Role
from reporting import locks, services
from reporting.models import PeriodEvent, PeriodSubmission
from reporting.models import SubmissionStatus as S
from reporting.rules import Period
from reports.workbook.importer import WorkbookRejected, apply, parse_workbook
from service import services as service
from tests import factories as f
from tests.reports.workbook_util import STREET, activity, build, community

MARCH = Period(2026, 3)
IN_MARCH = dt.date(2026, 3, 12)
APRIL_10 = dt.datetime(2026, 4, 10, 9, 0, tzinfo=dt.UTC)


def approved(cast, community=None):
    submission = services.submit(
        user=cast.cadre_a1, community=community or cast.a1, period=MARCH, now=APRIL_10
    )
    return services.approve(user=cast.street_staff, submission=submission)


def draft(cast, day=IN_MARCH):
    return Activity.objects.create(
        community=cast.a1, name="春季书法展", date=day, category="文化", status="draft"
    )


def test_submit_approve_return_unlock_history(cast):
    submission = services.submit(user=cast.cadre_a1, community=cast.a1, period=MARCH, now=APRIL_10)
    assert (submission.status, submission.due, submission.days_late) == (
        S.SUBMITTED,
        dt.date(2026, 4, 5),
        5,
    )
    services.return_(user=cast.street_staff, submission=submission, reason="缺少三月活动照片")
    services.submit(user=cast.cadre_a1, community=cast.a1, period=MARCH)
    services.approve(user=cast.street_staff, submission=submission)
    services.unlock(user=cast.street_admin, submission=submission, reason="补录遗漏活动")
    submission.refresh_from_db()
    assert submission.status == S.UNLOCKED
    assert submission.days_late == 5  # timeliness is the first submission's
    assert list(
        PeriodEvent.objects.order_by("at", "pk").values_list("action", "by__username", "reason")
    ) == [
        ("submit", "jia1_cadre", ""),
        ("return", "jia_staff", "缺少三月活动照片"),
        ("submit", "jia1_cadre", ""),
        ("approve", "jia_staff", ""),
        ("unlock", "jia_admin", "补录遗漏活动"),
    ]


def test_who_may_do_what(cast):
    with pytest.raises(PermissionDenied):
        services.submit(user=cast.cadre_a2, community=cast.a1, period=MARCH)
    with pytest.raises(ValidationError, match="尚未结束"):
        services.submit(
            user=cast.cadre_a1,
            community=cast.a1,
            period=MARCH,
            now=dt.datetime(2026, 3, 20, tzinfo=dt.UTC),
        )
    submission = services.submit(user=cast.cadre_a1, community=cast.a1, period=MARCH)
    for who in ("cadre_a1", "leader", "staff_b"):
        with pytest.raises(PermissionDenied):
            services.approve(user=getattr(cast, who), submission=submission)
    with pytest.raises(ValidationError, match="原因"):
        services.return_(user=cast.street_staff, submission=submission, reason=" ")
    services.approve(user=cast.street_staff, submission=submission)
    with pytest.raises(ValidationError, match="不能报送"):
        services.submit(user=cast.cadre_a1, community=cast.a1, period=MARCH)
    with pytest.raises(PermissionDenied):
        services.unlock(user=cast.street_staff, submission=submission, reason="想改")
    assert PeriodSubmission.objects.get().status == S.APPROVED


def test_create_edit_delete_refused_in_an_approved_period_and_allowed_after_unlock(cast):
    open_one = draft(cast)
    submission = approved(cast)
    # create
    with pytest.raises(ValidationError) as error:
        activities.activity_create(
            user=cast.cadre_a1, community=cast.a1, name="补录", date=IN_MARCH, category="文化"
        )
    message = error.value.message_dict["date"][0]
    assert "2026年3月已由jia_staff于" in message and "街道管理员解锁" in message
    # edit (content and files), and moving another activity into March
    assert activities.content_edit_error(cast.cadre_a1, open_one) == message
    with pytest.raises(PermissionDenied):
        activities.activity_update(activity=open_one, user=cast.cadre_a1, name="改名")
    april = draft(cast, dt.date(2026, 4, 2))
    with pytest.raises(ValidationError):
        activities.activity_update(
            activity=april, user=cast.cadre_a1, name=april.name, date=IN_MARCH, category="文化"
        )
    # a volunteer's make-up service (补录) dated in March
    volunteer = f.VolunteerFactory(community=cast.a1)
    makeup = {
        "person": volunteer.person,
        "community": cast.a1,
        "date": IN_MARCH,
        "hours": Decimal(2),
        "content": "值守",
        "reason": "活动时未登记",
        "today": dt.date(2026, 12, 31),
    }
    with pytest.raises(ValidationError, match="街道管理员解锁"):
        service.makeup_add(user=cast.cadre_a1, **makeup)
    # other months, other communities and street staff are not locked
    assert activities.content_edit_error(cast.cadre_a1, april) is None
    assert not locks.is_locked(cast.a2, IN_MARCH)
    assert activities.content_edit_error(cast.street_staff, open_one) is None

    services.unlock(user=cast.street_admin, submission=submission, reason="补录")
    activities.activity_create(
        user=cast.cadre_a1, community=cast.a1, name="补录", date=IN_MARCH, category="文化"
    )
    activities.activity_update(
        activity=open_one, user=cast.cadre_a1, name="改名", date=IN_MARCH, category="文化"
    )
    entry = service.makeup_add(user=cast.cadre_a1, **makeup)
    services.submit(user=cast.cadre_a1, community=cast.a1, period=MARCH)
    services.approve(user=cast.street_staff, submission=submission)
    with pytest.raises(PermissionDenied, match="街道管理员解锁"):
        service.makeup_withdraw(entry=entry, user=cast.cadre_a1)


@pytest.mark.django_db
def test_import_refuses_changed_rows_in_a_locked_period_row_by_row(cast):
    parsed = parse_workbook(build({"社区": [community()], "活动": [activity(活动日期=IN_MARCH)]}))
    apply(parsed)
    imported = Activity.objects.get()
    cadre = f.UserFactory()
    f.MembershipFactory(
        user=cadre,
        role=Role.COMMUNITY_ADMIN,
        street=imported.community.street,
        community=imported.community,
    )
    staff = f.UserFactory()
    f.MembershipFactory(user=staff, role=Role.STREET_STAFF, street=imported.community.street)
    submission = services.submit(user=cadre, community=imported.community, period=MARCH)
    services.approve(user=staff, submission=submission)

    # The same workbook again changes nothing: accepted.
    apply(parse_workbook(build({"社区": [community()], "活动": [activity(活动日期=IN_MARCH)]})))
    sheets = {
        "社区": [community()],
        "活动": [
            activity(活动日期=IN_MARCH, 规模="大型"),  # changes a March row: refused
            activity(活动名称="新的三月活动", 活动日期=IN_MARCH),  # creates one: refused
            activity(活动名称="四月活动", 活动日期=dt.date(2026, 4, 3)),  # open month
        ],
    }
    with pytest.raises(WorkbookRejected) as rejected:
        apply(parse_workbook(build(sheets)))
    rows = [(e.sheet, e.row) for e in rejected.value.errors]
    assert rows == [("活动", 2), ("活动", 3)]
    assert "已由" in rejected.value.errors[0].message
    assert Activity.objects.count() == 1  # nothing written
    assert STREET == imported.community.street.name

    services.unlock(user=f.UserFactory(is_superuser=True), submission=submission, reason="导入更正")
    apply(parse_workbook(build(sheets)))
    assert Activity.objects.count() == 3


@pytest.mark.django_db
def test_service_at_an_activity_of_a_locked_month_is_refused_until_unlocked(cast):
    activity = draft(cast)
    volunteer = f.VolunteerFactory(community=cast.a1)
    marks = [service.Mark(person_id=volunteer.person_id, role="志愿者", hours=Decimal(2))]
    submission = approved(cast)
    with pytest.raises(ValidationError, match="街道管理员解锁"):
        service.mark_service(activity=activity, user=cast.cadre_a1, marks=marks)
    assert not activity.service_entries.exists()
    services.unlock(user=cast.street_admin, submission=submission, reason="补登志愿服务")
    service.mark_service(activity=activity, user=cast.cadre_a1, marks=marks)
    assert activity.service_entries.count() == 1
