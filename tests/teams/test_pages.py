"""Record pages of 队伍建设: roster, honours, service hours, forms, edit rights."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from teams.models import (
    Cadre,
    Certificate,
    Person,
    Team,
    TeamHonour,
    TeamMember,
    Volunteer,
)
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(cast):
    return f.TeamFactory(community=cast.a1, name="甲一舞蹈队")


def detail(team):
    return reverse("teams:detail", args=[team.pk])


def test_roster_add_creates_a_new_person_in_the_street(client, login, cast, team):
    login(cast.cadre_a1)
    response = client.post(
        detail(team),
        {
            "action": "add_member",
            "m-person_code": "P900",
            "m-person_name": "王芳",
            "m-person_gender": "女",
            "m-person_phone": "13912345678",
            "m-joined_on": "2024-05-01",
        },
    )
    assert response.status_code == 302
    person = Person.objects.get(code="P900")
    assert (person.street, person.name, person.phone) == (cast.street_a, "王芳", "13912345678")
    member = TeamMember.objects.get(team=team)
    assert member.person == person and member.joined_on == dt.date(2024, 5, 1)
    page = client.get(detail(team)).content.decode()
    assert "王芳" in page and "139****5678" in page and "13912345678" not in page


def test_roster_add_links_an_existing_person_by_code(client, login, cast, team):
    existing = f.PersonFactory(street=cast.street_a, code="P1", name="李雷")
    login(cast.street_staff)
    client.post(detail(team), {"action": "add_member", "m-person_code": "P1"})
    assert list(team.members.all()) == [existing]
    assert Person.objects.filter(code="P1").count() == 1


def test_roster_add_refusals_write_nothing(client, login, cast, team):
    f.PersonFactory(street=cast.street_a, code="P1", name="李雷")
    login(cast.cadre_a1)

    def post(**data):
        payload = {"action": "add_member", **{f"m-{k}": v for k, v in data.items()}}
        response = client.post(detail(team), payload)
        assert response.status_code == 200
        return response.context["member_form"].errors

    assert post(person_code="P1", person_name="韩梅梅")["person_name"] == [
        "人员编号 P1 已登记为其他姓名，请核对编号或姓名。"
    ]
    assert post(person_code="P2")["person_name"] == ["人员编号 P2 尚未登记，请填写姓名以新建人员。"]
    assert post(person_code="P3", person_name="新人", person_phone="电话")["person_phone"] == [
        "请输入正确的联系电话（数字，可含 - 和空格）。"
    ]
    assert post(person_code="", person_name="无编号")["person_code"] == ["这个字段是必填项。"]
    assert not TeamMember.objects.exists()
    assert not Person.objects.filter(code__in=["P2", "P3"]).exists()

    client.post(detail(team), {"action": "add_member", "m-person_code": "P1"})
    assert post(person_code="P1")["person_code"] == ["李雷（P1）已在花名册中。"]
    assert TeamMember.objects.count() == 1


def test_roster_remove(client, login, cast, team):
    member = f.TeamMemberFactory(team=team)
    other_team_member = f.TeamMemberFactory(team=f.TeamFactory(community=cast.a1))
    login(cast.cadre_a1)
    # a member of another team cannot be removed through this team's page
    response = client.post(
        detail(team), {"action": "remove_member", "member": other_team_member.pk}
    )
    assert response.status_code == 404
    response = client.post(detail(team), {"action": "remove_member", "member": member.pk})
    assert response.status_code == 302
    assert not TeamMember.objects.filter(pk=member.pk).exists()
    assert Person.objects.filter(pk=member.person_id).exists()  # the person stays


def test_honours_add_and_duplicate(client, login, cast, team):
    login(cast.cadre_a1)
    data = {
        "action": "add_honour",
        "h-year": "2024",
        "h-title": "优秀团队",
        "h-awarded_by": "区文旅局",
    }
    assert client.post(detail(team), data).status_code == 302
    honour = TeamHonour.objects.get()
    assert (honour.team, honour.year, honour.title) == (team, 2024, "优秀团队")
    response = client.post(detail(team), data)
    assert response.context["honour_form"].errors["title"] == ["该团队 2024 年已有“优秀团队”荣誉。"]
    response = client.post(detail(team), {**data, "h-year": "24"})
    assert response.context["honour_form"].errors["year"] == [
        "年度须是 1990–2100 之间的四位数年份。"
    ]
    assert TeamHonour.objects.count() == 1
    client.post(detail(team), {"action": "delete_honour", "honour": honour.pk})
    assert not TeamHonour.objects.exists()


@pytest.mark.parametrize("who", ["leader", "cadre_a2", "staff_b"])
def test_leader_and_outsiders_cannot_change_a_team(client, login, cast, team, who):
    member = f.TeamMemberFactory(team=team)
    login(getattr(cast, who))
    for data in (
        {"action": "add_member", "m-person_code": "P9", "m-person_name": "某人"},
        {"action": "remove_member", "member": member.pk},
        {"action": "add_honour", "h-year": "2024", "h-title": "优秀团队"},
    ):
        assert client.post(detail(team), data).status_code == 404
    assert client.get(reverse("teams:update", args=[team.pk])).status_code == 404
    assert client.post(reverse("teams:delete", args=[team.pk])).status_code == 404
    assert TeamMember.objects.count() == 1 and not TeamHonour.objects.exists()


def test_leader_reads_the_team_page_without_edit_controls(client, login, cast, team):
    f.TeamMemberFactory(team=team, person__phone="13811112222")
    login(cast.leader)
    page = client.get(detail(team)).content.decode()
    assert "138****2222" in page
    assert "加入花名册" not in page and "添加荣誉" not in page
    assert reverse("teams:update", args=[team.pk]) not in page
    assert client.get(reverse("teams:create")).status_code == 403


def test_out_of_scope_detail_pages_are_404(client, login, cast):
    records = {
        "teams:detail": f.TeamFactory(community=cast.a2),
        "teams:volunteer_detail": f.VolunteerFactory(community=cast.a2),
        "teams:certificate_detail": f.CertificateFactory(community=cast.a2),
        "teams:cadre_detail": f.CadreFactory(community=cast.a2),
        "teams:person_detail": f.VolunteerFactory(community=cast.a2).person,
    }
    for name, record in records.items():
        login(cast.cadre_a1)
        assert client.get(reverse(name, args=[record.pk])).status_code == 404, name
        edit = name.replace("detail", "update")
        assert client.get(reverse(edit, args=[record.pk])).status_code == 404, edit
        login(cast.staff_b)
        assert client.get(reverse(name, args=[record.pk])).status_code == 404, name
        login(cast.street_staff)
        assert client.get(reverse(name, args=[record.pk])).status_code == 200, name


def test_team_form_rules(client, login, cast):
    login(cast.cadre_a1)
    data = {
        "community": cast.a2.pk,
        "name": "合唱队",
        "category": "文化",
        "founded_on": "2020-05-01",
        "dissolved_on": "2019-01-01",
        "phone": "abc",
    }
    response = client.post(reverse("teams:create"), data)
    errors = response.context["form"].errors
    assert errors["dissolved_on"] == ["解散日期不能早于成立日期。"]
    assert errors["phone"] == ["请输入正确的联系电话（数字，可含 - 和空格）。"]
    assert not Team.objects.exists()
    response = client.post(
        reverse("teams:create"), {**data, "dissolved_on": "", "phone": "0571-8888 6666"}
    )
    team = Team.objects.get()
    assert team.community == cast.a1  # the cadre's form has their community fixed
    assert response["Location"] == detail(team)


def test_team_delete_refused_while_it_has_members(client, login, cast, team):
    f.TeamMemberFactory(team=team)
    login(cast.cadre_a1)
    response = client.post(reverse("teams:delete", args=[team.pk]), follow=True)
    assert "花名册中有 1 名成员。" in response.content.decode()
    assert Team.objects.filter(pk=team.pk).exists()
    empty = f.TeamFactory(community=cast.a1)
    client.post(reverse("teams:delete", args=[empty.pk]))
    assert not Team.objects.filter(pk=empty.pk).exists()


# ---------------------------------------------------------------- volunteers


@pytest.fixture
def volunteer(cast):
    return f.VolunteerFactory(community=cast.a1, service_hours=Decimal("10"))


def test_volunteer_page_links_to_the_service_record(client, login, cast, volunteer):
    login(cast.cadre_a1)
    page = client.get(reverse("teams:volunteer_detail", args=[volunteer.pk]))
    assert reverse("service:volunteer", args=[volunteer.pk]) in page.content.decode()
    # The old hour entry form is gone: hours come only from service entries.
    assert (
        client.post(
            reverse("teams:volunteer_detail", args=[volunteer.pk]), {"action": "add_record"}
        ).status_code
        == 404
    )


def test_register_volunteer_with_new_person_and_refuse_twice(client, login, cast):
    login(cast.cadre_a1)
    data = {
        "person_code": "V1",
        "person_name": "赵六",
        "person_phone": "13712345678",
        "registered_on": "2024-01-01",
        "left_on": "",
    }
    response = client.post(reverse("teams:volunteer_create"), data)
    volunteer = Volunteer.objects.get()
    assert response["Location"] == reverse("teams:volunteer_detail", args=[volunteer.pk])
    assert (volunteer.community, volunteer.person.name) == (cast.a1, "赵六")
    response = client.post(reverse("teams:volunteer_create"), data)
    assert response.context["form"].errors["person_code"] == ["人员编号 V1 已登记为志愿者。"]
    response = client.post(
        reverse("teams:volunteer_create"),
        {**data, "person_code": "V2", "person_name": "钱七", "left_on": "2023-01-01"},
    )
    assert response.context["form"].errors["left_on"] == ["退出日期不能早于注册日期。"]
    assert Volunteer.objects.count() == 1 and not Person.objects.filter(code="V2").exists()


# ---------------------------------------------------------------- instructors and cadres


def test_certificate_form(client, login, cast):
    f.CertificateFactory(community=cast.a1, number="ZS-1")
    login(cast.cadre_a1)
    data = {
        "person_code": "I1",
        "person_name": "孙八",
        "level": "三级",
        "number": "ZS-1",
        "issued_on": "2024-01-01",
        "expires_on": "2023-01-01",
        "sport": "广场舞",
    }
    response = client.post(reverse("teams:certificate_create"), data)
    errors = response.context["form"].errors
    assert errors["expires_on"] == ["失效日期不能早于发证日期。"]
    assert "number" in errors and "已存在" in errors["number"][0]
    response = client.post(
        reverse("teams:certificate_create"), {**data, "number": "ZS-2", "expires_on": ""}
    )
    assert response.status_code == 302
    cert = Certificate.objects.get(number="ZS-2")
    assert (cert.community, cert.person.name) == (cast.a1, "孙八")


def test_cadre_form_and_deadline_display(client, login, cast):
    login(cast.street_staff)
    appointed = dt.date.today() - dt.timedelta(days=400)
    data = {
        "community": cast.a2.pk,
        "person_code": "C1",
        "person_name": "周九",
        "post": "文体管理员",
        "appointed_on": appointed.isoformat(),
        "left_on": "",
    }
    response = client.post(reverse("teams:cadre_create"), data)
    cadre = Cadre.objects.get()
    assert cadre.community == cast.a2
    page = client.get(response["Location"]).content.decode()
    assert "已逾期（须持三级及以上证书）" in page
    response = client.post(reverse("teams:cadre_create"), data)
    assert response.context["form"].errors["appointed_on"] == [
        "该人员在本社区同一职务、同一任职日期的记录已存在。"
    ]
    f.CertificateFactory(community=cast.a2, person=cadre.person, level="三级", issued_on=appointed)
    rows = client.get(reverse("teams:cadre_list")).content.decode()
    assert "距期限" in rows and "须取得一级证书" in rows


def test_person_pages(client, login, cast):
    person = f.VolunteerFactory(community=cast.a1, person__phone="13811112222").person
    login(cast.cadre_a1)
    page = client.get(reverse("teams:person_detail", args=[person.pk])).content.decode()
    # PIPL: masked here too; the full number only through privacy's reveal (with a reason).
    assert "13811112222" not in page and "138****2222" in page
    assert client.get(reverse("teams:person_create")).status_code == 403
    response = client.post(
        reverse("teams:person_update", args=[person.pk]),
        {
            "code": person.code,
            "name": "新名字",
            "gender": "男",
            "birth_year": "1960",
            "phone": "13811112222",
        },
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.name == "新名字"
    response = client.post(reverse("teams:person_delete", args=[person.pk]), follow=True)
    assert "该人员已登记为志愿者。" in response.content.decode()

    login(cast.street_staff)
    f.PersonFactory(street=cast.street_a, code="DUP")
    response = client.post(
        reverse("teams:person_create"), {"code": "DUP", "name": "重复", "birth_year": "19"}
    )
    errors = response.context["form"].errors
    assert errors["code"] == ["该人员编号已被使用。"] and errors["birth_year"] == [
        "出生年份须是四位数年份。"
    ]
    response = client.post(reverse("teams:person_create"), {"code": "NEW", "name": "新人"})
    new = Person.objects.get(code="NEW")
    assert new.street == cast.street_a
    client.post(reverse("teams:person_delete", args=[new.pk]))
    assert not Person.objects.filter(code="NEW").exists()
