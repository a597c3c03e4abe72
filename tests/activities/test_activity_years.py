"""activity_years: the years of the user's activities, newest first, in two queries however
many years there are (a first date from the index, then one row of EXISTS probes), kept in
the cache under the scope's streets' data versions (one query while nothing changed)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from activities.models import Activity, ActivityStatus
from activities.selectors import activity_years, years_among, years_in
from communities.models import Community
from tests import factories as f

pytestmark = pytest.mark.django_db


def _on(community, *years: int) -> None:
    for y in years:
        f.ActivityFactory(community=community, date=dt.date(y, 6, 1))


def test_no_activity_no_year(cast):
    assert activity_years(cast.street_staff) == []


def test_gaps_and_scope(cast):
    _on(cast.a1, 2012, 2014, 2014, 2016)
    _on(cast.a2, 2013)
    _on(cast.b1, 2015)  # another street: not the street staff's
    assert activity_years(cast.street_staff) == [2016, 2014, 2013, 2012]
    assert activity_years(cast.cadre_a1) == [2016, 2014, 2012]
    assert activity_years(cast.staff_b) == [2015]


def test_two_queries_for_three_years_or_eight(cast):
    scoped = Activity.objects.filter(community__street=cast.street_a)
    _on(cast.a1, 2014, 2016)
    with CaptureQueriesContext(connection) as few:
        assert years_among(scoped) == [2016, 2014]
    _on(cast.a1, 2009, 2011, 2015, 2018, 2020)
    with CaptureQueriesContext(connection) as many:
        assert years_among(scoped) == [2020, 2018, 2016, 2015, 2014, 2011, 2009]
    assert len(few) == len(many) == 2


def test_the_years_are_kept_until_an_activity_of_the_scope_changes(cast):
    _on(cast.a1, 2014)
    assert activity_years(cast.street_staff) == [2014]  # the membership, read once per user
    with CaptureQueriesContext(connection) as warm:
        assert activity_years(cast.street_staff) == [2014]
    assert len(warm) == 1  # the streets' data versions
    _on(cast.a2, 2011)  # raises the street's version: seen at once
    assert activity_years(cast.street_staff) == [2014, 2011]
    assert activity_years(cast.cadre_a1) == [2014]  # a cadre's scope is their community
    _on(cast.b1, 2003)  # another street: not this scope's
    assert activity_years(cast.street_staff) == [2014, 2011]


def test_a_date_years_ahead_is_still_a_year(cast):
    this = timezone.localdate().year
    _on(cast.a1, this - 1, this + 1, this + 4, this + 6)
    assert activity_years(cast.street_staff) == [this + 6, this + 4, this + 1, this - 1]


def test_a_streets_years_by_its_communities(cast):
    """years_in: each community's first and last year from the index, the years between
    probed once over the communities that span them — the same years as years_among."""
    communities = Community.objects.filter(street=cast.street_a)
    assert years_in(communities) == []
    _on(cast.a1, 2010, 2016)  # 2011–2015 only between a1's first and last
    _on(cast.a2, 2012, 2013, 2014)  # 2013 between a2's first and last, 2012 and 2014 its ends
    _on(cast.b1, 2011)  # another street: not in these communities
    with CaptureQueriesContext(connection) as probed:
        assert years_in(communities) == [2016, 2014, 2013, 2012, 2010]
    assert len(probed) == 2  # the ends, then one row of EXISTS for 2011, 2013 and 2015
    assert years_in(communities) == years_among(Activity.objects.filter(community__in=communities))
    assert years_in(communities.filter(pk=cast.a1.pk)) == [2016, 2010]


def test_no_year_between_one_query(cast):
    _on(cast.a1, 2014, 2015)
    _on(cast.a2, 2013)
    with CaptureQueriesContext(connection) as ends:
        assert years_in(Community.objects.filter(street=cast.street_a)) == [2015, 2014, 2013]
    assert len(ends) == 1


def test_every_status_counts(cast):
    """The ends are read per status (the index is community, status, date): a draft's year
    and a verified activity's year are both years of the scope."""
    f.ActivityFactory(community=cast.a1, date=dt.date(2011, 3, 1), status=ActivityStatus.DRAFT)
    f.ActivityFactory(community=cast.a1, date=dt.date(2013, 3, 1), status=ActivityStatus.VERIFIED)
    f.ActivityFactory(community=cast.a1, date=dt.date(2012, 3, 1), status=ActivityStatus.RETURNED)
    assert years_in(Community.objects.filter(pk=cast.a1.pk)) == [2013, 2012, 2011]
