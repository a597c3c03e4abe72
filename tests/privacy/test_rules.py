"""The rules of personal-data protection, without a database."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from privacy import rules
from privacy.rules import Link

D = dt.date


def test_roles_come_from_the_setting_and_operator_means_a_superuser():
    allowed = ["street_admin", "community_admin"]
    assert rules.role_allowed("street_admin", is_superuser=False, allowed=allowed)
    assert rules.role_allowed("community_admin", is_superuser=False, allowed=allowed)
    assert not rules.role_allowed("leader", is_superuser=False, allowed=allowed)
    assert not rules.role_allowed(None, is_superuser=False, allowed=allowed)
    assert not rules.role_allowed(None, is_superuser=True, allowed=allowed)
    assert rules.role_allowed(None, is_superuser=True, allowed=[*allowed, "operator"])


@pytest.mark.parametrize("text", ["", "   ", "查看", None])
def test_a_reason_is_required(text):
    with pytest.raises(ValidationError, match="请说明原因"):
        rules.clean_reason(text)


@pytest.mark.parametrize("text", ["回拨 13812345678 确认", "核对身份 11010519491231002X"])
def test_a_reason_may_not_carry_a_number(text):
    with pytest.raises(ValidationError, match="不要填写电话号码或证件号码"):
        rules.clean_reason(text)


def test_a_reason_is_tidied():
    assert rules.clean_reason("  通知  活动\n变更 ") == "通知 活动 变更"


def test_left_on_is_none_while_any_tie_is_active():
    assert rules.left_on([Link(False, D(2015, 1, 1)), Link(True, None)], D(2016, 1, 1)) is None


def test_left_on_is_the_latest_end_else_the_last_change():
    links = [Link(False, D(2015, 1, 1)), Link(False, D(2017, 3, 1)), Link(False, None)]
    assert rules.left_on(links, D(2020, 1, 1)) == D(2017, 3, 1)
    assert rules.left_on([Link(False, None)], D(2020, 1, 1)) == D(2020, 1, 1)
    assert rules.left_on([], D(2019, 5, 5)) == D(2019, 5, 5)


def test_past_retention_counts_whole_days():
    assert rules.past_retention(D(2020, 1, 1), D(2020, 1, 31), 30)
    assert not rules.past_retention(D(2020, 1, 2), D(2020, 1, 31), 30)
    assert not rules.past_retention(None, D(2020, 1, 31), 0)
