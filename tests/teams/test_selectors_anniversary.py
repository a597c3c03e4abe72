import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from assessments.rules import whole_years
from teams.selectors import add_years


@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2030, 12, 31)), st.integers(1, 5))
def test_deadline_is_the_day_the_engine_counts_the_years_reached(appointed, years):
    deadline = add_years(appointed, years)
    assert whole_years(appointed, deadline) == years
    assert whole_years(appointed, deadline - dt.timedelta(days=1)) == years - 1


def test_29_february_reaches_its_anniversary_on_1_march():
    assert add_years(dt.date(2012, 2, 29), 1) == dt.date(2013, 3, 1)
    assert add_years(dt.date(2012, 2, 29), 4) == dt.date(2016, 2, 29)
