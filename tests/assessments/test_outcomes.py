"""One shape of a result from computation to the frozen row: a run's stored rows, read back,
are the outcomes the engine computed (every field, evidence ids included)."""

from decimal import Decimal

import pytest

from assessments import services
from assessments.results import run_results
from tests import factories as f

from .conftest import Y, full_marks

pytestmark = pytest.mark.django_db


def test_a_runs_rows_read_back_as_the_computed_outcomes():
    street = f.StreetFactory()
    full = f.CommunityFactory(street=street)
    full_marks(full)
    partial = f.CommunityFactory(street=street)
    f.PopulationFactory(community=partial, year=Y, residents=2500)
    f.ActivityFactory(community=partial)
    f.DeductionFactory(community=partial, year=Y, points=Decimal("1.5"))
    f.CommunityFactory(street=street)  # no population: an error row
    run, computed = services.run_and_outcome(street=street, year=Y, user=None)
    stored = run_results(run)
    assert [c.name for c in stored] == [c.name for c in computed.communities]
    for got, expected in zip(stored, computed.communities, strict=True):
        assert got == expected
    assert stored[0].indicators[0].records == len(
        computed.communities[0].indicators[0].evidence_ids
    )
    assert stored[1].deduction == Decimal("1.50") and stored[-1].error
