import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings

from activities import services as activity_services
from activities.models import ActivityStatus
from service import selectors, services
from service.models import Approval, EntryKind, ServiceEntry, ServiceRole
from service.services import Mark
from tests import factories as f

from .conftest import assert_totals_are_sums

TODAY = dt.date(2026, 6, 1)


def _mark(activity, user, volunteers, hours="2"):
    return services.mark_service(
        activity=activity,
        user=user,
        marks=[Mark(v.person_id, ServiceRole.VOLUNTEER, Decimal(hours)) for v in volunteers],
    )


def _hours(v):
    v.refresh_from_db()
    return v.service_hours


def test_marked_hours_count_when_the_activity_is_verified_and_not_after_a_return(
    cast, volunteers, activity
):
    _mark(activity, cast.cadre_a1, volunteers, "2.5")
    assert _hours(volunteers[0]) == 0  # pending until the street verifies
    assert_totals_are_sums(volunteers)
    activity_services.activity_submit(activity=activity, user=cast.cadre_a1)
    activity_services.activity_verify(activity=activity, user=cast.street_staff)
    assert [_hours(v) for v in volunteers] == [Decimal("2.5")] * 5
    assert_totals_are_sums(volunteers)
    activity_services.activity_reopen(activity=activity, user=cast.street_staff, reason="补照片")
    assert _hours(volunteers[0]) == 0
    assert_totals_are_sums(volunteers)


def test_a_returned_activity_keeps_its_entries_pending(cast, volunteers, activity):
    activity_services.activity_submit(activity=activity, user=cast.cadre_a1)
    _mark(activity, cast.cadre_a1, volunteers[:2])
    activity_services.activity_return(activity=activity, user=cast.street_staff, reason="缺资料")
    assert ServiceEntry.objects.filter(selectors.PENDING).count() == 2
    assert_totals_are_sums(volunteers)


def test_marking_again_replaces_the_list(cast, volunteers, activity):
    activity.status = ActivityStatus.PENDING
    activity.save()
    _mark(activity, cast.cadre_a1, volunteers)
    _mark(activity, cast.cadre_a1, volunteers[:2], "3")
    assert sorted(activity.service_entries.values_list("hours", flat=True)) == [3, 3]


def test_a_verified_activity_is_locked(cast, volunteers):
    verified = f.ActivityFactory(community=cast.a1, date=dt.date(2026, 5, 1))
    with pytest.raises(ValidationError, match="已审核"):
        _mark(verified, cast.cadre_a1, volunteers)


def test_only_the_roster_may_be_marked(cast, volunteers, activity):
    stranger = f.VolunteerFactory(community=cast.a2)
    with pytest.raises(ValidationError, match="不在本活动"):
        _mark(activity, cast.cadre_a1, [stranger])
    with pytest.raises(PermissionDenied):
        _mark(activity, cast.cadre_a2, volunteers)
    with pytest.raises(ValidationError, match="24"):
        _mark(activity, cast.cadre_a1, volunteers, "25")
    assert not ServiceEntry.objects.exists()


def test_partner_communities_and_instructors_are_on_the_roster(cast, volunteers):
    exchange = f.ActivityFactory(
        community=cast.a1, date=dt.date(2026, 5, 9), status=ActivityStatus.DRAFT, is_exchange=True
    )
    f.ActivityPartnerFactory(activity=exchange, community=cast.a2)
    guest = f.VolunteerFactory(community=cast.a2, registered_on=dt.date(2020, 1, 1))
    instructor = f.CertificateFactory(community=cast.a1)
    left = f.VolunteerFactory(
        community=cast.a1, registered_on=dt.date(2020, 1, 1), left_on=dt.date(2026, 1, 1)
    )
    roster = {r.person.pk: r for r in selectors.roster(exchange)}
    assert guest.person_id in roster and instructor.person_id in roster
    assert roster[instructor.person_id].role == ServiceRole.INSTRUCTOR
    assert left.person_id not in roster
    entries = _mark(exchange, cast.cadre_a1, [guest])
    assert entries[0].community == cast.a2  # credited to the guest's own community


def _makeup(cast, v, hours, day=dt.date(2026, 3, 1), reason="活动时漏登记"):
    return services.makeup_add(
        user=cast.cadre_a1,
        person=v.person,
        community=v.community,
        date=day,
        hours=Decimal(hours),
        content="协助图书整理",
        reason=reason,
        today=TODAY,
    )


@override_settings(SERVICE_MAKEUP_CAP_HOURS=10)
def test_makeups_wait_for_approval_and_the_cap_refuses_the_one_that_passes_it(cast, volunteers):
    v = volunteers[0]
    first = _makeup(cast, v, "6")
    assert _hours(v) == 0
    services.makeup_decide(entry=first, user=cast.street_staff, approve=True)
    assert _hours(v) == 6
    second = _makeup(cast, v, "4")  # exactly at the cap
    with pytest.raises(ValidationError, match="上限"):
        _makeup(cast, v, "0.5")
    services.makeup_decide(entry=second, user=cast.street_staff, approve=False, reason="无证明")
    assert _hours(v) == 6
    _makeup(cast, v, "4")  # a refused make-up frees its hours
    assert _makeup(cast, v, "9", day=dt.date(2025, 3, 1)).hours == 9  # another year
    assert_totals_are_sums(volunteers)


def test_makeup_needs_a_reason_and_a_street_decision(cast, volunteers):
    v = volunteers[0]
    with pytest.raises(ValidationError) as error:
        _makeup(cast, v, "2", reason=" ")
    assert "原因" in str(error.value)
    entry = _makeup(cast, v, "2")
    with pytest.raises(PermissionDenied):
        services.makeup_decide(entry=entry, user=cast.cadre_a1, approve=True)
    with pytest.raises(ValidationError, match="原因"):
        services.makeup_decide(entry=entry, user=cast.street_staff, approve=False)
    assert ServiceEntry.objects.get().approval == Approval.PENDING


def test_the_workbook_total_becomes_the_opening_balance(cast, volunteers, activity):
    v = volunteers[0]
    _mark(activity, cast.cadre_a1, [v], "3")
    activity.status = ActivityStatus.VERIFIED
    activity.save()
    services.refresh_totals([v.person_id])
    services.sync_declared_totals({v.pk: Decimal("50")}, today=TODAY)
    opening = ServiceEntry.objects.get(kind=EntryKind.OPENING)
    assert (opening.hours, _hours(v)) == (Decimal("47"), Decimal("50"))
    services.sync_declared_totals({v.pk: Decimal("50")}, today=TODAY)  # the same file again
    assert ServiceEntry.objects.get(kind=EntryKind.OPENING).hours == 47
    services.sync_declared_totals({v.pk: Decimal("1")}, today=TODAY)  # below the entries
    assert not ServiceEntry.objects.filter(kind=EntryKind.OPENING).exists()
    assert _hours(v) == 3
    assert_totals_are_sums(volunteers)


def test_the_certificate_total_equals_the_verified_hours_of_the_period(cast, volunteers):
    v = volunteers[0]
    for day, status in [(5, ActivityStatus.PENDING), (9, ActivityStatus.PENDING)]:
        a = f.ActivityFactory(community=cast.a1, date=dt.date(2026, 5, day), status=status)
        _mark(a, cast.cadre_a1, [v], "2")
        activity_services.activity_verify(activity=a, user=cast.street_staff)
    pending = f.ActivityFactory(
        community=cast.a1, date=dt.date(2026, 5, 20), status=ActivityStatus.PENDING
    )
    _mark(pending, cast.cadre_a1, [v], "5")
    services.makeup_decide(entry=_makeup(cast, v, "1.5"), user=cast.street_staff, approve=True)
    services.sync_declared_totals({v.pk: Decimal("100")}, today=TODAY)
    cert = services.issue_certificate(
        user=cast.cadre_a1, volunteer=v, start=dt.date(2026, 1, 1), end=TODAY, today=TODAY
    )
    assert cert.total_hours == Decimal("5.5")
    assert [s[2] for s in cert.services] == ["1.5", "2.0", "2.0"]
    assert cert.number == f"ZY2026-{cast.street_a.pk:03d}-00001"
    again = services.issue_certificate(
        user=cast.cadre_a1, volunteer=v, start=dt.date(2026, 5, 6), end=TODAY, today=TODAY
    )
    assert (again.number[-5:], again.total_hours) == ("00002", Decimal("2.0"))
    with pytest.raises(PermissionDenied):
        services.issue_certificate(
            user=cast.cadre_a2, volunteer=v, start=dt.date(2026, 1, 1), end=TODAY, today=TODAY
        )
    with pytest.raises(ValidationError, match="没有已认证"):
        services.issue_certificate(
            user=cast.cadre_a1,
            volunteer=v,
            start=dt.date(2025, 1, 1),
            end=dt.date(2025, 12, 31),
            today=TODAY,
        )
