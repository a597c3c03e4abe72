"""The Django admin answers to the same scope as the portal."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import reverse

from communities.admin_scope import ensure_role_groups, sync_role_group
from communities.models import Membership, Role
from tests import factories as f

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
PROJECT_APPS = {"communities", "facilities", "teams", "activities"}


@pytest.fixture
def staff(cast):
    """The cast with admin access: is_staff and their role's group, as load_demo sets them."""
    ensure_role_groups()
    for user in (
        cast.street_admin,
        cast.street_staff,
        cast.cadre_a1,
        cast.cadre_a2,
        cast.leader,
        cast.cadre_b1,
        cast.staff_b,
    ):
        user.save(update_fields=["password"])
        sync_role_group(user)
    return cast


@pytest.fixture
def as_user(client):
    def sign_in(user):
        user.save(update_fields=["password"])
        client.force_login(user, backend=MODEL_BACKEND)
        return client

    return sign_in


def change_url(obj) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def changelist_url(model) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


@pytest.mark.django_db
def test_anonymous_is_sent_to_admin_login(client, cast):
    facility = f.FacilityFactory(community=cast.a1)
    response = client.get(change_url(facility))
    assert response.status_code == 302 and "/login/" in response.url


@pytest.mark.django_db
@pytest.mark.parametrize("factory", [f.FacilityFactory, f.ActivityFactory, f.TeamFactory])
def test_cadre_cannot_open_another_communitys_record(staff, as_user, factory):
    other = factory(community=staff.a2, name="别人家的记录")
    own = factory(community=staff.a1, name="自己的记录")
    client = as_user(staff.cadre_a1)
    response = client.get(change_url(other), follow=True)
    assert response.redirect_chain and response.redirect_chain[0][1] == 302
    assert "别人家的记录" not in response.content.decode()
    assert client.post(change_url(other), {"name": "改掉"}).status_code == 302
    other.refresh_from_db()
    assert other.name == "别人家的记录"
    assert client.get(change_url(own)).status_code == 200
    # Its audit history is not reachable either.
    history = reverse(
        f"admin:{other._meta.app_label}_{other._meta.model_name}_history", args=[other.pk]
    )
    assert client.get(history).status_code == 404
    assert client.get(history.replace(str(other.pk), str(own.pk))).status_code == 200


@pytest.mark.django_db
def test_cadre_changelists_hold_only_own_rows(staff, as_user):
    f.FacilityFactory(community=staff.a1, name="甲一活动室")
    f.FacilityFactory(community=staff.a2, name="甲二活动室")
    f.FacilityFactory(community=staff.b1, name="乙一活动室")
    f.ActivityFactory(community=staff.a1, name="甲一重阳节")
    f.ActivityFactory(community=staff.a2, name="甲二重阳节")
    client = as_user(staff.cadre_a1)
    facilities = client.get(changelist_url(f.FacilityFactory._meta.model)).content.decode()
    assert "甲一活动室" in facilities
    assert "甲二活动室" not in facilities and "乙一活动室" not in facilities
    assert "甲二社区" not in facilities  # not even in the 社区 filter
    activities = client.get(changelist_url(f.ActivityFactory._meta.model)).content.decode()
    assert "甲一重阳节" in activities and "甲二重阳节" not in activities


@pytest.mark.django_db
def test_cadre_picks_only_own_community(staff, as_user):
    client = as_user(staff.cadre_a1)
    response = client.get(reverse("admin:facilities_facility_add"))
    assert response.status_code == 200
    choices = response.context["adminform"].form.fields["community"].queryset
    assert list(choices) == [staff.a1]
    data = {
        "community": staff.a2.pk,
        "name": "偷偷加的",
        "kind": "文化活动室",
        "sets": 0,
        "status": "在用",
        "ownership": "自有",
    }
    response = client.post(reverse("admin:facilities_facility_add"), data)
    assert response.status_code == 200  # the form is shown again with an error
    assert not f.FacilityFactory._meta.model.objects.filter(name="偷偷加的").exists()


@pytest.mark.django_db
def test_leader_reads_but_cannot_change(staff, as_user):
    facility = f.FacilityFactory(community=staff.a2, name="甲二活动室")
    client = as_user(staff.leader)
    response = client.get(change_url(facility))
    assert response.status_code == 200
    assert "甲二活动室" in response.content.decode()
    assert not response.context["has_change_permission"]
    response = client.post(change_url(facility), {"name": "领导改的"})
    assert response.status_code == 403
    facility.refresh_from_db()
    assert facility.name == "甲二活动室"
    assert client.get(reverse("admin:facilities_facility_add")).status_code == 403


@pytest.mark.django_db
def test_street_staff_of_another_street_sees_nothing_here(staff, as_user):
    facility = f.FacilityFactory(community=staff.a1, name="甲一活动室")
    client = as_user(staff.staff_b)
    assert client.get(change_url(facility)).status_code == 302
    assert "甲一活动室" not in client.get(changelist_url(type(facility))).content.decode()


@pytest.mark.django_db
def test_verified_activity_is_read_only_and_kept(staff, as_user):
    activity = f.ActivityFactory(community=staff.a1, status="verified")
    client = as_user(staff.street_staff)
    response = client.get(change_url(activity))
    assert response.status_code == 200 and not response.context["has_change_permission"]
    delete = reverse("admin:activities_activity_delete", args=[activity.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert type(activity).objects.filter(pk=activity.pk).exists()


@pytest.mark.django_db
def test_street_admin_manages_only_users_of_own_street(staff, as_user):
    newcomer = f.UserFactory(username="newcomer")
    client = as_user(staff.street_admin)
    users = client.get(reverse("admin:auth_user_changelist")).content.decode()
    assert "jia1_cadre" in users and "newcomer" in users
    assert "yi_staff" not in users and "yi1_cadre" not in users
    assert client.get(change_url(staff.staff_b)).status_code == 302
    page = client.get(change_url(newcomer))
    assert page.status_code == 200
    assert "is_superuser" not in page.context["adminform"].form.fields

    # Giving the newcomer a role puts them in that role's group and into the admin.
    response = client.post(
        reverse("admin:communities_membership_add"),
        {
            "user": newcomer.pk,
            "role": Role.COMMUNITY_ADMIN,
            "street": staff.street_a.pk,
            "community": staff.a2.pk,
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    newcomer.refresh_from_db()
    assert newcomer.is_staff
    assert list(newcomer.groups.values_list("name", flat=True)) == ["社区管理员"]
    # …but never in another street.
    response = client.post(
        reverse("admin:communities_membership_add"),
        {
            "user": f.UserFactory(username="other").pk,
            "role": Role.STREET_STAFF,
            "street": staff.street_b.pk,
        },
    )
    assert response.status_code == 200
    assert not Membership.objects.filter(user__username="other").exists()


@pytest.mark.django_db
def test_street_staff_has_no_user_admin(staff, as_user):
    client = as_user(staff.street_staff)
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert client.get(reverse("admin:communities_membership_changelist")).status_code == 403


@pytest.mark.django_db
def test_the_volunteer_total_cannot_be_typed_in_the_admin(staff, as_user):
    volunteer = f.VolunteerFactory(community=staff.a1, service_hours=Decimal("10"))
    client = as_user(staff.cadre_a1)
    page = client.get(reverse("admin:teams_volunteer_change", args=[volunteer.pk]))
    assert page.status_code == 200
    assert 'name="service_hours"' not in page.content.decode()


@pytest.mark.django_db
def test_history_names_who_changed_what(staff, as_user):
    facility = f.FacilityFactory(
        community=staff.a1, name="活动室", area=Decimal("100"), opened_on=dt.date(2012, 1, 1)
    )
    client = as_user(staff.cadre_a1)
    data = {
        "community": staff.a1.pk,
        "name": "活动室",
        "kind": facility.kind,
        "area": "180",
        "sets": 0,
        "status": "在用",
        "opened_on": "2012-01-01",
        "ownership": "自有",
    }
    assert client.post(change_url(facility), data).status_code == 302
    last = facility.history.first()
    assert last.history_user == staff.cadre_a1 and last.area == Decimal("180")


@pytest.mark.django_db
def test_every_admin_page_renders_for_a_superuser(client, cast):
    f.FacilityFactory(community=cast.a1)
    f.ActivityFactory(community=cast.a1)
    root = get_user_model().objects.create_superuser("root", "root@example.com", "pass-1234-word")
    client.force_login(root, backend=MODEL_BACKEND)
    checked = 0
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in PROJECT_APPS:
            continue
        assert client.get(changelist_url(model)).status_code == 200, model
        if model_admin.has_add_permission(type("R", (), {"user": root})()):
            add = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")
            assert client.get(add).status_code == 200, model
        checked += 1
    assert checked >= 20
