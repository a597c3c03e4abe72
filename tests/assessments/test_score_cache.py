"""Scores are never stale (issue 20): computed assessments are cached under the streets' data
versions (communities/versions.py, assessments/cache.py). Each write below goes through the
real service, then the cached reads (compute, as the dashboard and scorecard do; the
district's year, as its dashboard and rankings do) must equal a fresh, uncached computation
to the cent — in a loop, so a write after a cached read is always seen."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from activities import services as activity_services
from activities.models import ActivityCategory, ActivityScale
from assessments import engine, services
from assessments.models import Indicator, ManualScore
from communities import versions
from communities.models import Street
from district import selectors as district_selectors
from district import services as district_services
from facilities import services as facility_services
from facilities.models import FacilityKind
from teams import services as team_services
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True, params=["per process", "shared file cache"])
def score_cache(request, settings, tmp_path):
    """Every test twice: with the default cache of one process, and with the directory every
    process of a server shares (production's default), as SCORE_CACHE_URL configures it."""
    if request.param == "shared file cache":
        config = settings.CACHES["default"] | {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "score-cache"),
        }
        settings.CACHES = {"default": config}
    from django.core.cache import cache

    cache.clear()
    return request.param


Y = dt.date.today().year
FIVE = dict.fromkeys(
    ("has_plan", "has_arrangement", "has_material", "has_image", "has_summary"), True
)


def uncached(street) -> dict[int, Decimal | None]:
    """The street's totals computed now, bypassing the cache."""
    job = (street, engine.scheme_for(street, Y))
    (a,) = engine._score([job], Y, engine.year_end(Y), evidence=False, extra=None)
    return {c.community_id: c.total for c in a.communities}


def cached(street) -> dict[int, Decimal | None]:
    a = services.compute(street, Y, evidence=False)
    return {c.community_id: c.total for c in a.communities}


def district_totals(district) -> dict[int, Decimal | None]:
    return {e.community_id: e.total for e in district_selectors.district_year(district, Y).entries}


def assert_fresh(cast) -> None:
    for street in (cast.street_a, cast.street_b):
        assert cached(street) == uncached(street)
    district = district_totals(cast.district_a)
    assert district == uncached(cast.street_a)
    assert district_totals(cast.district_b) == uncached(cast.street_b)


def verified_activity(cast, *, day: int, partners=()):
    activity = activity_services.activity_create(
        user=cast.cadre_a1,
        community=cast.a1,
        partners=partners,
        name=f"活动{day}",
        date=dt.date(Y, 1, day),
        category=ActivityCategory.CULTURE,
        form="文艺演出",
        scale=ActivityScale.LARGE,
        participants=80,
        is_exchange=bool(partners),
        **FIVE,
    )
    activity_services.activity_submit(activity=activity, user=cast.cadre_a1)
    return activity_services.activity_verify(activity=activity, user=cast.street_staff)


def test_every_write_is_seen_by_the_next_read(cast, score_cache, tmp_path):
    for community in (cast.a1, cast.a2, cast.b1):
        f.PopulationFactory(community=community, year=Y, residents=100)
    room = f.FacilityFactory(community=cast.a1, kind=FacilityKind.CULTURE_ROOM, area=Decimal(50))
    team = f.TeamFactory(community=cast.a1)
    before_b = cached(cast.street_b)
    assert_fresh(cast)
    changed = 0
    for n in range(1, 3):
        previous = cached(cast.street_a)
        verified_activity(cast, day=n)  # create, submit, verify: each a save
        assert_fresh(cast)
        changed += cached(cast.street_a) != previous

        room.area = Decimal(50 + 60 * n)  # the 文化室's area (A1)
        facility_services.facility_save(facility=room, user=cast.cadre_a1)
        assert_fresh(cast)

        member = team_services.roster_add(
            team=team,
            user=cast.cadre_a1,
            person=team_services.PersonData(code=f"M{n}", name=f"成员{n}"),
        )
        assert_fresh(cast)
        team_services.roster_remove(member=member, user=cast.cadre_a1)
        assert_fresh(cast)

        exchange = verified_activity(cast, day=10 + n, partners=[cast.a2])  # 文化走亲
        assert_fresh(cast)
        # A partner in ANOTHER street (the workbook may record one): that street's score.
        f.ActivityPartnerFactory(activity=exchange, community=cast.b1)
        assert_fresh(cast)
    assert changed >= 1  # the writes above did change the scores the loop compared
    assert cached(cast.street_b) != before_b  # the partner's street saw the 走亲
    if score_cache == "shared file cache":  # the cached reads above went through it
        assert any((tmp_path / "score-cache").glob("*.djcache"))


def test_scheme_edits_manual_scores_and_the_districts_scheme_are_seen(cast):
    f.PopulationFactory(community=cast.a1, year=Y, residents=100)
    f.FacilityFactory(community=cast.a1, kind=FacilityKind.CULTURE_ROOM, area=Decimal(300))
    scheme = services.scheme_ensure(street=cast.street_a, year=Y, user=cast.street_admin)
    assert_fresh(cast)
    a1 = Indicator.objects.get(scheme=scheme, code="A1")
    for n in range(1, 3):
        services.indicator_update(
            indicator=a1,
            user=cast.street_admin,
            name=a1.name,
            points=a1.points - n,
            params=a1.params,
        )
        assert_fresh(cast)
    manual = services.manual_indicator_add(
        scheme=scheme,
        user=cast.street_admin,
        card=scheme.cards.get(code="A"),
        code="A99",
        name="人工项",
        points=Decimal(2),
        letter_grades=False,
    )
    for score in (Decimal("1.5"), Decimal("2")):
        services.manual_assess(
            indicator=manual, community=cast.a1, user=cast.street_admin, score=score
        )
        assert ManualScore.objects.filter(community=cast.a1).exists()
        assert_fresh(cast)
    before = district_totals(cast.district_a)
    district_services.publish_scheme(
        user=cast.district_admin, district=cast.district_a, year=Y, source="default"
    )
    assert_fresh(cast)  # the district's streets now scored by the published scheme
    assert district_totals(cast.district_a) != before
    # A street moved into the district takes the district's scheme at once (the street's
    # save raises its version; the district is in the key of its own scheme's result too).
    street_b = cast.street_b
    own = services.compute(street_b, Y, evidence=False).scheme_name
    published = services.compute(cast.street_a, Y, evidence=False).scheme_name
    assert own != published
    street_b.district = cast.district_a
    street_b.save()
    moved = Street.objects.get(pk=street_b.pk)
    assert services.compute(moved, Y, evidence=False).scheme_name == published
    assert cached(moved) == uncached(moved)


def test_a_second_dashboard_request_scores_nothing_and_a_write_scores_again(
    cast, client, monkeypatch
):
    calls = []
    real = engine._score

    def counting(jobs, *args, **kwargs):
        calls.append(len(jobs))
        return real(jobs, *args, **kwargs)

    monkeypatch.setattr(engine, "_score", counting)
    client.force_login(cast.street_admin)
    url = reverse("dashboard:index") + f"?year={Y}"
    assert client.get(url).status_code == 200
    assert calls == [1]
    assert client.get(url).status_code == 200
    assert calls == [1]  # the second request took the stored assessment
    verified_activity(cast, day=1)
    assert client.get(url).status_code == 200
    assert calls == [1, 1]  # the write made the next request compute


def test_the_district_year_is_kept_until_a_street_of_it_changes(cast, monkeypatch):
    calls = []
    real = engine._score
    monkeypatch.setattr(
        engine, "_score", lambda jobs, *a, **k: calls.append(1) or real(jobs, *a, **k)
    )
    district_selectors.district_year(cast.district_a, Y)
    district_selectors.district_year(cast.district_a, Y)
    assert calls == [1]
    f.StarRatingFactory(community=cast.a2, year=Y, stars=3)
    district_selectors.district_year(cast.district_a, Y)
    assert calls == [1, 1]
    f.StarRatingFactory(community=cast.b1, year=Y, stars=3)  # another district's street
    district_selectors.district_year(cast.district_a, Y)
    assert calls == [1, 1]
    # A street moved into the district (no write to its records): its communities count.
    moved = f.StreetFactory(name="迁入街道")
    newcomer = f.CommunityFactory(street=moved, name="迁入社区")
    moved.district = cast.district_a
    moved.save()
    entries = district_selectors.district_year(cast.district_a, Y).entries
    assert newcomer.pk in {e.community_id for e in entries}
    assert calls == [1, 1, 1]


def test_bump_raises_creates_missing_rows_and_versions_reads_in_one_query(
    cast, django_assert_num_queries
):
    street = f.StreetFactory()
    versions.StreetDataVersion.objects.filter(street=street).delete()  # as after bulk_create
    assert versions.versions([street.pk])[street.pk] == 0
    versions.bump([street.pk, street.pk, None])
    versions.bump([street.pk])
    ids = [street.pk, cast.street_a.pk, cast.street_b.pk]
    with django_assert_num_queries(1):
        found = versions.versions(ids)
    assert found[street.pk] == 2
    versions.bump([987654321])  # a street that does not exist: nothing written, no error
    assert not versions.StreetDataVersion.objects.filter(street_id=987654321).exists()


def test_cached_assessments_pickle_with_their_evidence(cast):
    import pickle

    f.FacilityFactory(community=cast.a1, kind=FacilityKind.CULTURE_ROOM, area=Decimal(300))
    a = services.compute(cast.street_a, Y)
    back = pickle.loads(pickle.dumps(a))
    assert [c.total for c in back.communities] == [c.total for c in a.communities]
    assert services.compute(cast.street_a, Y).communities == a.communities
