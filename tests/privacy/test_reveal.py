"""Phones stay masked on record pages and edit forms; one number is revealed on a POST with
a reason, by the roles in settings.PIPL_REVEAL_ROLES, and every reveal is logged."""

import pytest
from django.urls import reverse

from security_log.models import Event, Result, SecurityEvent

from .conftest import MASKED, PHONE

pytestmark = pytest.mark.django_db


def reveals():
    return SecurityEvent.objects.filter(event=Event.REVEAL)


def test_record_pages_show_the_number_masked(login, cast, member):
    client = login(cast.street_admin)
    team = member.teams.get()
    for url in (
        reverse("teams:person_detail", args=[member.pk]),
        reverse("teams:detail", args=[team.pk]),
    ):
        page = client.get(url).content.decode()
        assert PHONE not in page and "13955556666" not in page
    page = client.get(reverse("teams:person_detail", args=[member.pk])).content.decode()
    assert MASKED in page
    assert reverse("privacy:reveal_person", args=[member.pk]) in page


def test_reveal_without_a_reason_is_refused_and_shows_nothing(login, cast, member):
    client = login(cast.street_admin)
    url = reverse("privacy:reveal_person", args=[member.pk])
    form = client.get(url)
    assert form.status_code == 200 and PHONE not in form.content.decode()
    for body in ({}, {"reason": ""}, {"reason": "看看"}):
        response = client.post(url, body)
        page = response.content.decode()
        assert response.status_code == 200
        assert "请说明原因" in page and PHONE not in page
    assert not reveals().exists()


def test_reveal_with_a_reason_shows_the_number_and_logs_it(login, cast, member):
    client = login(cast.street_admin)
    url = reverse("privacy:reveal_person", args=[member.pk])
    response = client.post(url, {"reason": "通知排练时间变更"})
    assert PHONE in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    entry = reveals().get()
    assert entry.result == Result.OK and entry.user_id == cast.street_admin.pk
    assert entry.details == {
        "record": "teams.person",
        "id": member.pk,
        "field": "phone",
        "reason": "通知排练时间变更",
    }
    # Neither the URL nor the log carries the name or the number.
    logged = str(entry.details) + entry.username + url
    assert PHONE not in logged and member.name not in logged


def test_a_reason_with_a_phone_number_is_refused(login, cast, member):
    client = login(cast.street_admin)
    url = reverse("privacy:reveal_person", args=[member.pk])
    response = client.post(url, {"reason": "回拨 13900001111 核对"})
    assert "不要填写电话号码" in response.content.decode()
    assert PHONE not in response.content.decode()
    assert not reveals().exists()


def test_the_persons_own_community_admin_may_reveal(login, cast, member):
    client = login(cast.cadre_a1)
    response = client.post(
        reverse("privacy:reveal_person", args=[member.pk]), {"reason": "联系参加比赛"}
    )
    assert PHONE in response.content.decode()
    assert reveals().get().user_id == cast.cadre_a1.pk


def test_another_communitys_admin_does_not_even_find_the_person(login, cast, member):
    client = login(cast.cadre_a2)
    response = client.post(
        reverse("privacy:reveal_person", args=[member.pk]), {"reason": "联系参加比赛"}
    )
    assert response.status_code == 404
    assert PHONE not in response.content.decode() and member.name not in response.content.decode()
    assert not reveals().exists()


@pytest.mark.parametrize("role", ["street_staff", "leader"])
def test_roles_outside_the_setting_are_refused_and_the_refusal_is_logged(login, cast, member, role):
    client = login(getattr(cast, role))
    detail = client.get(reverse("teams:person_detail", args=[member.pk])).content.decode()
    assert reverse("privacy:reveal_person", args=[member.pk]) not in detail
    response = client.post(
        reverse("privacy:reveal_person", args=[member.pk]), {"reason": "联系参加比赛"}
    )
    assert response.status_code == 403 and PHONE not in response.content.decode()
    entry = reveals().get()
    assert entry.result == Result.REFUSED and entry.details == {
        "record": "teams.person",
        "id": member.pk,
    }


def test_the_setting_decides(login, cast, member, settings):
    settings.PIPL_REVEAL_ROLES = ["street_admin"]
    client = login(cast.cadre_a1)
    response = client.post(
        reverse("privacy:reveal_person", args=[member.pk]), {"reason": "联系参加比赛"}
    )
    assert response.status_code == 403
    settings.PIPL_REVEAL_ROLES = ["street_admin", "street_staff"]
    client = login(cast.street_staff)
    response = client.post(
        reverse("privacy:reveal_person", args=[member.pk]), {"reason": "联系参加比赛"}
    )
    assert PHONE in response.content.decode()


def test_a_team_contact_is_revealed_the_same_way(login, cast, member):
    team = member.teams.get()
    client = login(cast.cadre_a1)
    url = reverse("privacy:reveal_team", args=[team.pk])
    assert "13955556666" not in client.post(url, {"reason": ""}).content.decode()
    assert "13955556666" in client.post(url, {"reason": "安排演出场地"}).content.decode()
    assert reveals().get().details["record"] == "teams.team"


def test_edit_forms_show_the_number_masked_and_keep_it_when_untouched(login, cast, member):
    client = login(cast.street_admin)
    url = reverse("teams:person_update", args=[member.pk])
    page = client.get(url).content.decode()
    assert PHONE not in page and f'value="{MASKED}"' in page
    data = {"code": member.code, "name": member.name, "gender": "女", "phone": MASKED}
    assert client.post(url, data).status_code == 302
    member.refresh_from_db()
    assert member.phone == PHONE
    assert client.post(url, {**data, "phone": "13911112222"}).status_code == 302
    member.refresh_from_db()
    assert member.phone == "13911112222"
    # Another masked-looking value is not a number.
    response = client.post(url, {**data, "phone": "139****0000"})
    assert response.status_code == 200 and "请输入正确的联系电话" in response.content.decode()


def test_the_security_log_page_reads_a_reveal_in_chinese(login, cast, member):
    client = login(cast.street_admin)
    client.post(reverse("privacy:reveal_person", args=[member.pk]), {"reason": "通知排练时间变更"})
    page = client.get(reverse("accounts:security_log")).content.decode()
    assert "查看完整个人信息" in page
    assert "记录类型：人员" in page and f"记录编号：{member.pk}" in page
    assert "字段：联系电话" in page and "原因：通知排练时间变更" in page
    assert PHONE not in page and member.name not in page
