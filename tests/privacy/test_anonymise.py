"""PIPL art. 47: a person who left is anonymised on request; finalised assessments and
their PDFs stay exactly as they were."""

import datetime as dt

import pytest
from django.urls import reverse

from assessments import services as assessment_services
from assessments.models import CommunityResult, IndicatorResult
from privacy.models import Anonymisation
from privacy.rules import ANONYMOUS_NAME
from reports import annual, notices
from security_log.models import Event, Result, SecurityEvent
from teams.models import Person, Volunteer
from tests.reports.pdf_util import Y, pdf_text, scored_street

pytestmark = pytest.mark.django_db


def anonymise(client, person, reason="本人书面申请删除"):
    return client.post(reverse("privacy:anonymise", args=[person.pk]), {"reason": reason})


def test_a_person_who_left_is_anonymised_with_history_and_logged(login, cast, leaver):
    old_name, old_phone = leaver.name, leaver.phone
    leaver.phone = "13700008888"  # an earlier number, now only in the history
    leaver.save()
    client = login(cast.street_admin)
    page = client.get(reverse("privacy:anonymise", args=[leaver.pk])).content.decode()
    assert "2015-06-30" in page and "匿名化" in page

    response = anonymise(client, leaver)
    assert response.status_code == 302
    leaver.refresh_from_db()
    assert (leaver.name, leaver.phone) == (ANONYMOUS_NAME, "")
    assert not Person.history.filter(name=old_name).exists()
    assert not Person.history.filter(phone__in=[old_phone, "13700008888"]).exists()
    assert Anonymisation.objects.get(person=leaver).done_by == cast.street_admin
    entry = SecurityEvent.objects.get(event=Event.ANONYMISE)
    assert entry.details == {
        "record": "teams.person",
        "id": leaver.pk,
        "reason": "本人书面申请删除",
    }
    # The ties stay: the person is still the volunteer of 甲一 who served until 2015.
    assert Volunteer.objects.get(person=leaver).left_on == dt.date(2015, 6, 30)
    # Done once.
    assert "已匿名化" in client.get(reverse("privacy:anonymise", args=[leaver.pk])).content.decode()
    detail = client.get(reverse("teams:person_detail", args=[leaver.pk])).content.decode()
    assert old_name not in detail and reverse("privacy:anonymise", args=[leaver.pk]) not in detail


def test_an_active_person_is_not_anonymised(login, cast, member):
    client = login(cast.street_admin)
    response = anonymise(client, member)
    assert response.status_code == 200 and "不能匿名化" in response.content.decode()
    member.refresh_from_db()
    assert member.name == "王秀英"
    assert not SecurityEvent.objects.filter(event=Event.ANONYMISE).exists()


def test_anonymising_needs_a_reason(login, cast, leaver):
    client = login(cast.street_admin)
    response = anonymise(client, leaver, reason="")
    assert response.status_code == 200 and "请说明原因" in response.content.decode()
    leaver.refresh_from_db()
    assert leaver.name == "李建国"


@pytest.mark.parametrize("role", ["street_staff", "leader", "cadre_a1"])
def test_only_the_roles_of_the_setting_anonymise(login, cast, leaver, role):
    client = login(getattr(cast, role))
    response = anonymise(client, leaver)
    assert response.status_code == 403
    leaver.refresh_from_db()
    assert leaver.name == "李建国"
    entry = SecurityEvent.objects.get(event=Event.ANONYMISE)
    assert entry.result == Result.REFUSED


def test_finalised_assessments_and_their_pdfs_are_unchanged(login, cast):
    """The 2014 run counts three volunteers of 甲一; one of them leaves in 2015 and asks to
    be erased. The frozen rows, the annual report and the notice read exactly as before,
    and a new 2014 run still counts the same."""
    run = scored_street(cast)
    volunteer = Volunteer.objects.filter(community=cast.a1).select_related("person").first()
    Volunteer.objects.filter(pk=volunteer.pk).update(left_on=dt.date(Y + 1, 6, 30))
    person = volunteer.person
    name = person.name

    def frozen():
        return (
            list(CommunityResult.objects.filter(run=run).order_by("pk").values()),
            list(IndicatorResult.objects.filter(result__run=run).order_by("pk").values()),
        )

    rows_before = frozen()
    annual_before = pdf_text(annual.annual_report_pdf(run=run))
    notice_before = pdf_text(notices.notice_pdf(run=run, community=cast.a1))
    counted = assessment_services.compute(cast.street_a, Y).communities

    client = login(cast.street_admin)
    assert anonymise(client, person).status_code == 302
    person.refresh_from_db()
    assert person.name == ANONYMOUS_NAME and person.name != name

    assert frozen() == rows_before
    assert pdf_text(annual.annual_report_pdf(run=run)) == annual_before
    assert pdf_text(notices.notice_pdf(run=run, community=cast.a1)) == notice_before
    now = assessment_services.compute(cast.street_a, Y).communities
    assert [c.total for c in now] == [c.total for c in counted]
    volunteers = [r for r in rows_before[1] if r["evidence"].get("model") == "teams.volunteer"]
    assert volunteers and any(volunteer.pk in r["evidence"]["ids"] for r in volunteers)
