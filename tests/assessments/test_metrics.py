"""assessments.metrics at every boundary of assessment.md's definitions (Y = 2014, D = 31 Dec)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from activities.models import ActivityCategory, ActivityScale, ActivityStatus, BrandCategory
from assessments import metrics, services
from assessments.default_scheme import DEFAULT_SCHEME
from facilities.models import FacilityKind, FacilityStatus, Ownership
from teams.models import CadrePost, InstructorLevel, TeamCategory
from tests import factories as f

from .conftest import FIVE, D, context, full_marks

pytestmark = pytest.mark.django_db
PARAMS = {i["code"]: i["params"] for i in DEFAULT_SCHEME["indicators"]}
DAY = dt.timedelta(days=1)


def run(key, *communities, params=None, as_of=D):
    return metrics.METRICS[key].compute(context(*communities, as_of=as_of), params or {})


def value(result, community):
    return result.get(community.pk, metrics.MetricValue()).value


# --- activities -----------------------------------------------------------------------------


def test_counted_activity_dates_are_inside_the_year(cast):
    a1 = cast.a1
    inside = [
        f.ActivityFactory(community=a1, date=dt.date(2014, 1, 1)),
        f.ActivityFactory(community=a1, date=dt.date(2014, 12, 31)),
    ]
    f.ActivityFactory(community=a1, date=dt.date(2013, 12, 31))
    f.ActivityFactory(community=a1, date=dt.date(2015, 1, 1))
    got = run("culture_activities", a1)[a1.pk]
    assert got.value == 2 and set(got.ids) == {a.pk for a in inside}


def test_only_verified_activities_count(cast):
    a1 = cast.a1
    ok = f.ActivityFactory(community=a1)
    for status in (ActivityStatus.PENDING, ActivityStatus.RETURNED, ActivityStatus.DRAFT):
        f.ActivityFactory(community=a1, status=status)
    assert run("culture_activities", a1)[a1.pk].ids == (ok.pk,)


def test_provisional_as_of_counts_activities_up_to_d(cast):
    a1 = cast.a1
    f.ActivityFactory(community=a1, date=dt.date(2014, 6, 30))
    f.ActivityFactory(community=a1, date=dt.date(2014, 7, 1))
    assert value(run("culture_activities", a1, as_of=dt.date(2014, 6, 30)), a1) == 1


def test_activity_categories_and_scales(cast):
    a1 = cast.a1
    f.ActivityFactory(community=a1, scale=ActivityScale.LARGE)
    f.ActivityFactory(community=a1, scale=ActivityScale.MEDIUM)
    f.ActivityFactory(community=a1, scale=ActivityScale.SMALL)
    f.ActivityFactory(community=a1, scale="")
    f.ActivityFactory(community=a1, scale=ActivityScale.LARGE, category=ActivityCategory.SPORTS)
    assert value(run("culture_activities", a1), a1) == 4
    assert value(run("culture_activities_large", a1), a1) == 2
    assert value(run("sports_activities", a1), a1) == 1


def test_exchange_credits_host_and_partners_once_each(cast):
    a1, a2, b1 = cast.a1, cast.a2, cast.b1
    x = f.ActivityFactory(community=a1, is_exchange=True)
    f.ActivityPartnerFactory(activity=x, community=a2)
    f.ActivityPartnerFactory(activity=x, community=b1)  # another street: not in this run
    y = f.ActivityFactory(community=a2, is_exchange=True)
    f.ActivityPartnerFactory(activity=y, community=a1)
    z = f.ActivityFactory(community=a1, is_exchange=True)  # no partners listed
    f.ActivityFactory(community=a1, is_exchange=False)
    pending = f.ActivityFactory(community=a2, is_exchange=True, status=ActivityStatus.PENDING)
    f.ActivityPartnerFactory(activity=pending, community=a1)
    got = run("exchange_activities", a1, a2)
    assert set(got[a1.pk].ids) == {x.pk, y.pk, z.pk} and got[a1.pk].value == 3
    assert set(got[a2.pk].ids) == {x.pk, y.pk} and got[a2.pk].value == 2


def test_exchange_listing_the_host_as_partner_counts_once(cast):
    a1, a2 = cast.a1, cast.a2
    x = f.ActivityFactory(community=a1, is_exchange=True)
    f.ActivityPartnerFactory(activity=x, community=a1)
    f.ActivityPartnerFactory(activity=x, community=a2)
    assert run("exchange_activities", a1, a2)[a1.pk].value == 1


def test_partner_credit_only_for_exchanges(cast):
    a1, a2 = cast.a1, cast.a2
    x = f.ActivityFactory(community=a1, is_exchange=False)
    f.ActivityPartnerFactory(activity=x, community=a2)
    assert value(run("exchange_activities", a1, a2), a2) == 0


def test_archive_complete_ratio_counts_culture_and_sports(cast):
    a1 = cast.a1
    ok = f.ActivityFactory(community=a1, **FIVE)
    ok_sport = f.ActivityFactory(community=a1, category=ActivityCategory.SPORTS, **FIVE)
    missing_one = f.ActivityFactory(community=a1, **{**FIVE, "has_summary": False})
    f.ActivityFactory(community=a1, status=ActivityStatus.PENDING, **{**FIVE, "has_plan": False})
    got = run("archive_complete", a1)[a1.pk]
    assert got.value == 2 and set(got.ids) == {ok.pk, ok_sport.pk}
    assert got.parts["total"] == 3 and got.parts["lacking_ids"] == [missing_one.pk]


# --- teams ----------------------------------------------------------------------------------


def test_active_team_boundaries(cast):
    a1 = cast.a1
    active = [
        f.TeamFactory(community=a1, founded_on=None),
        f.TeamFactory(community=a1, founded_on=D),
        f.TeamFactory(community=a1, dissolved_on=D + DAY),
    ]
    f.TeamFactory(community=a1, dissolved_on=D)
    f.TeamFactory(community=a1, founded_on=D + DAY)
    f.TeamFactory(community=a1, category=TeamCategory.SPORTS)
    got = run("culture_teams", a1)[a1.pk]
    assert set(got.ids) == {t.pk for t in active}
    assert value(run("sports_teams", a1), a1) == 1


def test_excellent_team_needs_this_years_exact_title_and_to_be_active(cast):
    a1 = cast.a1
    good = f.TeamFactory(community=a1)
    f.TeamHonourFactory(team=good, year=2014, title="优秀团队")
    f.TeamHonourFactory(team=good, year=2013, title="优秀团队")  # counted once
    other_year = f.TeamFactory(community=a1)
    f.TeamHonourFactory(team=other_year, year=2013)
    other_title = f.TeamFactory(community=a1)
    f.TeamHonourFactory(team=other_title, title="先进团队")
    f.TeamHonourFactory(team=f.TeamFactory(community=a1), title="优秀团队 ")
    dissolved = f.TeamFactory(community=a1, dissolved_on=dt.date(2014, 6, 1))
    f.TeamHonourFactory(team=dissolved)
    got = run("culture_teams", a1)[a1.pk]
    assert got.value == 4
    assert got.parts["excellent"] == 1 and got.parts["excellent_ids"] == [good.pk]


# --- facilities -----------------------------------------------------------------------------


def test_facilities_in_use_at_d(cast):
    a1 = cast.a1
    counted = [
        f.FacilityFactory(community=a1, opened_on=D),
        f.FacilityFactory(community=a1, opened_on=None),
    ]
    f.FacilityFactory(community=a1, status=FacilityStatus.BUILDING)
    f.FacilityFactory(community=a1, status=FacilityStatus.CLOSED)
    f.FacilityFactory(community=a1, opened_on=D + DAY)
    got = run("culture_room_area", a1)[a1.pk]
    assert got.value == Decimal("200") and set(got.ids) == {x.pk for x in counted}


def test_area_sums_culture_room_kinds_and_blank_counts_zero(cast):
    a1 = cast.a1
    f.FacilityFactory(community=a1, kind=FacilityKind.AUDITORIUM, area=Decimal("120.50"))
    f.FacilityFactory(community=a1, kind=FacilityKind.LECTURE_HALL, area=Decimal("79.50"))
    blank = f.FacilityFactory(community=a1, kind=FacilityKind.READING_ROOM, area=None)
    f.FacilityFactory(community=a1, kind=FacilityKind.INDOOR_SPORTS, area=Decimal("300"))
    f.FacilityFactory(community=a1, kind=FacilityKind.CULTURE_CORRIDOR, area=Decimal("300"))
    got = run("culture_room_area", a1)[a1.pk]
    assert got.value == Decimal("200.00") and blank.pk in got.ids


def test_function_rooms_groups(cast):
    a1 = cast.a1
    f.FacilityFactory(community=a1, kind=FacilityKind.E_READING_ROOM)
    f.FacilityFactory(community=a1, kind=FacilityKind.READING_ROOM)
    f.FacilityFactory(community=a1, kind=FacilityKind.SHARING_POINT)
    f.FacilityFactory(community=a1, kind=FacilityKind.TRAINING_ROOM, status=FacilityStatus.BUILDING)
    got = run("function_rooms", a1, params=PARAMS["A2"])[a1.pk]
    assert got.value == 2 and got.parts["present"] == [False, True, False, False, True]


def test_shared_free_fitness_and_indoor(cast):
    a1 = cast.a1
    f.FacilityFactory(community=a1, ownership=Ownership.SHARED, free_open=False)
    f.FacilityFactory(community=a1, ownership=Ownership.OWN, free_open=True)
    assert value(run("shared_free_facilities", a1), a1) == 0
    f.FacilityFactory(community=a1, ownership=Ownership.SHARED, free_open=True)
    assert value(run("shared_free_facilities", a1), a1) == 1
    f.FacilityFactory(community=a1, kind=FacilityKind.FITNESS_PATH, sets=1)
    f.FacilityFactory(community=a1, kind=FacilityKind.FITNESS_PATH, sets=2)
    f.FacilityFactory(
        community=a1, kind=FacilityKind.FITNESS_PATH, sets=5, status=FacilityStatus.CLOSED
    )
    assert value(run("fitness_path_sets", a1), a1) == 3
    f.FacilityFactory(community=a1, kind=FacilityKind.INDOOR_SPORTS, opened_on=D + DAY)
    assert value(run("indoor_sports_rooms", a1), a1) == 0


# --- volunteers -----------------------------------------------------------------------------


def test_active_volunteer_boundaries(cast):
    a1 = cast.a1
    active = [
        f.VolunteerFactory(community=a1, registered_on=D),
        f.VolunteerFactory(community=a1, left_on=D + DAY),
    ]
    f.VolunteerFactory(community=a1, registered_on=D + DAY)
    f.VolunteerFactory(community=a1, left_on=D)
    f.VolunteerFactory(community=a1, registered_on=None)
    assert set(run("volunteers", a1)[a1.pk].ids) == {v.pk for v in active}


# --- instructors ----------------------------------------------------------------------------


def test_certificate_validity_boundaries(cast):
    a1 = cast.a1
    valid = [
        f.CertificateFactory(community=a1, expires_on=D + DAY),
        f.CertificateFactory(community=a1, issued_on=D),
    ]
    f.CertificateFactory(community=a1, expires_on=D)
    f.CertificateFactory(community=a1, issued_on=D + DAY)
    f.CertificateFactory(community=a1, issued_on=None)
    assert set(run("instructors", a1)[a1.pk].ids) == {c.pk for c in valid}


def test_a_person_with_two_certificates_counts_once_at_the_highest_level(cast):
    a1 = cast.a1
    person = f.PersonFactory(street=cast.street_a)
    f.CertificateFactory(community=a1, person=person, level=InstructorLevel.THIRD)
    first = f.CertificateFactory(community=a1, person=person, level=InstructorLevel.FIRST)
    f.CertificateFactory(community=a1, person=person, level=InstructorLevel.NATIONAL, expires_on=D)
    got = run("instructors", a1)[a1.pk]
    assert got.value == 1 and got.ids == (first.pk,)
    assert run("senior_instructors", a1, params=PARAMS["B4"])[a1.pk].ids == (first.pk,)


def test_an_instructor_counts_for_the_community_on_the_certificate(cast):
    a1, a2 = cast.a1, cast.a2
    person = f.PersonFactory(street=cast.street_a)
    f.VolunteerFactory(community=a1, person=person)
    f.CertificateFactory(community=a2, person=person, level=InstructorLevel.SECOND)
    got = run("instructors", a1, a2)
    assert value(got, a1) == 0 and value(got, a2) == 1
    assert value(run("senior_instructors", a1, a2, params=PARAMS["B4"]), a2) == 0


def test_level_is_per_community(cast):
    a1, a2 = cast.a1, cast.a2
    person = f.PersonFactory(street=cast.street_a)
    f.CertificateFactory(community=a1, person=person, level=InstructorLevel.THIRD)
    f.CertificateFactory(community=a2, person=person, level=InstructorLevel.FIRST)
    senior = run("senior_instructors", a1, a2, params=PARAMS["B4"])
    assert value(senior, a1) == 0 and value(senior, a2) == 1


# --- cadres ---------------------------------------------------------------------------------


def test_cadre_posts(cast):
    a1 = cast.a1
    f.CadreFactory(community=a1, post=CadrePost.MANAGER, left_on=D)
    got = run("cadre_posts", a1, params=PARAMS["A9"])
    assert value(got, a1) == 0
    f.CadreFactory(community=a1, post=CadrePost.MANAGER, appointed_on=D)
    assert run("cadre_posts", a1, params=PARAMS["A9"])[a1.pk].parts["present"] == [False, True]


def cadre_with(community, appointed_on, *levels, cert_community=None):
    cadre = f.CadreFactory(community=community, appointed_on=appointed_on)
    for level in levels:
        f.CertificateFactory(
            community=cert_community or community, person=cadre.person, level=level
        )
    return cadre


def test_cadre_anniversaries(cast):
    a1 = cast.a1
    ok = [
        cadre_with(a1, dt.date(2014, 1, 1)),  # under a year: compliant without a certificate
        cadre_with(a1, dt.date(2013, 12, 31), InstructorLevel.THIRD),  # exactly 1 year: 三级 needed
        cadre_with(a1, dt.date(2012, 1, 1), InstructorLevel.SECOND),  # 2 years: 三级 or above
        cadre_with(a1, dt.date(2011, 12, 31), InstructorLevel.FIRST),  # exactly 3 years: 一级
        cadre_with(a1, dt.date(2005, 5, 5), InstructorLevel.NATIONAL),
    ]
    lacking = [
        cadre_with(a1, dt.date(2013, 12, 31)),
        cadre_with(a1, dt.date(2011, 12, 31), InstructorLevel.SECOND),
    ]
    f.CadreFactory(community=a1, appointed_on=dt.date(2010, 1, 1), left_on=D)  # not in office
    f.CadreFactory(community=a1, appointed_on=D + DAY)  # not yet in office
    got = run("cadre_certified", a1)[a1.pk]
    assert set(got.ids) == {c.pk for c in ok}
    assert got.parts["total"] == 7 and set(got.parts["lacking_ids"]) == {c.pk for c in lacking}


def test_cadre_certificate_of_another_community_counts_but_must_be_valid(cast):
    a1, a2 = cast.a1, cast.a2
    elsewhere = cadre_with(a1, dt.date(2013, 1, 1), InstructorLevel.THIRD, cert_community=a2)
    expired = f.CadreFactory(community=a1, appointed_on=dt.date(2013, 1, 1))
    f.CertificateFactory(community=a1, person=expired.person, expires_on=D)
    got = run("cadre_certified", a1)[a1.pk]
    assert got.ids == (elsewhere.pk,) and got.parts["total"] == 2


def test_cadre_deadlines_are_parameters(cast):
    a1 = cast.a1
    cadre_with(a1, dt.date(2013, 12, 31), InstructorLevel.THIRD)
    ctx = metrics.MetricContext((a1.pk,), 2014, D, metrics.CadreDeadlines(1, "二级", 3, "一级"))
    assert metrics.METRICS["cadre_certified"].compute(ctx, {})[a1.pk].value == 0


# --- brands, stars, population, awards ---------------------------------------------------------


def test_active_brands(cast):
    a1 = cast.a1
    ok = [
        f.BrandFactory(community=a1, recognised_year=2014),
        f.BrandFactory(community=a1, revoked_year=2015),
    ]
    f.BrandFactory(community=a1, recognised_year=2015)
    f.BrandFactory(community=a1, recognised_year=2012, revoked_year=2014)
    f.BrandFactory(community=a1, category=BrandCategory.SPORTS)
    assert set(run("culture_brands", a1)[a1.pk].ids) == {b.pk for b in ok}
    assert value(run("sports_brands", a1), a1) == 1


def test_star_rating_takes_the_highest_of_the_year_and_the_target(cast):
    a1, a2 = cast.a1, cast.a2
    f.StarRatingFactory(community=a1, year=2014, stars=2)
    top = f.StarRatingFactory(community=a1, year=2014, stars=4)
    f.StarRatingFactory(community=a1, year=2013, stars=5)
    f.StarTargetFactory(community=a1, year=2014, stars=5)
    f.StarTargetFactory(community=a2, year=2013, stars=5)
    got = run("star_rating", a1, a2)
    assert got[a1.pk].value == 4 and got[a1.pk].ids == (top.pk,) and got[a1.pk].parts["target"] == 5
    assert a2.pk not in got  # no rating and no target for 2014


def test_population_uses_the_latest_year_not_after_y(cast):
    a1, a2 = cast.a1, cast.a2
    f.PopulationFactory(community=a1, year=2012, residents=3000)
    f.PopulationFactory(community=a1, year=2013, residents=3500)
    f.PopulationFactory(community=a1, year=2014, residents=None)
    f.PopulationFactory(community=a1, year=2015, residents=9999)
    f.PopulationFactory(community=a2, year=2015, residents=9999)
    got = metrics.populations(context(a1, a2))
    assert got[a1.pk].residents == 3500 and got[a1.pk].year == 2013
    assert a2.pk not in got


def test_awards_and_deductions_of_the_year(cast):
    a1 = cast.a1
    f.PopulationFactory(community=a1, year=2014, residents=1000)
    f.AwardFactory(community=a1, year=2013)
    mine = f.AwardFactory(community=a1, year=2014, level="省级")
    f.DeductionFactory(community=a1, year=2015)
    d = f.DeductionFactory(community=a1, year=2014, points=Decimal("2.5"), veto=True)
    got = next(c for c in services.compute(cast.street_a, 2014).communities if c.name == a1.name)
    assert got.bonus_ids == [mine.pk] and got.bonus > 0
    assert got.deduction_ids == [d.pk] and got.deduction == Decimal("2.50") and got.veto


def test_each_metric_is_one_query_for_any_number_of_communities(cast):
    few = [cast.a1, cast.a2]
    many = few + [f.CommunityFactory(street=cast.street_a) for _ in range(5)]
    for community in many:
        full_marks(community)
    for code, params in PARAMS.items():
        key = next(i["metric"] for i in DEFAULT_SCHEME["indicators"] if i["code"] == code)
        counts = []
        for communities in (few, many):
            with CaptureQueriesContext(connection) as queries:
                found = metrics.METRICS[key].compute(context(*communities), params)
            assert len(found) == len(communities), key  # every community has evidence
            counts.append(len(queries))
        assert counts == [1, 1], (key, counts)
