"""Where a date puts the demo's seed: whole years, and the texts that name them."""

import datetime as dt

from demo.timeline import Timeline
from demo.upsert import shift_date, shift_row, shift_text


def test_a_date_puts_the_seed_two_years_back_and_its_own_year_in_progress():
    t = Timeline(dt.date(2026, 12, 4))
    assert (t.shift, t.year, t.complete_years) == (11, 2026, (2024, 2025))
    assert t.seed_as_of == dt.date(2015, 12, 4)
    assert Timeline(dt.date(2015, 6, 15)).shift == 0


def test_whole_years_move_dates_times_year_numbers_and_years_in_text():
    assert shift_date(dt.date(2012, 2, 29), 1) == dt.date(2013, 2, 28)
    assert shift_date(dt.date(2012, 2, 29), 4) == dt.date(2016, 2, 29)
    at = dt.datetime(2014, 12, 31, 23, 0, tzinfo=dt.UTC)
    assert shift_date(at, 2) == dt.datetime(2016, 12, 31, 23, 0, tzinfo=dt.UTC)
    assert shift_text("三叉社区于2014-03-05举办，预计2015年投用", 11) == (
        "三叉社区于2025-03-05举办，预计2026年投用"
    )
    # Phone numbers, counts and codes are not years.
    assert shift_text("13920141234，约2014人，SJQ012014", 11) == "13920141234，约2014人，SJQ012014"
    assert shift_text("ZJ2014010001", 11) == "ZJ2025010001"
    row = {"year": 2014, "planned_year": 2015, "residents": 2014, "date": dt.date(2014, 1, 1)}
    assert shift_row(row, 3) == {
        "year": 2017,
        "planned_year": 2018,
        "residents": 2014,
        "date": dt.date(2017, 1, 1),
    }
    assert shift_row(row, 0) is row
