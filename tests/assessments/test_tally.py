"""The tallies (every metric in one query, no evidence) give exactly the numbers of the
metrics with evidence: on the end-to-end random workbooks (dense in the spec's boundaries),
at the year's end and mid-year, with the default B5 deadlines and others; and for many
streets at once (compute_streets) in a number of queries that does not grow."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments import metrics, rules, services
from assessments.default_scheme import ensure_scheme
from communities.models import Street
from reports.workbook import importer
from teams.models import Cadre
from tests import factories as f
from tests.e2e.random_workbook import generate, write_xlsx

from .conftest import full_marks

pytestmark = pytest.mark.django_db
ID_PARTS = ("lacking_ids", "excellent_ids")


def outcome_view(a: services.Assessment) -> list[dict]:
    """Everything an outcome says except the evidence ids."""
    out = []
    for c in a.communities:
        out.append(
            {
                **{
                    k: getattr(c, k)
                    for k in (
                        "community_id",
                        "name",
                        "population",
                        "population_year",
                        "cards",
                        "bonus",
                        "deduction",
                        "veto",
                        "total",
                        "grade",
                        "grade_gap",
                        "rank",
                        "error",
                    )
                },
                "indicators": [
                    (
                        i.code,
                        i.points,
                        i.value,
                        i.target,
                        i.gap,
                        i.max_points,
                        i.order,
                        {k: v for k, v in i.detail.items() if k not in ID_PARTS},
                    )
                    for i in c.indicators
                ],
            }
        )
    return out


def load(seed: int, tmp_path) -> list[Street]:
    rows = generate(seed)
    path = tmp_path / f"random-{seed}.xlsx"
    write_xlsx(rows, path, seed)
    parsed = importer.parse_workbook(path)
    assert parsed.ok, parsed.errors[:3]
    importer.apply(parsed)
    return list(Street.objects.order_by("name"))


@pytest.mark.parametrize("seed", range(6))
def test_tally_equals_the_metrics_on_random_workbooks(seed, tmp_path):
    streets = load(seed, tmp_path)
    if seed % 2:
        # Other B5 deadlines and levels (scheme data), so that in_office_for is exercised.
        for street in streets:
            scheme = ensure_scheme(street, 2014)
            scheme.cadre_basic_years, scheme.cadre_basic_level = 2, "二级"
            scheme.cadre_senior_years, scheme.cadre_senior_level = 4, "国家级"
            scheme.save()
    for as_of in (dt.date(2014, 12, 31), dt.date(2014, 6, 30)):
        full = [services.compute(s, 2014, as_of) for s in streets]
        for street, expected in zip(streets, full, strict=True):
            assert outcome_view(services.compute(street, 2014, as_of, evidence=False)) == (
                outcome_view(expected)
            )
        together = services.compute_streets(streets, 2014, as_of)
        assert [outcome_view(a) for a in together] == [outcome_view(a) for a in full]


def test_each_metric_tally_matches_its_compute(cast):
    for k, community in enumerate((cast.a1, cast.a2)):
        full_marks(community, population=100 + 50 * k)
    ctx = metrics.MetricContext((cast.a1.pk, cast.a2.pk), 2014, dt.date(2014, 12, 31))
    from assessments.default_scheme import DEFAULT_SCHEME

    requests = [(i["metric"], i["params"]) for i in DEFAULT_SCHEME["indicators"]]
    tallied = metrics.read(ctx, requests, evidence=False)
    for (key, params), got in zip(requests, tallied, strict=True):
        expected = metrics.METRICS[key].compute(ctx, params)
        # full_marks gives both communities a value of every metric: no comparison is empty.
        assert set(got) == set(expected) == {cast.a1.pk, cast.a2.pk}, key
        for cid, value in expected.items():
            assert Decimal(got[cid].value) == Decimal(value.value), key
            parts = {k: v for k, v in value.parts.items() if k not in ID_PARTS}
            assert dict(got[cid].parts) == parts, key


@pytest.mark.parametrize(
    "as_of",
    [dt.date(2016, 2, 29), dt.date(2015, 2, 28), dt.date(2014, 12, 31), dt.date(2015, 3, 1)],
)
def test_in_office_for_is_whole_years(cast, as_of):
    days = [dt.date(2011, 2, 27) + dt.timedelta(days=n) for n in range(0, 1900, 1)]
    f.CadreFactory.create_batch(len(days), community=cast.a1, appointed_on=factory_days(days))
    for years in (0, 1, 3, 4):
        got = set(
            Cadre.objects.filter(metrics.in_office_for(as_of, years)).values_list(
                "appointed_on", flat=True
            )
        )
        expected = {d for d in days if d <= as_of and rules.whole_years(d, as_of) >= years}
        assert got == expected, years


def factory_days(days):
    import factory

    return factory.Iterator(days)


def test_compute_streets_queries_do_not_grow(cast):
    for c in (cast.a1, cast.a2, cast.b1):
        full_marks(c)
    streets = [cast.street_a, cast.street_b]
    with CaptureQueriesContext(connection) as two:
        services.compute_streets(streets, 2014)
    more = [f.StreetFactory(name=f"第{n}街道") for n in range(3)]
    for street in more:
        for k in range(3):
            full_marks(f.CommunityFactory(street=street, name=f"{street.name}{k}社区"))
    with CaptureQueriesContext(connection) as five:
        got = services.compute_streets(streets + more, 2014)
    # the districts' published schemes, the schemes, the data versions (assessments/cache.py),
    # the tally (of the new streets only: the first two are cached)
    assert len(five.captured_queries) == len(two.captured_queries) <= 4
    assert [len(a.scored) for a in got] == [2, 1, 3, 3, 3]
    assert all(c.total == Decimal("200.00") and c.rank == 1 for a in got for c in a.scored)


def test_schemes_of_many_streets_in_one_query_are_their_snapshots(cast):
    from assessments import default_scheme
    from assessments.models import Card

    edited = ensure_scheme(cast.street_a, 2014)
    a4 = edited.indicators.get(code="A4")
    a4.params, a4.points = {"target": "6.5"}, Decimal("12.5")
    a4.save()
    services.manual_indicator_add(
        scheme=edited,
        user=cast.street_admin,
        card=Card.objects.get(scheme=edited, code="B"),
        code="M1",
        name="特色工作",
        points=Decimal("2.5"),
        letter_grades=True,
    )
    services.grade_bands_update(
        scheme=edited,
        user=cast.street_admin,
        bands=[("好", Decimal("150.5")), ("中", Decimal("100")), ("差", Decimal("0"))],
    )
    edited.bonus_cap = Decimal("7.5")
    edited.save()
    earlier = ensure_scheme(cast.street_b, 2013)  # the latest up to 2014 is 2013's
    plain = f.StreetFactory(name="丙街道")  # no scheme: the default
    streets = [cast.street_a, cast.street_b, plain]
    with CaptureQueriesContext(connection) as queries:
        got = default_scheme.data_for_streets(streets, 2014)
    assert len(queries.captured_queries) == 2  # the districts' published schemes, the streets' own
    assert got[cast.street_a.pk] == {**default_scheme.snapshot(edited), "year": 2014}
    assert got[cast.street_b.pk] == {**default_scheme.snapshot(earlier), "year": 2014}
    assert got[plain.pk] == {**default_scheme.DEFAULT_SCHEME, "year": 2014}
    assert default_scheme._data_for_streets_prefetched(streets, 2014) == got
