"""factory_boy factories for every record; defaults give a valid, in-scope, countable row."""

import datetime as dt
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model

from activities.models import (
    Activity,
    ActivityCategory,
    ActivityPartner,
    ActivityScale,
    ActivityStatus,
    Brand,
    BrandCategory,
)
from communities.models import (
    Award,
    AwardLevel,
    Community,
    Deduction,
    Membership,
    Population,
    Role,
    StarRating,
    StarTarget,
    Street,
)
from facilities.models import Facility, FacilityKind, UpgradeProject
from teams.models import (
    Cadre,
    CadrePost,
    Certificate,
    InstructorLevel,
    Person,
    Team,
    TeamCategory,
    TeamHonour,
    TeamMember,
    Volunteer,
)


class StreetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Street
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"测试{n}街道")


class CommunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Community
        django_get_or_create = ("street", "name")

    street = factory.SubFactory(StreetFactory)
    name = factory.Sequence(lambda n: f"测试{n}社区")


class PopulationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Population

    community = factory.SubFactory(CommunityFactory)
    year = 2014
    residents = 5000
    households = 1800


class StarTargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StarTarget

    community = factory.SubFactory(CommunityFactory)
    year = 2014
    stars = 3


class StarRatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StarRating

    community = factory.SubFactory(CommunityFactory)
    year = 2014
    stars = 3
    rated_by = "杭州市体育局"


class AwardFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Award

    community = factory.SubFactory(CommunityFactory)
    year = 2014
    name = factory.Sequence(lambda n: f"先进集体{n}")
    level = AwardLevel.DISTRICT


class DeductionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Deduction

    community = factory.SubFactory(CommunityFactory)
    year = 2014
    item = factory.Sequence(lambda n: f"台账缺失{n}")
    points = Decimal("1")
    veto = False


class FacilityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Facility

    community = factory.SubFactory(CommunityFactory)
    name = factory.Sequence(lambda n: f"设施{n}")
    kind = FacilityKind.CULTURE_ROOM
    area = Decimal("100")
    sets = 0
    status = "在用"
    opened_on = dt.date(2012, 1, 1)


class UpgradeProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UpgradeProject

    community = factory.SubFactory(CommunityFactory)
    name = factory.Sequence(lambda n: f"提升工程{n}")
    planned_year = 2014
    status = "计划"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        django_get_or_create = ("street", "code")

    street = factory.SubFactory(StreetFactory)
    code = factory.Sequence(lambda n: f"P{n:05d}")
    name = factory.Sequence(lambda n: f"居民{n}")
    gender = "女"
    phone = "13800001234"


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    community = factory.SubFactory(CommunityFactory)
    name = factory.Sequence(lambda n: f"团队{n}")
    category = TeamCategory.CULTURE
    founded_on = dt.date(2012, 3, 1)


class TeamHonourFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeamHonour

    team = factory.SubFactory(TeamFactory)
    year = 2014
    title = "优秀团队"


class TeamMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeamMember

    team = factory.SubFactory(TeamFactory)
    person = factory.SubFactory(
        PersonFactory, street=factory.SelfAttribute("..team.community.street")
    )


class VolunteerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Volunteer

    community = factory.SubFactory(CommunityFactory)
    person = factory.SubFactory(PersonFactory, street=factory.SelfAttribute("..community.street"))
    registered_on = dt.date(2013, 1, 1)


class CertificateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Certificate

    community = factory.SubFactory(CommunityFactory)
    person = factory.SubFactory(PersonFactory, street=factory.SelfAttribute("..community.street"))
    level = InstructorLevel.THIRD
    number = factory.Sequence(lambda n: f"ZS{n:06d}")
    issued_on = dt.date(2013, 1, 1)


class CadreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cadre

    community = factory.SubFactory(CommunityFactory)
    person = factory.SubFactory(PersonFactory, street=factory.SelfAttribute("..community.street"))
    post = CadrePost.MANAGER
    appointed_on = dt.date(2014, 6, 1)


class BrandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Brand

    community = factory.SubFactory(CommunityFactory)
    name = factory.Sequence(lambda n: f"品牌{n}")
    category = BrandCategory.CULTURE
    recognised_year = 2013


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    community = factory.SubFactory(CommunityFactory)
    name = factory.Sequence(lambda n: f"活动{n}")
    date = dt.date(2014, 5, 1)
    category = ActivityCategory.CULTURE
    form = "文艺演出"
    scale = ActivityScale.SMALL
    participants = 80
    status = ActivityStatus.VERIFIED


class ActivityPartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ActivityPartner

    activity = factory.SubFactory(ActivityFactory, is_exchange=True)
    community = factory.SubFactory(CommunityFactory)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    # Hashed before the first save, so sessions and form logins both work.
    password = factory.django.Password("pass-1234-word")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Role.STREET_STAFF
    street = factory.SubFactory(StreetFactory)
    community = None
