import datetime as dt
from decimal import Decimal

import pytest

from service import rules
from service.instructors import EXPIRED, EXPIRING, VALID, expiry_state

STARS = [100, 300, 600, 1000, 1500]


@pytest.mark.parametrize(
    ("hours", "level", "to_next"),
    [
        ("0", 0, "100"),
        ("99.9", 0, "0.1"),
        ("100", 1, "200"),
        ("299.9", 1, "0.1"),
        ("300", 2, "300"),
        ("599.9", 2, "0.1"),
        ("600", 3, "400"),
        ("999.9", 3, "0.1"),
        ("1000", 4, "500"),
        ("1499.9", 4, "0.1"),
    ],
)
def test_star_levels_at_each_boundary(hours, level, to_next):
    star = rules.star(Decimal(hours), STARS)
    assert (star.level, star.to_next) == (level, Decimal(to_next))
    assert star.name == rules.STAR_NAMES[level]


def test_the_top_level_has_no_next():
    star = rules.star(Decimal("1500"), STARS)
    assert (star.level, star.name, star.next_at, star.to_next) == (5, "五星", None, None)


def test_the_cap_refuses_only_what_passes_it():
    assert rules.makeup_refusal(Decimal("38"), Decimal("2"), 40) is None
    message = rules.makeup_refusal(Decimal("38"), Decimal("2.5"), 40)
    assert "40 小时" in message and "最多还可补录 2 小时" in message


def test_promotion_needs_both_the_years_and_the_services():
    kwargs = dict(years_required={"三级": 2}, min_services=12, today=dt.date(2026, 6, 1))
    issued = dt.date(2024, 6, 1)
    assert rules.promotion_due(level="三级", issued_on=issued, services_past_year=12, **kwargs)
    assert not rules.promotion_due(level="三级", issued_on=issued, services_past_year=11, **kwargs)
    late = dt.date(2024, 6, 2)
    assert not rules.promotion_due(level="三级", issued_on=late, services_past_year=30, **kwargs)
    assert not rules.promotion_due(
        level="国家级", issued_on=issued, services_past_year=99, **kwargs
    )


def test_expiry_states():
    today = dt.date(2026, 6, 1)
    assert expiry_state(None, today, 90) == VALID
    assert expiry_state(dt.date(2026, 8, 30), today, 90) == EXPIRING
    assert expiry_state(dt.date(2026, 8, 31), today, 90) == VALID
    assert expiry_state(dt.date(2026, 5, 31), today, 90) == EXPIRED


def test_certificate_numbers():
    assert rules.certificate_number(3, 2026, 42) == "ZY2026-003-00042"
