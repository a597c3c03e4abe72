"""The typed scheme reads a scheme's plain data and writes exactly the same data back."""

import copy
from decimal import Decimal

import pytest

from assessments import default_scheme
from assessments.default_scheme import DEFAULT_SCHEME
from assessments.scheme import SchemeSpec
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_the_default_scheme_round_trips():
    spec = SchemeSpec.of(DEFAULT_SCHEME)
    assert spec.as_data() == DEFAULT_SCHEME
    assert len(spec.computed) == len(DEFAULT_SCHEME["indicators"]) and not spec.manual
    assert spec.bonus_points["国家级"] == Decimal("5") and spec.bonus_cap == Decimal("10")


def test_an_edited_stored_scheme_round_trips():
    scheme = default_scheme.ensure_scheme(f.StreetFactory(), 2014)
    scheme.bonus_cap = Decimal("7.5")
    scheme.cadre_senior_years = 4
    scheme.save()
    indicator = scheme.indicators.get(code="A1")
    indicator.points = Decimal("12.50")
    indicator.params = {**indicator.params, "target": "150"}
    indicator.save()
    data = default_scheme.snapshot(scheme)
    spec = SchemeSpec.of(data)
    assert spec.as_data() == data
    assert spec.cadre.senior_years == 4 and spec.bonus_cap == Decimal("7.5")
    assert next(i for i in spec.indicators if i.code == "A1").points == Decimal("12.5")


def test_indicators_with_the_same_data_share_a_key_and_others_do_not():
    a = SchemeSpec.of(DEFAULT_SCHEME).indicators
    changed = copy.deepcopy(DEFAULT_SCHEME)
    changed["indicators"][0]["params"]["target"] = "999"
    b = SchemeSpec.of(changed).indicators
    assert a[1].key == b[1].key and a[0].key != b[0].key
