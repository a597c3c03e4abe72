"""Nothing is lost: a finalised assessment never changes, records that runs or archives use
are not deleted, and every change is in the audit history with who made it.

Runs on SQLite (the default) and on PostgreSQL (DATABASE_URL).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.db.models import ProtectedError
from django.urls import reverse

from activities import services as activity_services
from activities.models import (
    Activity,
    ActivityCategory,
    ActivityScale,
    ActivityStatus,
    ArchiveFile,
    ArchiveSlot,
    Brand,
    BrandCategory,
)
from assessments import services
from assessments.models import (
    CommunityResult,
    FinalisedError,
    Indicator,
    IndicatorResult,
    Run,
    RunStatus,
)
from communities.models import Community, Deduction, Population, StarTarget
from facilities.models import Facility, FacilityKind, ProjectStatus, UpgradeProject
from reports.annual import annual_report_pdf
from teams.models import (
    Cadre,
    CadrePost,
    Certificate,
    InstructorLevel,
    Person,
    Team,
    TeamCategory,
    TeamHonour,
    Volunteer,
)
from tests import factories as f
from tests.reports.pdf_util import pdf_text, scored_street

pytestmark = pytest.mark.django_db

Y = 2014
CODES = [f"A{i}" for i in range(1, 12)] + [f"B{i}" for i in range(1, 10)]


def stored(run: Run) -> dict[str, Any]:
    """Everything a run holds, as plain values."""
    run = Run.objects.get(pk=run.pk)
    results = CommunityResult.objects.filter(run=run).order_by("community_id")
    indicators = IndicatorResult.objects.filter(result__run=run).order_by("result_id", "code")
    return {
        "run": [
            run.status,
            run.version,
            run.as_of,
            run.scheme_snapshot,
            run.complete,
            run.missing,
            run.finalised_at,
            run.finalised_by_id,
        ],
        "results": list(results.values()),
        "indicators": list(indicators.values()),
    }


def fresh_points(street) -> dict[tuple[int, str], Any]:
    """What the records give now: (community id, code) → points, plus the adjustments."""
    out: dict[tuple[int, str], Any] = {}
    for c in services.compute(street, Y).communities:
        out.update({(c.community_id, i.code): i.points for i in c.indicators})
        out.update(
            {(c.community_id, k): getattr(c, k) for k in ("bonus", "deduction", "veto", "total")}
        )
    return out


def extra_records(cast) -> dict[str, Any]:
    """What scored_street lacks: bonus, deductions, star targets, projects, a location."""
    return {
        "award": f.AwardFactory(community=cast.a1, year=Y, level="市级"),
        "target": f.StarTargetFactory(community=cast.a1, year=Y, stars=3),
        "project_done": f.UpgradeProjectFactory(
            community=cast.a1,
            planned_year=Y,
            status=ProjectStatus.DONE,
            completed_on=dt.date(Y, 6, 1),
        ),
        "project_open": f.UpgradeProjectFactory(
            community=cast.a2, planned_year=Y - 1, status=ProjectStatus.BUILDING
        ),
        "hall": f.FacilityFactory(
            community=cast.a2, kind=FacilityKind.AUDITORIUM, area=Decimal("260")
        ),
    }


def edit_every_kind(cast, extra: dict[str, Any]) -> None:
    """Edit, add and delete records of every kind an indicator, an adjustment or the report's
    street summary reads, so that a fresh computation changes for every indicator."""
    a1, a2 = cast.a1, cast.a2
    facilities = {x.kind: x for x in Facility.objects.filter(community=a1)}
    # A1 area, A2 rooms, A11/B2 the shared indoor room, B1 sets.
    Facility.objects.filter(pk=facilities[FacilityKind.CULTURE_ROOM].pk).update(area=Decimal(90))
    facilities[FacilityKind.READING_ROOM].delete()
    indoor = facilities[FacilityKind.INDOOR_SPORTS]
    indoor.status = "停用"
    indoor.save()
    fitness = facilities[FacilityKind.FITNESS_PATH]
    fitness.sets = 1
    fitness.save()
    extra["hall"].area = Decimal("20")
    extra["hall"].save()
    f.FacilityFactory(community=a2, kind=FacilityKind.FITNESS_PATH, area=None, sets=3)
    # A3 / B6 teams and honours.
    team = Team.objects.filter(community=a1, category=TeamCategory.CULTURE).first()
    team.dissolved_on = dt.date(Y, 3, 1)
    team.save()
    TeamHonour.objects.filter(
        team__community=a1, team__category=TeamCategory.SPORTS
    ).first().delete()
    f.TeamFactory(community=a2, category=TeamCategory.SPORTS)
    # A4–A6, A10, B7 activities: the workflow, content, dates, archive marks, deletes, adds.
    culture = Activity.objects.filter(community=a1, category=ActivityCategory.CULTURE)
    activity_services.activity_reopen(
        activity=culture.filter(is_exchange=False).last(), user=cast.street_staff, reason="资料不全"
    )
    Activity.objects.filter(
        pk=culture.filter(scale=ActivityScale.LARGE, is_exchange=False).first().pk
    ).update(scale=ActivityScale.SMALL)
    culture.filter(is_exchange=True).first().delete()
    Activity.objects.filter(pk=culture.filter(status=ActivityStatus.VERIFIED).last().pk).update(
        has_summary=False
    )
    sports = Activity.objects.filter(community=a1, category=ActivityCategory.SPORTS).first()
    sports.date = dt.date(Y - 1, 12, 30)
    sports.save()
    for i in range(4):
        f.ActivityFactory(
            community=a2,
            category=ActivityCategory.CULTURE,
            scale=ActivityScale.MEDIUM,
            date=dt.date(Y, 9, 1 + i),
        )
    # A7 / B8 brands.
    Brand.objects.filter(community=a1, category=BrandCategory.CULTURE).update(revoked_year=Y)
    Brand.objects.filter(community=a1, category=BrandCategory.SPORTS).delete()
    f.BrandFactory(community=a2, category=BrandCategory.SPORTS)
    # A8 volunteers, B3/B4 instructors, A9/B5 cadres; P is the population.
    volunteer = Volunteer.objects.filter(community=a1).first()
    volunteer.left_on = dt.date(Y, 6, 1)
    volunteer.save()
    f.VolunteerFactory(community=a2)
    Certificate.objects.filter(community=a1).update(level=InstructorLevel.THIRD)
    f.CertificateFactory(community=a2, level=InstructorLevel.NATIONAL)
    Cadre.objects.filter(community=a1, post=CadrePost.COMMITTEE).update(left_on=dt.date(Y, 9, 1))
    Cadre.objects.filter(community=a1, post=CadrePost.MANAGER).update(
        appointed_on=dt.date(Y - 3, 1, 1)
    )
    Population.objects.filter(community=a2, year=Y).update(residents=800)
    population = Population.objects.get(community=a1, year=Y)
    population.residents = 1000
    population.save()
    # B9 stars, the bonus, deductions and the veto.
    StarTarget.objects.filter(pk=extra["target"].pk).update(stars=5)
    f.StarRatingFactory(community=a2, year=Y, stars=4)
    extra["award"].delete()
    f.AwardFactory(community=a2, year=Y, level="国家级")
    Deduction.objects.filter(community=a2).update(points=Decimal("4"))
    f.DeductionFactory(community=a1, year=Y, points=Decimal("2"), veto=True)
    # The report's street summary (提升工程), the community's name, and the scheme itself.
    extra["project_done"].status = ProjectStatus.BUILDING
    extra["project_done"].save()
    extra["project_open"].delete()
    f.UpgradeProjectFactory(community=a1, planned_year=Y, status=ProjectStatus.PLANNED)
    Community.objects.filter(pk=a2.pk).update(name="甲二社区（已更名）")
    Indicator.objects.filter(scheme__street=cast.street_a, scheme__year=Y, code="A1").update(
        points=Decimal("20")
    )


def test_a_finalised_assessment_never_changes(cast):
    extra = extra_records(cast)
    run = scored_street(cast, finalise=True)
    assert run.status == RunStatus.FINAL
    before = stored(run)
    before_fresh = fresh_points(cast.street_a)
    pdf = annual_report_pdf(run=run)
    text = pdf_text(pdf)

    edit_every_kind(cast, extra)

    after_fresh = fresh_points(cast.street_a)
    changed = {code for (cid, code), v in after_fresh.items() if before_fresh[cid, code] != v}
    # The edits matter: the records now give other points for every indicator …
    assert set(CODES) | {"bonus", "deduction", "veto"} <= changed
    # … and the finalised run, its report and its PDF are exactly what they were.
    assert stored(run) == before
    again = annual_report_pdf(run=run)
    assert pdf_text(again) == text
    # WeasyPrint writes no creation date: the same run gives the same bytes.
    assert again == pdf
    assert "甲二社区（已更名）" not in text


def test_a_finalised_run_cannot_be_changed_or_deleted(cast):
    run = scored_street(cast, finalise=True)
    before = stored(run)
    for attempt in (
        run.delete,
        Run.objects.filter(pk=run.pk).delete,
        lambda: Run.objects.filter(pk=run.pk).update(year=2015),
        lambda: CommunityResult.objects.filter(run=run).delete(),
        lambda: CommunityResult.objects.filter(run=run).update(total=Decimal(200)),
        lambda: IndicatorResult.objects.filter(result__run=run).update(points=Decimal(0)),
        lambda: CommunityResult.objects.filter(run=run).first().delete(),
    ):
        with pytest.raises(FinalisedError):
            attempt()
    result = CommunityResult.objects.filter(run=run).first()
    result.total = Decimal("1")
    with pytest.raises(FinalisedError):
        result.save()
    with pytest.raises(FinalisedError):
        services.finalise_run(run=run, user=cast.street_admin)
    assert stored(run) == before


# ------------------------------------------------------------------ deletes


def test_a_community_used_by_a_run_cannot_be_deleted(cast):
    # Only a population row (which would cascade): the run's results are what hold it.
    community = f.CommunityFactory(street=cast.street_a, name="甲三社区")
    f.PopulationFactory(community=community, year=Y)
    f.PopulationFactory(community=cast.a1, year=Y)
    f.PopulationFactory(community=cast.a2, year=Y)
    run = services.run_assessment(street=cast.street_a, year=Y, user=cast.street_staff)
    with pytest.raises(ProtectedError):
        community.delete()
    assert Community.objects.filter(pk=community.pk).exists()
    assert Population.objects.filter(community=community).exists()
    assert run.results.filter(community=community).exists()
    # And one with records that archives use, without any run.
    f.FacilityFactory(community=cast.b1)
    with pytest.raises(ProtectedError):
        cast.b1.delete()


def test_a_facility_used_as_an_activity_location_is_not_deleted(cast, login):
    hall = f.FacilityFactory(community=cast.a1, name="文化礼堂")
    activity = f.ActivityFactory(community=cast.a1, location=hall)
    page = (
        login(cast.street_staff)
        .post(reverse("facilities:delete", args=[hall.pk]), follow=True)
        .content.decode()
    )
    assert "已有 1 次活动以该设施为活动地点" in page
    assert Facility.objects.filter(pk=hall.pk).exists()
    activity.refresh_from_db()
    assert activity.location_id == hall.pk


def test_a_facility_used_as_a_location_is_not_deleted_in_the_admin_either(staff, as_user):
    cast = staff
    client = as_user(cast.street_staff)
    hall = f.FacilityFactory(community=cast.a1, name="文化礼堂")
    activity = f.ActivityFactory(community=cast.a1, location=hall)
    url = reverse("admin:facilities_facility_delete", args=[hall.pk])
    page = client.get(url).content.decode()
    assert activity.name in page  # named as what blocks the deletion
    client.post(url, {"post": "yes"})
    assert Facility.objects.filter(pk=hall.pk).exists()
    # The changelist's bulk "delete selected" action is refused the same way.
    client.post(
        reverse("admin:facilities_facility_changelist"),
        {"action": "delete_selected", "_selected_action": [hall.pk], "post": "yes"},
    )
    assert Facility.objects.filter(pk=hall.pk).exists()
    activity.refresh_from_db()
    assert activity.location_id == hall.pk


def test_a_person_with_certificates_is_not_deleted(cast, login):
    certificate = f.CertificateFactory(community=cast.a1)
    person = certificate.person
    page = (
        login(cast.street_staff)
        .post(reverse("teams:person_delete", args=[person.pk]), follow=True)
        .content.decode()
    )
    assert "该人员持有指导员证书记录" in page
    with pytest.raises(ProtectedError):
        Person.objects.get(pk=person.pk).delete()
    assert Certificate.objects.filter(pk=certificate.pk, person=person).exists()


def test_an_activity_with_archive_files_is_not_deleted(cast):
    activity = f.ActivityFactory(community=cast.a1, status=ActivityStatus.DRAFT)
    archive = ArchiveFile(
        activity=activity,
        slot=ArchiveSlot.PLAN,
        original_name="计划.pdf",
        content_type="application/pdf",
        size=9,
        uploaded_by=cast.cadre_a1,
    )
    archive.file.save("plan.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    with pytest.raises(ProtectedError):
        activity.delete()
    with pytest.raises(ProtectedError):
        Activity.objects.filter(pk=activity.pk).delete()
    assert ArchiveFile.objects.filter(activity=activity).count() == 1
    # Taking a file out of the archive keeps the stored bytes (the history row points at them).
    name = archive.file.name
    activity_services.archive_detach(archive_file=archive, user=cast.cadre_a1)
    assert not ArchiveFile.objects.filter(pk=archive.pk).exists()
    assert archive.file.storage.open(name).read() == b"%PDF-1.4\n"
    assert ArchiveFile.history.filter(id=archive.pk, history_type="-").exists()


# ------------------------------------------------------------------ audit history


def test_an_edit_on_a_portal_page_is_in_the_history_with_who_and_what(cast, login):
    facility = f.FacilityFactory(community=cast.a1, name="文化活动室", area=Decimal("120"))
    form = {
        "community": cast.a1.pk,
        "name": "文化活动室",
        "kind": "文化活动室",
        "area": "180",
        "sets": "0",
        "status": "在用",
        "opened_on": "2012-01-01",
        "ownership": "自有",
        "partner_unit": "",
        "note": "",
    }
    response = login(cast.cadre_a1).post(reverse("facilities:update", args=[facility.pk]), form)
    assert response.status_code == 302
    latest, previous = facility.history.order_by("-history_id")[:2]
    assert latest.history_user == cast.cadre_a1
    assert latest.history_type == "~"
    changes = {c.field: (c.old, c.new) for c in latest.diff_against(previous).changes}
    assert changes == {"area": (Decimal("120.00"), Decimal("180.00"))}


def test_a_delete_on_a_portal_page_is_in_the_history_with_who(cast, login):
    project = f.UpgradeProjectFactory(community=cast.a1, name="广场改造")
    login(cast.street_staff).post(reverse("facilities:project_delete", args=[project.pk]))
    assert not UpgradeProject.objects.filter(pk=project.pk).exists()
    gone = UpgradeProject.history.get(id=project.pk, history_type="-")
    assert (gone.history_user, gone.name) == (cast.street_staff, "广场改造")


def test_a_workflow_step_on_a_page_is_in_the_history_and_the_log(cast, login):
    activity = f.ActivityFactory(community=cast.a1, status=ActivityStatus.PENDING)
    login(cast.street_staff).post(
        reverse("activities:return", args=[activity.pk]), {"reason": "缺少照片"}
    )
    latest, previous = activity.history.order_by("-history_id")[:2]
    assert latest.history_user == cast.street_staff
    changes = {c.field: c.new for c in latest.diff_against(previous).changes}
    assert changes["status"] == ActivityStatus.RETURNED
    assert changes["return_reason"] == "缺少照片"
    step = activity.transitions.get()
    assert (step.by, step.to_status, step.reason) == (cast.street_staff, "returned", "缺少照片")


def test_records_have_audit_history():
    from django.apps import apps

    project_models = [
        m
        for app in ("communities", "facilities", "teams", "activities", "assessments")
        for m in apps.get_app_config(app).get_models()
        if not m.__name__.startswith("Historical")
    ]
    without = [m.__name__ for m in project_models if not hasattr(m, "history")]
    # The workflow log is itself a log; partner links follow their activity's history;
    # stored results are frozen with their run; a district's published scheme is a frozen
    # copy that nothing edits (services refuse). District, Street and Grid have none
    # (reported: renaming a district or a street is not audited). A street's data version is
    # a counter the writes raise (communities/versions.py), not a record.
    assert set(without) <= {
        "StreetDataVersion",
        "ActivityTransition",
        "ActivityPartner",
        "CommunityResult",
        "IndicatorResult",
        "PublishedScheme",
        "Grid",
        "Street",
        "District",
    }, without
