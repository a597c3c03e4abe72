"""The database refuses impossible records, whatever door they come through."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from communities.models import Membership, Role
from tests import factories as f

D = dt.date


def refused(make) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "make",
    [
        lambda: f.TeamFactory(founded_on=D(2014, 5, 1), dissolved_on=D(2014, 4, 30)),
        lambda: f.VolunteerFactory(registered_on=D(2014, 5, 1), left_on=D(2014, 4, 30)),
        lambda: f.CertificateFactory(issued_on=D(2014, 5, 1), expires_on=D(2014, 4, 30)),
        lambda: f.CadreFactory(appointed_on=D(2014, 5, 1), left_on=D(2014, 4, 30)),
    ],
    ids=["team", "volunteer", "certificate", "cadre"],
)
def test_end_date_before_start_is_refused(make):
    refused(make)


@pytest.mark.django_db
def test_end_date_equal_to_start_is_allowed():
    f.TeamFactory(founded_on=D(2014, 5, 1), dissolved_on=D(2014, 5, 1))
    f.CadreFactory(appointed_on=D(2014, 5, 1), left_on=D(2014, 5, 1))


@pytest.mark.django_db
def test_negative_area_is_refused_and_zero_is_not():
    refused(lambda: f.FacilityFactory(area=Decimal("-1")))
    assert f.FacilityFactory(area=Decimal("0")).pk


@pytest.mark.django_db
@pytest.mark.parametrize("stars", [0, 6])
@pytest.mark.parametrize(
    "factory", [f.StarTargetFactory, f.StarRatingFactory], ids=["target", "rating"]
)
def test_stars_outside_1_to_5_are_refused(factory, stars):
    refused(lambda: factory(stars=stars))


@pytest.mark.django_db
@pytest.mark.parametrize("stars", [1, 5])
def test_stars_at_the_bounds_are_allowed(stars):
    assert f.StarTargetFactory(stars=stars).pk


@pytest.mark.django_db
@pytest.mark.parametrize("points", ["0", "-2.5"])
def test_deduction_must_be_positive(points):
    refused(lambda: f.DeductionFactory(points=Decimal(points)))


@pytest.mark.django_db
def test_duplicate_natural_keys_are_refused():
    street = f.StreetFactory(name="甲街道")
    c = f.CommunityFactory(street=street, name="甲一社区")
    person = f.PersonFactory(street=street, code="P1")
    team = f.TeamFactory(community=c, name="舞蹈队")
    f.PopulationFactory(community=c, year=2014)
    f.StarTargetFactory(community=c, year=2014)
    f.FacilityFactory(community=c, name="活动室")
    f.CertificateFactory(community=c, number="ZS-1")
    f.ActivityFactory(community=c, name="重阳节文艺汇演", date=D(2014, 10, 2))
    f.BrandFactory(community=c, name="腰鼓")
    f.TeamMemberFactory(team=team, person=person)
    f.VolunteerFactory(community=c, person=person)
    f.AwardFactory(community=c, year=2014, name="先进集体")
    f.DeductionFactory(community=c, year=2014, item="台账缺失")
    # The factories of Street/Community/Person get-or-create, so duplicates go through the model.
    from communities.models import Community, Street
    from teams.models import Person

    for make in [
        lambda: Street.objects.create(name="甲街道"),
        lambda: Community.objects.create(street=street, name="甲一社区"),
        lambda: Person.objects.create(street=street, code="P1", name="另一人"),
        lambda: f.TeamFactory(community=c, name="舞蹈队"),
        lambda: f.PopulationFactory(community=c, year=2014),
        lambda: f.StarTargetFactory(community=c, year=2014),
        lambda: f.FacilityFactory(community=c, name="活动室"),
        lambda: f.CertificateFactory(community=c, number="ZS-1"),
        lambda: f.ActivityFactory(community=c, name="重阳节文艺汇演", date=D(2014, 10, 2)),
        lambda: f.BrandFactory(community=c, name="腰鼓"),
        lambda: f.TeamMemberFactory(team=team, person=person),
        lambda: f.VolunteerFactory(community=c, person=person),
        lambda: f.AwardFactory(community=c, year=2014, name="先进集体"),
        lambda: f.DeductionFactory(community=c, year=2014, item="台账缺失"),
    ]:
        refused(make)


@pytest.mark.django_db
def test_same_name_in_another_community_is_fine():
    a, b = f.CommunityFactory(), f.CommunityFactory()
    f.TeamFactory(community=a, name="舞蹈队")
    f.TeamFactory(community=b, name="舞蹈队")


@pytest.mark.django_db
def test_membership_community_iff_cadre():
    street = f.StreetFactory()
    c = f.CommunityFactory(street=street)
    refused(
        lambda: Membership.objects.create(
            user=f.UserFactory(), role=Role.COMMUNITY_ADMIN, street=street, community=None
        )
    )
    refused(
        lambda: Membership.objects.create(
            user=f.UserFactory(), role=Role.STREET_STAFF, street=street, community=c
        )
    )
    assert Membership.objects.create(
        user=f.UserFactory(), role=Role.COMMUNITY_ADMIN, street=street, community=c
    ).pk


@pytest.mark.django_db
def test_a_district_role_has_a_district_and_no_street(cast):
    user = f.UserFactory()
    refused(
        lambda: Membership.objects.create(user=user, role=Role.DISTRICT_ADMIN, street=cast.street_a)
    )
    refused(
        lambda: Membership.objects.create(
            user=user, role=Role.DISTRICT_VIEWER, district=cast.district_a, street=cast.street_a
        )
    )
    refused(
        lambda: Membership.objects.create(user=user, role=Role.LEADER, district=cast.district_a)
    )
    Membership.objects.create(user=user, role=Role.DISTRICT_VIEWER, district=cast.district_a)
