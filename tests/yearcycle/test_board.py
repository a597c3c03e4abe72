"""The board's cells and rates against a hand count, and its query count at two sizes."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from reporting import services
from reporting.rules import Period
from tests import factories as f
from yearcycle import board as b

D = dt.date
TODAY = D(2026, 5, 20)  # Jan–Mar are owed (deadlines 2/5, 3/5, 4/5), April's is 5/5: owed too


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=dt.UTC)


def test_cells_by_hand():
    subs = {
        (1, D(2026, 1, 1)): b.Sub(11, "approved", D(2026, 2, 5), D(2026, 2, 3)),
        (1, D(2026, 2, 1)): b.Sub(12, "returned", D(2026, 3, 5), D(2026, 3, 9)),
        (2, D(2026, 1, 1)): b.Sub(21, "submitted", D(2026, 2, 5), D(2026, 2, 5)),
    }
    board = b.build(2026, "monthly", 5, [(1, "一社区"), (2, "二社区")], subs, TODAY)
    one, two = board.rows
    assert [c.state for c in one.cells[:6]] == [
        "approved",
        "returned",
        "missing",
        "missing",
        "future",  # May has not ended
        "future",
    ]
    assert b.cell(Period(2026, 5), None, 5, D(2026, 6, 3)).state == "open"
    assert one.cells[1].label == "已退回（迟报4天）"
    assert one.cells[2].label == "未报送（逾期45天）"  # due 4/5 → 5/20
    # community 1 owes Jan–Apr: reported 2, on time 1
    assert (one.rates.owed, one.rates.reported, one.rates.on_time) == (4, 2, 1)
    assert (one.rates.reporting_rate, one.rates.on_time_rate) == (50.0, 25.0)
    assert (two.rates.reported, two.rates.on_time) == (1, 1)  # on the deadline is on time
    # January: both reported, both on time; February: one of two, late
    assert (board.by_period[0].reporting_rate, board.by_period[0].on_time_rate) == (100.0, 100.0)
    assert (board.by_period[1].reporting_rate, board.by_period[1].on_time_rate) == (50.0, 0.0)
    assert board.by_period[5].reporting_rate is None  # June is not owed yet
    assert (board.total.owed, board.total.reported, board.total.on_time) == (8, 3, 2)
    assert board.total.reporting_rate == 37.5
    assert [(row.name, [c.period.number for c in cells]) for row, cells in b.late_today(board)] == [
        ("一社区", [3, 4]),
        ("二社区", [2, 3, 4]),
    ]


def test_quarterly_board():
    board = b.build(2026, "quarterly", 10, [(1, "一社区")], {}, TODAY)
    assert [c.state for c in board.rows[0].cells] == ["missing", "future", "future", "future"]
    assert board.rows[0].cells[0].due == D(2026, 4, 10)


def _street_with(tag: str, n_communities: int, street, staff, months: int) -> None:
    for i in range(n_communities):
        c = f.CommunityFactory(street=street, name=f"{tag}社区{i}")
        for m in range(1, months + 1):
            s = services.submit(
                user=staff, community=c, period=Period(2026, m), now=at(D(2026, m + 1, 3 + i))
            )
            if m % 2:
                services.approve(user=staff, submission=s)


@pytest.mark.django_db
def test_board_query_count_does_not_grow(cast, client):
    client.force_login(cast.street_staff)
    url = reverse("yearcycle:board") + "?year=2026"

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx)

    _street_with("小", 1, cast.street_a, cast.street_staff, 2)
    small = queries()
    _street_with("大", 4, cast.street_a, cast.street_staff, 4)
    assert queries() == small


@pytest.mark.django_db
def test_board_page_export_and_scope(cast, client):
    march = services.submit(
        user=cast.cadre_a1, community=cast.a1, period=Period(2025, 3), now=at(D(2025, 4, 8))
    )
    services.return_(user=cast.street_staff, submission=march, reason="缺少活动照片")
    client.force_login(cast.street_staff)
    page = client.get(reverse("yearcycle:board") + "?year=2025").content.decode()
    assert "甲一社区" in page and "甲二社区" in page and "乙一社区" not in page
    assert "已退回（迟报3天）" in page and "缺少活动照片" in page
    response = client.get(reverse("yearcycle:board") + "?year=2025&export=xlsx")
    sheet = load_workbook(__import__("io").BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("社区", "2025年1月", "2025年2月", "2025年3月")
    by_name = {r[0]: r for r in rows}
    assert by_name["甲一社区"][3] == "已退回（迟报3天）"
    assert by_name["甲一社区"][-5:] == (12, 1, 0, "8.3%", "0.0%")
    # A cadre sees only their own community's row.
    client.force_login(cast.cadre_a2)
    page = client.get(reverse("yearcycle:board") + "?year=2025").content.decode()
    assert "甲二社区" in page and "甲一社区" not in page
