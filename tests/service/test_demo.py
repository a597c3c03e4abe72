"""The demo street's volunteer service: a realistic spread, every total the sum of its
entries, a second load changes nothing, and the assessment does not depend on it."""

import io
import json
from collections import Counter
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Q, Sum

from service import selectors
from service.models import COUNTED, Approval, EntryKind, ServiceEntry
from teams.models import Volunteer
from tests.demo_date import load_demo_at


def _assess() -> dict:
    out = io.StringIO()
    call_command("assess", street="四季青街道", year=2014, json=True, stdout=out)
    return json.loads(out.getvalue())


def _hours(condition) -> Decimal:
    return ServiceEntry.objects.filter(condition).aggregate(s=Sum("hours"))["s"] or Decimal(0)


@pytest.mark.django_db
def test_the_demo_service_spread_and_the_unchanged_assessment():
    load_demo_at()
    counted = _hours(COUNTED)
    from_activities = _hours(COUNTED & Q(kind=EntryKind.ACTIVITY))
    makeups = _hours(COUNTED & Q(kind=EntryKind.MAKEUP))
    assert from_activities / counted > Decimal("0.5")  # most hours served at activities
    assert makeups > 0
    pending = ServiceEntry.objects.filter(selectors.PENDING)
    assert pending.filter(kind=EntryKind.MAKEUP, approval=Approval.PENDING).exists()
    assert pending.filter(kind=EntryKind.ACTIVITY).exists()
    totals = dict(Volunteer.objects.values_list("person_id", "service_hours"))
    sums = selectors.counted_hours(totals)
    assert all(totals[p] == sums.get(p, 0) for p in totals)
    levels = Counter(selectors.star_of(h).level for h in totals.values())
    # a few at each star level (demo/people.py's long-serving volunteers reach 二星 … 五星)
    assert all(levels[level] > 0 for level in range(6)), levels

    entries = ServiceEntry.objects.count()
    before = _assess()
    load_demo_at()  # a second run changes nothing
    assert ServiceEntry.objects.count() == entries
    # The assessment does not read service entries: without them it is the same.
    ServiceEntry.objects.all().delete()
    assert _assess() == before
