"""Every registered metric, on random records: each counted figure equals the number of its
evidence ids, a highest value is the value of the one row behind it, and the figures read
without evidence are those read with it (one declaration, two readings)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from activities.models import ActivityCategory, ActivityScale, ActivityStatus, BrandCategory
from assessments import metrics
from assessments.default_scheme import DEFAULT_SCHEME
from assessments.metrics import statement
from communities.models import Community
from facilities.models import FacilityKind, FacilityStatus, Ownership
from teams.models import CadrePost, InstructorLevel, TeamCategory
from tests import factories as f

pytestmark = pytest.mark.django_db
Y = 2014
DAYS = st.integers(min_value=-400, max_value=400).map(
    lambda n: dt.date(Y, 7, 1) + dt.timedelta(days=n)
)
WHO = st.integers(min_value=0, max_value=2)  # which of three communities
PARAMS = {i["metric"]: i["params"] for i in DEFAULT_SCHEME["indicators"] if not i["is_manual"]}


def _pick(values):
    return st.sampled_from(list(values))


records = st.fixed_dictionaries(
    {
        "facilities": st.lists(
            st.tuples(
                WHO,
                _pick(FacilityKind.values),
                _pick(FacilityStatus.values),
                _pick(Ownership.values),
                st.booleans(),
                st.integers(0, 9),
                DAYS,
            ),
            max_size=8,
        ),
        "teams": st.lists(
            st.tuples(WHO, _pick(TeamCategory.values), DAYS, st.booleans()), max_size=5
        ),
        "certificates": st.lists(
            st.tuples(WHO, st.integers(0, 3), _pick(InstructorLevel.values), DAYS), max_size=8
        ),
        "cadres": st.lists(
            st.tuples(WHO, st.integers(0, 3), _pick(CadrePost.values), DAYS),
            max_size=5,
            unique=True,  # cadre_unique
        ),
        "activities": st.lists(
            st.tuples(
                WHO,
                _pick(ActivityCategory.values),
                _pick(ActivityScale.values),
                _pick(ActivityStatus.values),
                DAYS,
                st.booleans(),
                st.lists(WHO, max_size=2),
            ),
            max_size=10,
        ),
        "brands": st.lists(
            st.tuples(WHO, _pick(BrandCategory.values), st.integers(Y - 2, Y + 1)), max_size=4
        ),
        "ratings": st.lists(st.tuples(WHO, st.integers(1, 5)), max_size=4, unique=True),
        "targets": st.lists(
            st.tuples(WHO, st.integers(1, 5)), max_size=3, unique_by=lambda t: t[0]
        ),
        "volunteers": st.lists(st.tuples(WHO, DAYS), max_size=4),
    }
)


def build(data, communities, people) -> None:
    for who, kind, status, ownership, free, sets, opened in data["facilities"]:
        f.FacilityFactory(
            community=communities[who],
            kind=kind,
            status=status,
            ownership=ownership,
            free_open=free,
            sets=sets,
            area=Decimal(sets * 10),
            opened_on=opened,
        )
    for who, category, founded, excellent in data["teams"]:
        team = f.TeamFactory(community=communities[who], category=category, founded_on=founded)
        if excellent:
            f.TeamHonourFactory(team=team, year=Y)
    for who, person, level, issued in data["certificates"]:
        f.CertificateFactory(
            community=communities[who], person=people[person], level=level, issued_on=issued
        )
    for who, person, post, appointed in data["cadres"]:
        f.CadreFactory(
            community=communities[who], person=people[person], post=post, appointed_on=appointed
        )
    for who, category, scale, status, day, exchange, partners in data["activities"]:
        activity = f.ActivityFactory(
            community=communities[who],
            category=category,
            scale=scale,
            status=status,
            date=day,
            is_exchange=exchange,
            has_plan=True,
            has_image=scale != ActivityScale.SMALL,
        )
        for partner in sorted(set(partners)):
            f.ActivityPartnerFactory(activity=activity, community=communities[partner])
    for who, category, year in data["brands"]:
        f.BrandFactory(community=communities[who], category=category, recognised_year=year)
    for who, stars in data["ratings"]:
        f.StarRatingFactory(community=communities[who], year=Y, stars=stars)
    for who, stars in data["targets"]:
        f.StarTargetFactory(community=communities[who], year=Y, stars=stars)
    for who, registered in data["volunteers"]:
        f.VolunteerFactory(community=communities[who], registered_on=registered)


def check_every_metric(ctx: metrics.MetricContext) -> int:
    """Asserts the property for every metric and community; returns how many figures it
    compared (so that the test can tell it compared something)."""
    requests = [(key, PARAMS.get(key, {})) for key in metrics.METRICS]
    measures = statement.measures_of(ctx, requests)
    columns = statement.metric_columns(measures, evidence=True)
    rows = Community.objects.filter(pk__in=ctx.community_ids).values(
        "pk", **statement.annotations(ctx, columns)
    )
    compared = 0
    for row in rows:
        found = statement.figures(row, columns)
        for n, mine in enumerate(measures):
            for name, measure in mine.items():
                if not measure.evidence:
                    continue
                figure = found[f"m{n}_{name}"]
                ids = measure.rows_behind(
                    statement.decoded(found[f"m{n}_{name}{statement.IDS_SUFFIX}"]) or []
                )
                if measure.kind == "count":
                    assert (figure or 0) == len(ids), (requests[n][0], name, figure, ids)
                else:
                    assert (figure is None) == (not ids), (requests[n][0], name)
                compared += 1
    with_evidence = metrics.read(ctx, requests, evidence=True)
    without = metrics.read(ctx, requests, evidence=False)
    for (key, _), a, b in zip(requests, with_evidence, without, strict=True):
        assert set(a) == set(b), key
        for cid, value in a.items():
            assert value.value == b[cid].value, key
            id_parts = {k for k in value.parts if k.endswith("_ids")}
            assert {k: v for k, v in value.parts.items() if k not in id_parts} == dict(
                b[cid].parts
            ), key
            assert not b[cid].ids, key
    return compared


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=records)
def test_each_figure_equals_the_count_of_its_evidence(data):
    with transaction.atomic():
        street = f.StreetFactory()
        communities = [f.CommunityFactory(street=street) for _ in range(3)]
        people = [f.PersonFactory(street=street) for _ in range(4)]
        build(data, communities, people)
        ctx = metrics.MetricContext(tuple(c.pk for c in communities), Y, dt.date(Y, 12, 31))
        requests = [(key, PARAMS.get(key, {})) for key in metrics.METRICS]
        with_evidence = [x for m in statement.measures_of(ctx, requests) for x in m.values()]
        assert check_every_metric(ctx) == 3 * sum(1 for x in with_evidence if x.evidence)
        transaction.set_rollback(True)


def test_a_counted_metrics_value_is_the_number_of_its_ids(cast):
    """For the metrics whose value is a count of their own rows, value == len(ids)."""
    a1 = cast.a1
    f.ActivityFactory(community=a1, is_exchange=True)
    guest = f.ActivityFactory(community=cast.a2, is_exchange=True)
    f.ActivityPartnerFactory(activity=guest, community=a1)
    f.CertificateFactory(community=a1, level=InstructorLevel.FIRST)
    person = f.PersonFactory(street=a1.street)
    f.CertificateFactory(community=a1, person=person, level=InstructorLevel.THIRD)
    best = f.CertificateFactory(community=a1, person=person, level=InstructorLevel.SECOND)
    ctx = metrics.MetricContext((a1.pk,), Y, dt.date(Y, 12, 31))
    exchanges = metrics.METRICS["exchange_activities"].compute(ctx, {})[a1.pk]
    assert exchanges.value == 2 == len(exchanges.ids) and guest.pk in exchanges.ids
    instructors = metrics.METRICS["instructors"].compute(ctx, {})[a1.pk]
    assert instructors.value == 2 == len(instructors.ids) and best.pk in instructors.ids
