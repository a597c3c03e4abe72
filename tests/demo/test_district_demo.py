"""Issue 18 in the demo: the district's 考评 beside the street's, and the accounts the district
admin manages (区县账号), both loaded by load_demo and both shown on their pages."""

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from accounts.demo_data import ACCOUNTS
from assessments.models import ManualScore
from communities.models import Community
from district.demo_scores import COMMUNITIES, ITEMS, MANUAL, SHARES
from district.selectors import district_year
from security_log.models import Event, SecurityEvent
from tests.demo_date import DEMO_AS_OF, load_demo_at


def _client(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


@pytest.mark.django_db
def test_the_demo_has_district_scores_and_district_accounts():
    load_demo_at()
    rows = ManualScore.objects.filter(indicator__code__in=[c for c, *_ in MANUAL])
    # Every community of the district is scored on both items (so every one has a grade).
    district = Community.objects.get(name="三叉社区").street.district
    everyone = Community.objects.filter(street__district=district).count()
    assert rows.count() == ITEMS * everyone == ITEMS * 17
    scores = rows.filter(district_by__username="district_admin").select_related(
        "indicator__scheme", "community__street"
    )
    data = district_year(district, DEMO_AS_OF.year, as_of=DEMO_AS_OF)
    assert len(data.entries) == everyone and all(e.grade for e in data.entries)
    # the district scores the other streets' communities and the demo street's first few
    sjq = Community.objects.filter(street__name="四季青街道").count()
    by_district = ITEMS * (everyone - sjq + COMMUNITIES)
    assert scores.count() == by_district
    beside = scores.filter(community__street__name="四季青街道")
    assert beside.count() == ITEMS * COMMUNITIES
    assert not scores.exclude(community__street__name="四季青街道").filter(scored_by__isnull=False)
    assert rows.filter(community__street__name="四季青街道", scored_by__isnull=True).count() == 0
    for ms in beside:
        # On the demo street's copy of the district's published scheme of the year in
        # progress, beside the community's 自评 and the street's 考评 (all three kept).
        scheme = ms.indicator.scheme
        assert scheme.district_scheme is not None and scheme.year == DEMO_AS_OF.year
        assert ms.self_score is not None and ms.scored_by.username == "sjq_staff"
        if ms.indicator.letter_grades:
            assert ms.letter_grade and ms.district_letter
        else:
            assert ms.self_score > ms.assessor_score > ms.district_score
    scores = beside
    first = scores.order_by("community__name", "indicator__order").first()
    share = SHARES[0][2]
    if not first.indicator.letter_grades:
        assert first.district_score == (first.indicator.points * share).quantize(Decimal("0.01"))
    page = _client("district_admin").get(
        reverse(
            "assessments:manual_score",
            args=[first.indicator.pk, first.community.pk],
        )
    )
    assert page.status_code == 200
    assert "区县考评" in page.content.decode() and "district_admin" in page.content.decode()

    # 区县账号: the district admin created them (the security log says so) and lists them
    # beside the demo street's own accounts; a second load creates nothing new.
    names = [a[0] for a in ACCOUNTS]
    created = SecurityEvent.objects.filter(
        event=Event.ACCOUNT_CREATED, username="district_admin"
    ).count()
    assert created == len(ACCOUNTS)
    html = _client("district_admin").get(reverse("accounts:district_accounts")).content.decode()
    for name in (*names, "sjq_admin"):
        assert name in html
    assert "采荷街道" in html and "九堡社区" in html
    users = get_user_model().objects.count()
    load_demo_at()
    assert get_user_model().objects.count() == users
    assert rows.count() == ITEMS * everyone
    assert ManualScore.objects.filter(district_by__isnull=False).count() == by_district
