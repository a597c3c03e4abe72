"""区县账号 (issue 18 part 2): a district admin lists, creates, deactivates and resets the
passwords of its district's street accounts — never an operator's, another district's or a
district role's — and each action is in the security log."""

from __future__ import annotations

import io

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from accounts import policy
from communities.models import Membership, Role
from security_log.models import Event, SecurityEvent
from tests import factories as f

pytestmark = pytest.mark.django_db
User = get_user_model()
NEW_PASSWORD = "Qu-reset-2026!"


def _rule(**over):
    base = dict(
        actor_role=Role.DISTRICT_ADMIN,
        actor_district_id=1,
        actor_id=10,
        target_id=20,
        target_is_superuser=False,
        target_role=Role.STREET_STAFF,
        target_district_id=1,
    )
    return policy.district_may_manage(**{**base, **over})


def test_rule_without_a_database():
    assert _rule() is True
    assert _rule(target_role=Role.COMMUNITY_ADMIN) is True
    assert _rule(target_district_id=2) is False  # another district's street
    assert _rule(target_is_superuser=True) is False
    assert _rule(target_role=Role.DISTRICT_VIEWER) is False
    assert _rule(target_role=Role.DISTRICT_ADMIN) is False
    assert _rule(target_role=None) is False  # an account without a role
    assert _rule(target_id=10) is False  # itself
    assert _rule(actor_role=Role.DISTRICT_VIEWER) is False
    assert _rule(actor_role=Role.STREET_ADMIN) is False


def test_list_shows_the_districts_street_accounts_only_with_excel(client, cast):
    f.UserFactory(username="op", is_superuser=True)
    client.force_login(cast.district_admin)
    page = client.get(reverse("accounts:district_accounts"))
    assert page.status_code == 200
    text = page.content.decode()
    for name in ("jia_admin", "jia_staff", "jia1_cadre", "jia2_cadre", "jia_leader"):
        assert name in text
    for name in ("yi1_cadre", "yi_staff", "jiaqu_viewer", "op"):
        assert f">{name}<" not in text
    xlsx = client.get(reverse("accounts:district_accounts"), {"export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active
    names = sorted(row[0] for row in sheet.iter_rows(min_row=2, values_only=True) if row[0])
    assert names == ["jia1_cadre", "jia2_cadre", "jia_admin", "jia_leader", "jia_staff"]
    assert (
        SecurityEvent.objects.filter(event=Event.EXPORT, user_id=cast.district_admin.pk).count()
        == 1
    )


@pytest.mark.parametrize("role", ("district_viewer", "street_admin", "leader"))
def test_other_roles_get_404(client, cast, role):
    client.force_login(getattr(cast, role))
    assert client.get(reverse("accounts:district_accounts")).status_code == 404
    assert client.get(reverse("accounts:district_account_create")).status_code == 404
    url = reverse("accounts:district_account_deactivate", args=[cast.street_staff.pk])
    assert client.post(url).status_code == 404
    cast.street_staff.refresh_from_db()
    assert cast.street_staff.is_active


def _create(client, cast, **over):
    data = {
        "username": "jia_new",
        "role": Role.STREET_STAFF,
        "street": cast.street_a.pk,
        "community": "",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        **over,
    }
    return client.post(reverse("accounts:district_account_create"), data)


def test_create_a_street_account_logged(client, cast):
    client.force_login(cast.district_admin)
    response = _create(client, cast)
    assert response.status_code == 302
    user = User.objects.get(username="jia_new")
    assert user.check_password(NEW_PASSWORD)
    m = Membership.objects.get(user=user)
    assert (m.role, m.street_id, m.community_id) == (Role.STREET_STAFF, cast.street_a.pk, None)
    event = SecurityEvent.objects.get(event=Event.ACCOUNT_CREATED)
    assert event.user_id == cast.district_admin.pk
    assert event.street_id == cast.street_a.pk
    assert event.details["target_user_id"] == user.pk


def test_create_refuses_another_district_a_district_role_and_bad_input(client, cast):
    client.force_login(cast.district_admin)
    before = User.objects.count()
    other = _create(client, cast, street=cast.street_b.pk)
    assert "请选择本区县的街道。" in other.content.decode()
    viewer = _create(client, cast, role=Role.DISTRICT_VIEWER)
    assert (
        viewer.status_code == 200
        and "district_viewer"
        not in viewer.content.decode().split('name="role"')[1].split("</select>")[0]
    )
    cadre = _create(client, cast, role=Role.COMMUNITY_ADMIN)
    assert "社区管理员须选择该街道的一个社区。" in cadre.content.decode()
    foreign_cadre = _create(client, cast, role=Role.COMMUNITY_ADMIN, community=cast.b1.pk)
    assert "请选择本区县的社区。" in foreign_cadre.content.decode()
    weak = _create(client, cast, password1="123", password2="123")
    assert weak.status_code == 200
    taken = _create(client, cast, username="JIA_STAFF")
    assert "该账号名已被使用。" in taken.content.decode()
    assert User.objects.count() == before
    assert not SecurityEvent.objects.filter(event=Event.ACCOUNT_CREATED).exists()


def test_deactivate_and_reset_password_of_own_district_logged(client, cast):
    client.force_login(cast.district_admin)
    target = cast.street_staff
    url = reverse("accounts:district_account_password", args=[target.pk])
    response = client.post(url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.check_password(NEW_PASSWORD)
    response = client.post(reverse("accounts:district_account_deactivate", args=[target.pk]))
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.is_active is False
    events = list(
        SecurityEvent.objects.filter(
            event__in=[Event.PASSWORD_RESET, Event.ACCOUNT_DEACTIVATED]
        ).values_list("event", "user_id", "street_id", "details__target_user_id")
    )
    assert sorted(events) == sorted(
        [
            (Event.PASSWORD_RESET, cast.district_admin.pk, cast.street_a.pk, target.pk),
            (Event.ACCOUNT_DEACTIVATED, cast.district_admin.pk, cast.street_a.pk, target.pk),
        ]
    )


def test_mismatched_passwords_change_nothing(client, cast):
    client.force_login(cast.district_admin)
    url = reverse("accounts:district_account_password", args=[cast.street_staff.pk])
    response = client.post(url, {"password1": NEW_PASSWORD, "password2": "other-Pass-99"})
    assert "两次输入的密码不一致。" in response.content.decode()
    cast.street_staff.refresh_from_db()
    assert not cast.street_staff.check_password(NEW_PASSWORD)


@pytest.mark.parametrize("target", ("staff_b", "cadre_b1", "district_viewer", "operator", "self"))
def test_accounts_out_of_reach_get_404_and_stay(client, cast, target):
    if target == "operator":
        user = f.UserFactory(username="op", is_superuser=True)
    elif target == "self":
        user = cast.district_admin
    else:
        user = getattr(cast, target)
    client.force_login(cast.district_admin)
    password = reverse("accounts:district_account_password", args=[user.pk])
    assert client.get(password).status_code == 404
    assert (
        client.post(password, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD}).status_code
        == 404
    )
    deactivate = reverse("accounts:district_account_deactivate", args=[user.pk])
    assert client.post(deactivate).status_code == 404
    user.refresh_from_db()
    assert user.is_active and not user.check_password(NEW_PASSWORD)
