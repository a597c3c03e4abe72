"""Instructors on the dashboard: a certificate lapsing within 90 days or lapsed in the past
year, and instructors due for promotion, each an alert linking to the instructors page."""

import datetime as dt
from decimal import Decimal

from django.test import override_settings
from django.urls import reverse

from activities.models import ActivityCategory, ActivityStatus
from assessments import alerts
from dashboard.build import build
from dashboard.period import period_of
from service.models import EntryKind, ServiceEntry, ServiceRole
from tests import factories as f

AS_OF = dt.date(2014, 7, 2)


@override_settings(SERVICE_PROMOTION_MIN_SERVICES=2)
def test_instructor_alerts(cast):
    f.PopulationFactory(community=cast.a1, year=2014, residents=1000)
    lapsing = f.CertificateFactory(
        community=cast.a1, issued_on=dt.date(2010, 1, 1), expires_on=dt.date(2014, 9, 1)
    )
    lapsed = f.CertificateFactory(
        community=cast.a1, issued_on=dt.date(2010, 1, 1), expires_on=dt.date(2014, 3, 1)
    )
    long_gone = f.CertificateFactory(
        community=cast.a1, issued_on=dt.date(2005, 1, 1), expires_on=dt.date(2010, 1, 1)
    )
    renewed_old = f.CertificateFactory(
        community=cast.a1, issued_on=dt.date(2009, 1, 1), expires_on=dt.date(2014, 5, 1)
    )
    f.CertificateFactory(
        community=cast.a1, person=renewed_old.person, issued_on=dt.date(2014, 5, 1), level="二级"
    )
    due = f.CertificateFactory(community=cast.a1, issued_on=dt.date(2012, 1, 1))
    for day in (3, 10):
        a = f.ActivityFactory(
            community=cast.a1,
            date=dt.date(2014, 5, day),
            category=ActivityCategory.SPORTS,
            status=ActivityStatus.VERIFIED,
        )
        ServiceEntry.objects.create(
            person=due.person,
            community=cast.a1,
            kind=EntryKind.ACTIVITY,
            activity=a,
            date=a.date,
            hours=Decimal(2),
            role=ServiceRole.INSTRUCTOR,
        )
    found = build(cast.street_a, period_of(2014, AS_OF), cast.street_staff).alerts
    expiry = {a.subject.split("（")[0]: a for a in found if a.kind == alerts.INSTRUCTOR_EXPIRY}
    assert set(expiry) == {lapsing.person.name, lapsed.person.name}
    assert expiry[lapsing.person.name].severity == alerts.WARN
    assert expiry[lapsed.person.name].severity == alerts.BAD
    assert long_gone.person.name not in expiry and renewed_old.person.name not in expiry
    promotion = [a for a in found if a.kind == alerts.INSTRUCTOR_PROMOTION]
    assert [a.subject.split("（")[0] for a in promotion] == [due.person.name]
    assert promotion[0].url == reverse("service:instructors")
