"""load_demo --as-of: the street as it stands on a date, the same every time for that date.

The two complete years score the same whatever the date (the seed moves by whole years), so
one table of totals holds for DEMO_AS_OF (the seed's own 2013–2014) and for 2023.
"""

import datetime as dt
from collections import Counter

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from activities.models import Activity
from assessments.models import Run, RunStatus
from communities.models import Population, StarTarget
from delivery.models import Order
from demo.profiles import STREET
from reports import annual
from teams.models import Person, Team, Volunteer
from tests.demo.test_demo import row_counts
from tests.demo_date import DEMO_AS_OF, load_demo_at

# The finalised totals of the year before last and of last year, per community.
TOTALS = {
    -2: {
        "钱杭社区": "192.31",
        "三叉社区": "191.50",
        "钱塘社区": "172.32",
        "五福社区": "171.49",
        "城星社区": "166.28",
        "钱江苑社区": "142.41",
        "运新社区": "141.88",
        "江锦社区": "141.71",
        "三堡社区": "139.15",
        "水湘社区": "109.32",
    },
    -1: {
        "钱杭社区": "199.45",
        "三叉社区": "195.20",
        "钱塘社区": "181.22",
        "运新社区": "178.65",
        "城星社区": "171.42",
        "五福社区": "169.57",
        "江锦社区": "164.11",
        "钱江苑社区": "162.06",
        "水湘社区": "131.14",
        "三堡社区": "130.13",
    },
}
COMPLETE_STATUSES = {
    -2: {"returned": 4, "verified": 131},
    -1: {"draft": 7, "returned": 9, "verified": 169},
}


def snapshot(year: int) -> dict:
    """Counts and scores, without ids or load-time stamps."""
    runs = Run.objects.filter(year__lt=year).order_by("year")
    return {
        "rows": row_counts(),
        "runs": [
            (
                r.year,
                r.status,
                r.version,
                sorted((c.community_name, c.total) for c in r.results.all()),
            )
            for r in runs
        ],
        "activities": sorted(
            Activity.objects.values_list(
                "community__name", "name", "date", "status", "participants"
            )
        ),
        "orders": Order.objects.count(),
    }


def statuses(year: int) -> dict[str, int]:
    # The demo street's own; the demo district's synthetic streets have theirs beside it.
    rows = Activity.objects.filter(
        date__year=year, delivery_order__isnull=True, community__street__name=STREET
    )
    return dict(Counter(rows.values_list("status", flat=True)))


@pytest.mark.django_db
def test_the_same_date_twice_changes_nothing_and_the_finalised_pdf_stays_the_same():
    first = load_demo_at()
    before = snapshot(DEMO_AS_OF.year)
    last_year = Run.objects.get(year=DEMO_AS_OF.year - 1, status=RunStatus.FINAL)
    pdf = annual.annual_report_pdf(run=last_year)
    second = load_demo_at()
    assert snapshot(DEMO_AS_OF.year) == before
    assert annual.annual_report_pdf(run=last_year) == pdf  # byte for byte
    assert "考核定稿" in first and "数据已是最新" in second
    assert "2013、2014年度已考核定稿，2015年截至2015年06月15日" in first


@pytest.mark.django_db
@pytest.mark.parametrize("as_of", [DEMO_AS_OF, dt.date(2023, 3, 10)])
def test_any_date_gives_the_same_complete_years_and_the_same_scores(as_of):
    load_demo_at(as_of)
    year = as_of.year
    for back, totals in TOTALS.items():
        [run] = Run.objects.filter(year=year + back)
        assert run.status == RunStatus.FINAL and not run.provisional
        assert {c.community_name: str(c.total) for c in run.results.all()} == totals
        assert statuses(year + back) == COMPLETE_STATUSES[back]
    assert not Run.objects.filter(year=year).exists()  # the year in progress is not finalised
    # The plan's populations and targets, carried into the year in progress.
    for back in (-2, -1, 0):
        assert (
            Population.objects.filter(year=year + back, community__street__name=STREET).count()
            == 10
        )
    assert StarTarget.objects.filter(year=year, community__street__name=STREET).count() == 9
    assert not Activity.objects.filter(date__gt=as_of).exists()
    assert Person.objects.count() == 2516 and Team.objects.count() == 101
    assert Volunteer.objects.count() == 1746
    born = Person.objects.filter(code="SJQ010001").values_list("birth_year", flat=True).get()
    assert (1962 + year - 2015) <= born <= (1990 + year - 2015)
    now = statuses(year)
    assert now["pending"] and now["returned"] == 1 and now["verified"]


@pytest.mark.django_db
def test_a_date_of_another_year_or_a_bad_date_is_refused_in_chinese():
    load_demo_at()
    with pytest.raises(CommandError, match="按2013、2014、2015年载入"):
        load_demo_at(dt.date(2016, 1, 20))
    with pytest.raises(CommandError, match="晚于今天"):
        load_demo_at(dt.date.today() + dt.timedelta(days=400))
    with pytest.raises(CommandError, match="日期格式不正确"):
        call_command("load_demo", "--as-of", "2015-13-01")
