"""Who has left, and the street admin's review of persons past the retention period."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from privacy import selectors
from privacy.models import Anonymisation
from teams.models import Person
from tests import factories as f

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def people(cast):
    """One person for each way of being tied, active or ended."""
    a1, street = cast.a1, cast.street_a
    p = lambda name: f.PersonFactory(street=street, name=name)  # noqa: E731
    made = {
        "member": f.TeamMemberFactory(team=f.TeamFactory(community=a1), person=p("在队")).person,
        "dissolved": f.TeamMemberFactory(
            team=f.TeamFactory(community=a1, founded_on=D(2010, 1, 1), dissolved_on=D(2018, 5, 1)),
            person=p("队散"),
        ).person,
        "volunteer": f.VolunteerFactory(community=a1, person=p("在册"), left_on=None).person,
        "volunteer_left": f.VolunteerFactory(
            community=a1, person=p("退志"), registered_on=D(2015, 1, 1), left_on=D(2020, 3, 1)
        ).person,
        "instructor": f.CertificateFactory(
            community=a1, person=p("持证"), issued_on=D(2020, 1, 1), expires_on=None
        ).person,
        "expired": f.CertificateFactory(
            community=a1, person=p("过期"), issued_on=D(2010, 1, 1), expires_on=D(2019, 1, 1)
        ).person,
        "cadre": f.CadreFactory(community=a1, person=p("在任"), appointed_on=D(2020, 1, 1)).person,
        "cadre_left": f.CadreFactory(
            community=a1, person=p("离任"), appointed_on=D(2015, 1, 1), left_on=D(2024, 6, 1)
        ).person,
        "leaves_soon": f.VolunteerFactory(
            community=a1,
            person=p("将退"),
            registered_on=D(2015, 1, 1),
            left_on=timezone.localdate() + dt.timedelta(days=30),
        ).person,
        "untied": p("无关联"),
    }
    # Two ties, one ended and one not: still active.
    f.VolunteerFactory(community=a1, person=made["expired"], left_on=None)
    return made


def test_the_database_and_the_rule_agree_on_who_left(people):
    annotated = dict(
        selectors.with_left_on(Person.objects.all(), timezone.localdate()).values_list(
            "pk", "left_on"
        )
    )
    for key, person in people.items():
        assert annotated.get(person.pk) == selectors.person_left_on(person, timezone.localdate()), (
            key
        )
    assert {k for k, p in people.items() if p.pk in annotated} == {
        "dissolved",
        "volunteer_left",
        "cadre_left",
        "untied",
    }
    assert annotated[people["dissolved"].pk] == D(2018, 5, 1)
    assert annotated[people["untied"].pk] == timezone.localdate()


def test_the_review_lists_those_past_the_setting(login, cast, people, settings):
    # A cut-off on 2020-01-01: of those who left, only the team dissolved on 2018-05-01.
    settings.PIPL_RETENTION_DAYS = (timezone.localdate() - D(2020, 1, 1)).days
    client = login(cast.street_admin)
    page = client.get(reverse("privacy:retention")).content.decode()
    names = ("队散", "退志", "离任", "无关联", "在队", "在册", "将退")
    assert {n for n in names if n in page} == {"队散"}

    settings.PIPL_RETENTION_DAYS = 0
    page = client.get(reverse("privacy:retention")).content.decode()
    assert {n for n in names if n in page} == {"队散", "退志", "离任", "无关联"}


def test_anonymised_persons_leave_the_review(login, cast, people, settings):
    settings.PIPL_RETENTION_DAYS = 0
    Anonymisation.objects.create(person=people["cadre_left"], done_by=cast.street_admin)
    page = login(cast.street_admin).get(reverse("privacy:retention")).content.decode()
    assert "队散" in page and "离任" not in page


def test_the_review_exports_to_excel_without_phones(login, cast, people, settings):
    settings.PIPL_RETENTION_DAYS = 0
    response = login(cast.street_admin).get(reverse("privacy:retention") + "?export=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxml")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0] == ("人员编号", "姓名", "街道", "退出日期", "已退出天数")
    assert sorted(r[1] for r in rows[1:]) == sorted(["队散", "退志", "离任", "无关联"])
    assert not any("1380000" in str(c) for r in rows for c in r)


@pytest.mark.parametrize("role", ["street_staff", "leader", "cadre_a1"])
def test_only_street_admins_review(login, cast, role):
    assert login(getattr(cast, role)).get(reverse("privacy:retention")).status_code == 403


def test_another_streets_admin_sees_none_of_these(login, cast, people, settings):
    settings.PIPL_RETENTION_DAYS = 0
    other = f.UserFactory(username="yi_admin")
    f.MembershipFactory(user=other, role="street_admin", street=cast.street_b)
    page = login(other).get(reverse("privacy:retention")).content.decode()
    assert "队散" not in page and "没有超过保存期限的人员" in page


def test_the_person_list_leads_street_admins_to_the_review(login, cast):
    link = reverse("privacy:retention")
    assert link in login(cast.street_admin).get(reverse("teams:person_list")).content.decode()
    assert link not in login(cast.street_staff).get(reverse("teams:person_list")).content.decode()
