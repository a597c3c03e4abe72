"""Certificate numbers and the make-up cap under real concurrent transactions (PostgreSQL):
several issuers at the same moment each get their own number, with no gap; two make-ups
that together pass the cap cannot both be accepted."""

from __future__ import annotations

import datetime as dt
import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from activities.models import ActivityStatus
from service import services
from service.models import ServiceCertificate, ServiceEntry, ServiceRole
from service.services import Mark
from tests import factories as f
from tests.reliability.conftest import postgres_only, run_together

pytestmark = [*postgres_only, pytest.mark.django_db(transaction=True)]

TODAY = dt.date(2026, 6, 1)
ISSUERS = 6


def _served(cast, volunteers):
    activity = f.ActivityFactory(
        community=cast.a1, date=dt.date(2026, 5, 9), status=ActivityStatus.PENDING
    )
    services.mark_service(
        activity=activity,
        user=cast.cadre_a1,
        marks=[Mark(v.person_id, ServiceRole.VOLUNTEER, Decimal("2")) for v in volunteers],
    )
    activity.status = ActivityStatus.VERIFIED
    activity.save()


def test_concurrent_issuers_get_distinct_consecutive_numbers(cast, volunteers):
    _served(cast, volunteers)
    barrier = threading.Barrier(ISSUERS)

    def issue(v):
        def call():
            barrier.wait(timeout=20)
            return services.issue_certificate(
                user=cast.cadre_a1,
                volunteer=v,
                start=dt.date(2026, 1, 1),
                end=TODAY,
                today=TODAY,
            ).number

        return call

    outcomes = run_together(*(issue(volunteers[i % len(volunteers)]) for i in range(ISSUERS)))
    assert [o.error for o in outcomes] == [None] * ISSUERS
    numbers = sorted(o.value for o in outcomes)
    prefix = f"ZY2026-{cast.street_a.pk:03d}-"
    assert numbers == [f"{prefix}{n:05d}" for n in range(1, ISSUERS + 1)]
    assert ServiceCertificate.objects.count() == ISSUERS


@override_settings(SERVICE_MAKEUP_CAP_HOURS=10)
def test_two_makeups_cannot_pass_the_cap_together(cast, volunteers):
    v = volunteers[0]
    barrier = threading.Barrier(2)

    def makeup():
        barrier.wait(timeout=20)
        return services.makeup_add(
            user=cast.cadre_a1,
            person=v.person,
            community=v.community,
            date=dt.date(2026, 3, 1),
            hours=Decimal("6"),
            content="整理图书",
            reason="漏登记",
            today=TODAY,
        )

    outcomes = run_together(makeup, makeup)
    errors = [o.error for o in outcomes if o.error is not None]
    assert len(errors) == 1 and isinstance(errors[0], ValidationError)
    assert ServiceEntry.objects.filter(person=v.person).count() == 1
