"""The tally statement's SQL is kept (assessments/statements.py), never its figures: a kept
statement still reads the records as they are, and whatever the statement is built from
(the streets, the year, the date, the scheme's parameters, the caller's extra columns)
gives a statement of its own."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models.expressions import RawSQL
from django.test.utils import CaptureQueriesContext

from assessments import default_scheme, metrics, services, statements
from assessments.metrics import statement
from dashboard.charts import chart_columns
from tests import factories as f

from .conftest import D, Y, full_marks

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh(settings):
    # Below the cache of computed scores (assessments/cache.py): every compute here runs.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    statements.clear()
    yield
    statements.clear()


@pytest.fixture
def builds(monkeypatch):
    """How many times the tally statement was built (rather than taken as kept)."""
    calls = []
    real = statement.annotations

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(statement, "annotations", counting)
    return calls


def total(street, community, as_of=D, **kwargs):
    a = services.compute(street, Y, as_of, evidence=False, **kwargs)
    return next(c for c in a.communities if c.community_id == community.pk).total


def test_a_kept_statement_reads_the_records_as_they_are_now(builds):
    community = f.CommunityFactory()
    full_marks(community)
    assert total(community.street, community) == Decimal("200.00")
    f.DeductionFactory(community=community, year=Y, points=Decimal("3.5"))
    assert total(community.street, community) == Decimal("196.50")
    assert len(builds) == 1 and statements.size() == 1
    # and the figures equal those of the metrics with their evidence
    with_evidence = services.compute(community.street, Y, D, evidence=True)
    assert with_evidence.communities[0].total == Decimal("196.50")


def test_the_date_the_year_and_the_streets_each_have_their_statement(builds):
    community = f.CommunityFactory()
    full_marks(community)
    other = f.CommunityFactory()
    full_marks(other)
    at_end = total(community.street, community)
    # Mid-year only the activities up to 30 June count (A4: 12 a year).
    mid = total(community.street, community, as_of=dt.date(Y, 6, 30))
    assert mid < at_end
    assert total(other.street, other) == at_end
    assert len(builds) == 3 and statements.size() == 3
    assert total(community.street, community, as_of=dt.date(Y, 6, 30)) == mid
    assert len(builds) == 3


def test_the_schemes_parameters_are_part_of_the_statement(builds):
    community = f.CommunityFactory()
    full_marks(community)
    street = community.street
    before = total(street, community)
    scheme = default_scheme.ensure_scheme(street, Y)
    # B5 from 1 to 0 years in office before the basic certificate: the cadres (appointed
    # 2014-06-01, no certificate) were compliant and no longer are.
    scheme.cadre_basic_years = 0
    scheme.save()
    after = total(street, community)
    assert after < before
    assert len(builds) == 2
    assert services.compute(street, Y, D, evidence=True).communities[0].total == after


def test_extra_columns_come_back_and_are_part_of_the_statement(builds):
    community = f.CommunityFactory()
    full_marks(community)
    a = services.compute(community.street, Y, D, evidence=False, extra=chart_columns)
    months = metrics.decoded(a.extra[community.pk]["chart_months"])
    assert sum(months[f"c{m}"] for m in range(1, 13)) == 14
    services.compute(community.street, Y, D, evidence=False)
    assert len(builds) == 2  # with and without the extra columns: two statements


def test_statements_are_kept_up_to_the_limit(builds, monkeypatch):
    monkeypatch.setattr(statements, "MAX_STATEMENTS", 2)
    community = f.CommunityFactory()
    full_marks(community)
    for day in (dt.date(Y, 3, 31), dt.date(Y, 6, 30), dt.date(Y, 9, 30)):
        total(community.street, community, as_of=day)
    assert statements.size() == 2
    total(community.street, community, as_of=dt.date(Y, 3, 31))  # the oldest was dropped
    assert len(builds) == 4


def jit_setting(year, as_of):
    """An extra column: PostgreSQL's jit setting as the statement itself sees it."""
    return {"jit": RawSQL("current_setting('jit')", [])}


def current_jit():
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('jit')")
        return cursor.fetchone()[0]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's JIT")
def test_on_postgresql_the_statement_runs_without_jit_and_puts_it_back():
    """The tally statement is sent with JIT off around it, in the same one query, and the
    setting is what it was afterwards (here inside the test's transaction, where SET LOCAL
    would otherwise last until its end)."""
    community = f.CommunityFactory()
    full_marks(community)
    before = current_jit()
    with CaptureQueriesContext(connection) as queries:
        a = services.compute(community.street, Y, D, evidence=False, extra=jit_setting)
    assert a.extra[community.pk]["jit"] == "off"
    sent = [q["sql"] for q in queries.captured_queries if "jit" in q["sql"]]
    assert len(sent) == 1 and sent[0].startswith("SET LOCAL jit = off; SELECT")
    assert current_jit() == before


@pytest.mark.skipif(connection.vendor == "postgresql", reason="SQLite's plain statement")
def test_elsewhere_the_statement_is_sent_alone():
    community = f.CommunityFactory()
    full_marks(community)
    with CaptureQueriesContext(connection) as queries:
        a = services.compute(community.street, Y, D, evidence=False)
    assert a.communities[0].total == Decimal("200.00")
    assert not [q for q in queries.captured_queries if "jit" in q["sql"]]
    with connection.cursor() as cursor:
        assert not statements.without_jit(cursor)
