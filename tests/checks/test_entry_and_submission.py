"""Each rule fires at entry (the record forms) and at submission (a period); an error blocks,
a warning needs the confirming tick; a rule switched off stays silent."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.urls import reverse

from activities.models import Activity
from checks import services
from checks.forms import CONFIRM
from checks.models import ValidationRule
from facilities.models import Facility
from portal.dates import today
from reporting.models import PeriodSubmission
from teams.models import Team
from tests import factories as f

DAY = dt.date(2025, 3, 9)  # inside March 2025, a period that may be submitted


@dataclass
class Case:
    code: str
    message: str  # a part of the rule's message
    entry: Callable  # (cast) -> (url, data, saved: () -> bool)
    record: Callable | None  # (cast) -> None: a stored record of March 2025 that breaks it


def _activity_post(cast, **extra):
    data = {"community": cast.a1.pk, "name": "春季游园", "date": "2025-03-09", "category": "文化"}
    data |= extra
    name = data["name"]

    def saved() -> bool:
        return Activity.objects.filter(name=name).exists()

    return reverse("activities:create"), data, saved


def _stored_activity(cast, **kw):
    fields = {"community": cast.a1, "name": "春季游园", "date": DAY, "category": "文化"} | kw
    Activity.objects.create(**fields)


def _team_entry(cast):
    team = f.TeamFactory(community=cast.a1, name="腰鼓队")
    data = {"community": cast.a1.pk, "name": "新腰鼓队", "category": "文化", "phone": ""}
    return (
        reverse("teams:update", args=[team.pk]),
        data,
        lambda: Team.objects.filter(name="新腰鼓队").exists(),
    )


def _facility_entry(cast):
    data = {
        "community": cast.a1.pk,
        "name": "大礼堂",
        "kind": "文化活动室",
        "area": "80000",
        "sets": "0",
        "status": "在用",
        "ownership": "自有",
    }
    return (
        reverse("facilities:create"),
        data,
        lambda: Facility.objects.filter(name="大礼堂").exists(),
    )


CASES = [
    Case(
        "activity_future_date",
        "晚于今天",
        lambda c: _activity_post(c, date=(today() + dt.timedelta(days=10)).isoformat()),
        None,  # a period is submitted after it ends, so none of its dates lies ahead
    ),
    Case(
        "activity_scale_participants",
        "规模为大型",
        lambda c: _activity_post(c, scale="大型", participants="12"),
        lambda c: _stored_activity(c, scale="大型", participants=12),
    ),
    Case(
        "activity_archive_missing",
        "提交审核或已审核的活动“五有”档案不全",
        lambda c: _activity_post(c, submit="1"),
        lambda c: _stored_activity(c, status="pending"),
    ),
    Case(
        "activity_same_day_name",
        "同一天已有名称相同的活动",
        lambda c: (_stored_activity(c, name="春季 游园"), _activity_post(c))[1],
        lambda c: (_stored_activity(c), _stored_activity(c, name="春季 游园")),
    ),
    Case(
        "team_no_members", "没有登记任何成员", _team_entry, lambda c: f.TeamFactory(community=c.a1)
    ),
    Case(
        "facility_area_range",
        "大于 50000 平方米",
        _facility_entry,
        lambda c: f.FacilityFactory(community=c.a1, area=Decimal(80000)),
    ),
]
IDS = [c.code for c in CASES]


def _set(cast, code: str, *, enabled: bool = True, severity: str = "warning", **params):
    from checks.registry import RULES

    rule = RULES[code]
    services.rule_update(
        user=cast.street_admin,
        street=cast.street_a,
        code=code,
        enabled=enabled,
        severity=severity,
        low=params.get("low", rule.low),
        high=params.get("high", rule.high),
    )


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_a_warning_at_entry_needs_the_tick(case, cast, client):
    _set(cast, case.code)
    client.force_login(cast.street_staff)
    url, data, saved = case.entry(cast)
    response = client.post(url, data)
    assert response.status_code == 200 and not saved()
    page = response.content.decode()
    assert case.message in page and "已核对，仍然保存" in page
    response = client.post(url, {**data, CONFIRM: "on"})
    assert response.status_code == 302 and saved()


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_an_error_at_entry_blocks_even_with_the_tick(case, cast, client):
    _set(cast, case.code, severity="error")
    client.force_login(cast.street_staff)
    url, data, saved = case.entry(cast)
    response = client.post(url, {**data, CONFIRM: "on"})
    assert response.status_code == 200 and not saved()
    assert any(case.message in e for e in response.context["form"].non_field_errors())


@pytest.mark.parametrize("case", CASES, ids=IDS)
def test_a_rule_switched_off_is_silent_at_entry(case, cast, client):
    _set(cast, case.code, enabled=False)
    client.force_login(cast.street_staff)
    url, data, saved = case.entry(cast)
    response = client.post(url, data)
    assert response.status_code == 302 and saved()


SUBMITTED = [c for c in CASES if c.record]
SUBMIT_IDS = [c.code for c in SUBMITTED]


def _submit_url(cast) -> str:
    return reverse("yearcycle:submit", args=[cast.a1.pk, 2025, 3])


@pytest.mark.parametrize("case", SUBMITTED, ids=SUBMIT_IDS)
def test_an_error_at_submission_blocks(case, cast, client):
    _set(cast, case.code, severity="error")
    case.record(cast)
    client.force_login(cast.cadre_a1)
    page = client.get(_submit_url(cast)).content.decode()
    assert case.message in page and "错误 1 项" in page
    response = client.post(_submit_url(cast), {"confirm_warnings": "1"}, follow=True)
    assert not PeriodSubmission.objects.exists()
    assert "本期有1项错误，须先改正才能报送" in response.content.decode()


@pytest.mark.parametrize("case", SUBMITTED, ids=SUBMIT_IDS)
def test_a_warning_at_submission_needs_a_confirming_click_and_reaches_the_checker(
    case, cast, client
):
    _set(cast, case.code)
    case.record(cast)
    client.force_login(cast.cadre_a1)
    response = client.post(_submit_url(cast), follow=True)
    assert not PeriodSubmission.objects.exists()
    assert "请核对后勾选" in response.content.decode()
    client.post(_submit_url(cast), {"confirm_warnings": "1"})
    submission = PeriodSubmission.objects.get()
    assert any(case.message in w for w in submission.summary["warnings"])
    client.force_login(cast.street_staff)
    page = client.get(reverse("yearcycle:submission", args=[submission.pk])).content.decode()
    assert case.message in page


@pytest.mark.parametrize("case", SUBMITTED, ids=SUBMIT_IDS)
def test_a_rule_switched_off_is_silent_at_submission(case, cast, client):
    _set(cast, case.code, enabled=False)
    case.record(cast)
    client.force_login(cast.cadre_a1)
    assert case.message not in client.get(_submit_url(cast)).content.decode()
    client.post(_submit_url(cast))
    assert PeriodSubmission.objects.get().status == "submitted"


def test_the_checker_sees_the_warnings_left_on_an_activity(cast, client):
    _set(cast, "activity_scale_participants")
    _stored_activity(cast, scale="大型", participants=12, status="pending")
    activity = Activity.objects.get()
    client.force_login(cast.street_staff)
    page = client.get(activity.get_absolute_url()).content.decode()
    assert "校验规则提示" in page and "规模为大型" in page
    client.force_login(cast.cadre_a1)  # the community does not verify: no checker's box
    assert "校验规则提示" not in client.get(activity.get_absolute_url()).content.decode()


def test_another_streets_rules_do_not_apply(cast, client):
    services.rule_update(
        user=cast.street_admin,
        street=cast.street_a,
        code="facility_area_range",
        enabled=True,
        severity="error",
        low=Decimal(1),
        high=Decimal(100),
    )
    f.FacilityFactory(community=cast.b1, area=Decimal(500))
    from checks.selectors import period_findings

    assert period_findings(cast.street_b.pk, cast.b1.pk, DAY, DAY, today()) == []
    assert ValidationRule.objects.filter(street=cast.street_b).count() == 0
