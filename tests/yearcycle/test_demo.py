import datetime as dt

from communities.models import Community
from reporting.models import PeriodSubmission
from tests import factories as f
from yearcycle import demo_data
from yearcycle.selectors import street_board

AS_OF = dt.date(2026, 6, 20)  # Jan–May owed (May's deadline 6/5)


def test_a_year_in_progress_idempotent(cast):
    f.CommunityFactory(street=cast.street_a, name="甲三社区")
    demo_data.load(cast.street_a, as_of=AS_OF)
    # By name: returned, late today, three days late now and then.
    first, second, third = (
        Community.objects.filter(street=cast.street_a)
        .order_by("name")
        .values_list("name", flat=True)
    )
    statuses = sorted(PeriodSubmission.objects.values_list("community__name", "number", "status"))
    assert (first, 5, "returned") in statuses
    assert not any(name == second and n == 5 for name, n, _ in statuses)  # late today
    assert (third, 5, "submitted") in statuses
    assert sum(s == "approved" for _, _, s in statuses) == 12  # Jan–Apr × 3
    board = street_board(cast.street_admin, cast.street_a, 2026, AS_OF)
    by_name = {r.name: r for r in board.rows}
    assert by_name[third].cells[1].days_late == 3  # February, three days late
    assert by_name[second].cells[4].state == "missing"
    count = PeriodSubmission.objects.count()
    demo_data.load(cast.street_a, as_of=AS_OF)
    assert PeriodSubmission.objects.count() == count == 14
