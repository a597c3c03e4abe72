"""The workbook's 服务时长 column with service entries behind it: export the total, import it
back as the labelled opening balance, change nothing on a round trip."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from activities.models import ActivityStatus
from reports.workbook.exporter import export_workbook
from reports.workbook.importer import apply, parse_workbook
from service import services
from service.models import EntryKind, ServiceEntry, ServiceRole
from service.services import Mark
from teams.models import Volunteer
from tests import factories as f

from .conftest import assert_totals_are_sums


def _exported() -> bytes:
    out = io.BytesIO()
    export_workbook(out, None, full_phones=True)
    return out.getvalue()


def _entries() -> list:
    return sorted(ServiceEntry.objects.values_list("person_id", "kind", "hours", "approval"))


@pytest.fixture
def served(cast, volunteers):
    f.PopulationFactory(community=cast.a1, year=2026)
    activity = f.ActivityFactory(
        community=cast.a1, date=dt.date(2026, 5, 9), status=ActivityStatus.PENDING
    )
    services.mark_service(
        activity=activity,
        user=cast.cadre_a1,
        marks=[Mark(v.person_id, ServiceRole.VOLUNTEER, Decimal("2")) for v in volunteers[:3]],
    )
    from activities import services as activity_services

    activity_services.activity_verify(activity=activity, user=cast.street_staff)
    services.sync_declared_totals({volunteers[0].pk: Decimal("120.5")})
    makeup = services.makeup_add(
        user=cast.cadre_a1,
        person=volunteers[1].person,
        community=cast.a1,
        date=dt.date(2026, 3, 1),
        hours=Decimal("3"),
        content="整理图书",
        reason="漏登记",
    )
    services.makeup_decide(entry=makeup, user=cast.street_staff, approve=True)
    return volunteers


def _hours():
    return dict(Volunteer.objects.values_list("pk", "service_hours"))


def test_the_export_carries_the_total_and_imports_back_unchanged(served):
    before_hours, before_entries = _hours(), _entries()
    assert before_hours[served[0].pk] == Decimal("120.5")
    assert before_hours[served[1].pk] == Decimal("5")
    data = _exported()
    sheet = load_workbook(io.BytesIO(data))["志愿者"]
    header = [c.value for c in sheet[1]]
    column = header.index("服务时长(小时)")
    assert sorted(
        Decimal(str(r[column])) for r in sheet.iter_rows(min_row=2, values_only=True)
    ) == sorted(before_hours.values())
    parsed = parse_workbook(io.BytesIO(data))
    assert parsed.ok, [str(e) for e in parsed.errors]
    counts = apply(parsed)
    assert counts["志愿者"].updated == 0
    assert (_hours(), _entries()) == (before_hours, before_entries)
    again = load_workbook(io.BytesIO(_exported()))["志愿者"]
    assert list(again.iter_rows(values_only=True)) == list(sheet.iter_rows(values_only=True))
    assert_totals_are_sums(served)


def test_a_new_total_in_the_workbook_moves_only_the_opening_balance(served):
    data = _exported()
    book = load_workbook(io.BytesIO(data))
    sheet = book["志愿者"]
    header = [c.value for c in sheet[1]]
    code, hours = header.index("人员编号"), header.index("服务时长(小时)")
    for row in sheet.iter_rows(min_row=2):
        if row[code].value == served[1].person.code:
            row[hours].value = 50  # 2 (activity) + 3 (make-up) + 45 opening
    out = io.BytesIO()
    book.save(out)
    parsed = parse_workbook(io.BytesIO(out.getvalue()))
    assert parsed.ok, [str(e) for e in parsed.errors]
    apply(parsed)
    served[1].refresh_from_db()
    assert served[1].service_hours == 50
    opening = ServiceEntry.objects.get(person_id=served[1].person_id, kind=EntryKind.OPENING)
    assert opening.hours == 45
    assert_totals_are_sums(served)
