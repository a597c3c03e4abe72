"""The district's reporting board (issue 15, "and the district operator over streets"):
street × period tallies against a hand count, scope, filters, Excel, the link to each
street's board, the reporting rate on the district dashboard, and a query count that does
not grow with streets, communities or submissions."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from communities.models import Community
from district import periods
from reporting import rules
from reporting.models import PeriodSubmission, ReportingCalendar
from reporting.rules import Period
from tests import factories as f
from yearcycle import board as yb

D = dt.date
YEAR = 2025  # every period of it is owed on the day the tests run (2026 or later)


def test_tallies_by_hand():
    """A monthly street of two communities and a quarterly one of one, on 2025-05-20."""
    today = D(2025, 5, 20)
    streets = [
        periods.StreetCalendar(1, "一街道", rules.MONTHLY, 5),
        periods.StreetCalendar(2, "二街道", rules.QUARTERLY, 10),
    ]
    communities = {1: [(11, "一一社区"), (12, "一二社区")], 2: [(21, "二一社区")]}
    subs = {
        1: {
            (11, D(2025, 1, 1)): yb.Sub(1, "approved", D(2025, 2, 5), D(2025, 2, 3)),
            (12, D(2025, 1, 1)): yb.Sub(2, "submitted", D(2025, 2, 5), D(2025, 2, 9)),
            (11, D(2025, 2, 1)): yb.Sub(3, "returned", D(2025, 3, 5), D(2025, 3, 1)),
        },
        2: {(21, D(2025, 1, 1)): yb.Sub(4, "approved", D(2025, 4, 10), D(2025, 4, 12))},
    }
    board = periods.build(YEAR, streets, communities, subs, today)
    one, two = board.rows
    jan, feb, mar = (p.tally for p in one.periods[:3])
    assert (jan.approved, jan.pending, jan.late, jan.missing) == (1, 1, 1, 0)
    assert (jan.reporting_rate, jan.on_time_rate) == (100.0, 50.0)
    assert jan.state == yb.SUBMITTED
    assert (feb.returned, feb.missing, feb.state) == (1, 1, yb.MISSING)
    assert (mar.missing, mar.reporting_rate) == (2, 0.0)
    # Jan–Apr owed (April's deadline 5/5 has passed): 8 cells, 3 reported, 2 on time.
    y = one.year
    assert (y.rates.owed, y.rates.reported, y.on_time, y.missing) == (8, 3, 2, 5)
    assert (y.reporting_rate, y.on_time_rate) == (37.5, 25.0)
    assert one.communities == 2 and len(one.periods) == 12
    # The quarterly street: four cells of three months each; Q1 reported two days late.
    assert [p.span for p in two.periods] == [3, 3, 3, 3]
    q1 = two.periods[0].tally
    assert (q1.approved, q1.late, q1.reporting_rate, q1.on_time_rate) == (1, 1, 100.0, 0.0)
    assert two.year.rates.owed == 1 and two.periods[1].tally.state == yb.FUTURE
    # January's district rates: 一街道's two January cells and 二街道's Q1 (covers January).
    assert (board.by_month[0].owed, board.by_month[0].reported) == (3, 3)
    assert board.by_month[0].on_time == 1
    assert board.by_month[4].owed == 0 and board.by_month[4].reporting_rate is None
    assert (board.total.owed, board.total.reported, board.total.on_time) == (9, 4, 2)


def _sub(user, community, period: Period, submitted: dt.date, status="submitted", day=5):
    """A stored submission (the street's own checks are tested in tests/yearcycle)."""
    at = dt.datetime(submitted.year, submitted.month, submitted.day, 10, tzinfo=dt.UTC)
    return PeriodSubmission.objects.create(
        community=community,
        year=period.year,
        number=period.number,
        cadence=period.cadence,
        start=period.start,
        end=period.end,
        due=rules.deadline(period, day),
        status=status,
        first_submitted_at=at,
        submitted_at=at,
        submitted_by=user,
    )


@pytest.fixture
def reported(cast):
    """甲街道 monthly (甲一 January on time and approved, 甲二 January late); 丙街道 in 甲区
    quarterly (丙一 Q1 on time); 乙街道 of 乙区 reported everything (must never show)."""
    staff = cast.street_staff
    _sub(staff, cast.a1, Period(YEAR, 1), D(YEAR, 2, 3), "approved")
    _sub(staff, cast.a2, Period(YEAR, 1), D(YEAR, 2, 9))
    bing = f.StreetFactory(name="丙街道", district=cast.district_a)
    ReportingCalendar.objects.create(street=bing, cadence=rules.QUARTERLY, deadline_day=10)
    c = f.CommunityFactory(street=bing, name="丙一社区")
    _sub(staff, c, Period(YEAR, 1, rules.QUARTERLY), D(YEAR, 4, 8), day=10)
    for m in range(1, 13):
        _sub(cast.staff_b, cast.b1, Period(YEAR, m), D(YEAR, m, 28), "approved")
    cast.bing = bing
    return cast


def rows_of(response):
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    return [list(r) for r in sheet.iter_rows(values_only=True)]


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["district_admin", "district_viewer"])
def test_the_district_board_by_hand_scoped_with_excel(client, reported, role):
    client.force_login(getattr(reported, role))
    url = reverse("district:reporting")
    page = client.get(url, {"year": YEAR})
    assert page.status_code == 200
    text = page.content.decode()
    assert "甲街道" in text and "丙街道" in text and "乙街道" not in text
    # Each street's cells open the street's own board, which the district user may read.
    board_url = f"{reverse('yearcycle:board')}?street={reported.street_a.pk}&amp;year={YEAR}"
    assert board_url in text
    street_page = client.get(board_url.replace("&amp;", "&"))
    assert street_page.status_code == 200
    assert "甲一社区" in street_page.content.decode()
    assert 'colspan="3"' in text  # 丙街道's quarters
    rows = rows_of(client.get(url, {"year": YEAR, "export": "xlsx"}))
    assert rows[0][:3] == ["街道", "报送周期", "期间"]
    by = {(r[0], r[2]): r for r in rows[1:]}
    assert {r[0] for r in rows[1:]} == {"甲街道", "丙街道"}
    # 甲街道: 24 periods owed, 2 reported, 1 on time, 22 missing, one late.
    year = by[("甲街道", f"{YEAR}年全年")]
    assert year[1] == "按月" and year[3] == 2
    assert year[4:] == [1, 1, 0, 22, 1, 24, 2, 1, "8.3%", "4.2%"]
    assert by[("甲街道", f"{YEAR}年1月")][4:] == [1, 1, 0, 0, 1, 2, 2, 1, "100.0%", "50.0%"]
    assert by[("丙街道", f"{YEAR}年全年")][9:] == [4, 1, 1, "25.0%", "25.0%"]
    assert by[("丙街道", f"{YEAR}年第1季度")][1] == "按季度"
    # The street filter, and a street of another district refused with a message.
    only = rows_of(client.get(url, {"year": YEAR, "street": reported.bing.pk, "export": "xlsx"}))
    assert {r[0] for r in only[1:]} == {"丙街道"}
    page = client.get(url, {"year": YEAR, "street": reported.street_b.pk}).content.decode()
    assert "所选街道不在本区县" in page and "乙街道" not in page


@pytest.mark.django_db
def test_street_users_are_sent_to_their_dashboard(client, reported):
    for user in (reported.street_admin, reported.cadre_a1):
        client.force_login(user)
        response = client.get(reverse("district:reporting"))
        assert response.status_code == 302
        assert response["Location"] == reverse("dashboard:index")


@pytest.mark.django_db
def test_the_dashboard_and_street_ranking_show_each_streets_reporting_rate(client, reported):
    client.force_login(reported.district_viewer)
    page = client.get(reverse("district:index"), {"year": YEAR}).content.decode()
    assert "报送率" in page and "8.3%" in page and "25.0%" in page
    rows = rows_of(client.get(reverse("district:streets"), {"year": YEAR, "export": "xlsx"}))
    head = rows[0]
    rate = {r[1]: (r[head.index("报送率")], r[head.index("及时率")]) for r in rows[1:]}
    assert rate == {"甲街道": ("8.3%", "4.2%"), "丙街道": ("25.0%", "25.0%")}


def _grow(cast, streets: int, per_street: int, tag: str) -> None:
    for s in range(streets):
        street = f.StreetFactory(name=f"扩{tag}{s}街道", district=cast.district_a)
        if s % 2:
            ReportingCalendar.objects.create(street=street, cadence=rules.QUARTERLY)
        for c in range(per_street):
            community = Community.objects.create(street=street, name=f"扩{tag}{s}-{c}社区")
            cadence = rules.QUARTERLY if s % 2 else rules.MONTHLY
            for n in (1, 2):
                _sub(cast.street_staff, community, Period(YEAR, n, cadence), D(YEAR, 8, 1))


def _queries(client, name: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse(name), {"year": YEAR}).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["district:reporting", "district:index"])
def test_query_count_does_not_grow_with_streets_communities_or_submissions(client, reported, name):
    client.force_login(reported.district_admin)
    _grow(reported, 1, 1, "小")
    client.get(reverse(name), {"year": YEAR})  # warm the statement cache like a live server
    small = _queries(client, name)
    _grow(reported, 4, 3, "大")
    client.get(reverse(name), {"year": YEAR})
    assert _queries(client, name) == small
