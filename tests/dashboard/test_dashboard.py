"""The dashboard's data (the dashboard app, assessments.alerts) against hand-made records."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from fractions import Fraction
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone

from activities.models import Activity, ActivityStatus
from assessments import alerts, default_scheme, pace, services
from dashboard.build import build as build_dashboard
from dashboard.period import period_of
from facilities.models import FacilityKind, ProjectStatus
from reports import annual
from teams.models import CadrePost, InstructorLevel, TeamCategory
from tests import factories as f

from .conftest import MID, Y, add_communities, populate

TODAY = dt.date(2026, 11, 22)


def build(street, user, as_of=MID, **kwargs):
    return build_dashboard(street, period_of(Y, TODAY, as_of), user, **kwargs)


# --- period ------------------------------------------------------------------------------------


def test_period_defaults_and_bad_input():
    running = period_of(2026, TODAY)
    assert running.as_of == TODAY and running.provisional
    past = period_of(2014, TODAY)
    assert past.as_of == dt.date(2014, 12, 31) and not past.provisional and past.share == 1
    assert period_of(2014, TODAY, MID).share == Fraction(183, 365)
    with pytest.raises(ValueError, match="尚未开始"):
        period_of(2027, TODAY)
    with pytest.raises(ValueError, match="不在 2014 年内"):
        period_of(2014, TODAY, dt.date(2015, 1, 1))


# --- agreement with the engine -----------------------------------------------------------------


@pytest.mark.parametrize("as_of", [MID, dt.date(2014, 12, 31), dt.date(2014, 1, 1)])
def test_points_per_community_agree_with_assess(cast, as_of):
    for k, community in enumerate((cast.a1, cast.a2)):
        populate(community, k)
    add_communities(cast.street_a, 2, 2)
    dash = build(cast.street_a, cast.street_staff, as_of=as_of)
    expected = services.compute(cast.street_a, Y, as_of)

    def points(rows):
        return {r.community_id: {c.code: c.points for c in r.cells} for r in rows}

    assert points(dash.rows) == {
        o.community_id: {i.code: i.points for i in o.indicators} for o in expected.communities
    }
    assert {r.name: r.total for r in dash.rows} == {o.name: o.total for o in expected.communities}

    out = StringIO()
    call_command(
        "assess",
        "--street",
        cast.street_a.name,
        "--year",
        str(Y),
        "--as-of",
        as_of.isoformat(),
        "--json",
        stdout=out,
    )
    printed = json.loads(out.getvalue())
    by_name = {c["community"]: c for c in printed["communities"]}
    for row in dash.rows:
        assert {c.code: float(c.points) for c in row.cells} == by_name[row.name]["indicators"]
        assert float(row.total) == by_name[row.name]["total"]
        assert row.rank == by_name[row.name]["rank"]


def test_community_dashboard_is_the_street_computation_for_one(cast):
    populate(cast.a1, 0)
    populate(cast.a2, 1)
    street = build(cast.street_a, cast.street_staff)
    one = build(cast.street_a, cast.cadre_a1, community=cast.a1)
    assert [r.community_id for r in one.rows] == [cast.a1.pk]
    mine = next(r for r in street.rows if r.community_id == cast.a1.pk)
    assert [(c.code, c.points, c.gap) for c in one.row.cells] == [
        (c.code, c.points, c.gap) for c in mine.cells
    ]
    assert one.row.rank == mine.rank
    assert {a.community_id for a in one.alerts} <= {cast.a1.pk}
    assert one.targets == []


def test_monthly_counts_are_the_engines_counted_activities(cast):
    populate(cast.a1, 2)
    dash = build(cast.street_a, cast.street_staff, as_of=dt.date(2014, 12, 31))
    row = next(r for r in dash.rows if r.community_id == cast.a1.pk)
    a10 = next(c for c in row.cells if c.code == "A10")
    outcome = next(
        i
        for o in services.compute(cast.street_a, Y).communities
        if o.community_id == cast.a1.pk
        for i in o.indicators
        if i.code == "A10"
    )
    # A10's denominator is every counted activity, culture and sports.
    assert row.counted == outcome.detail["total"] == 7
    assert a10.points == outcome.points
    assert row.pending == 1


# --- street targets ----------------------------------------------------------------------------


def test_plan_targets(cast):
    a3 = f.CommunityFactory(street=cast.street_a, name="甲三社区")
    places = (cast.a1, cast.a2, a3)
    for c, area in zip(places, (200, 150, 250), strict=True):
        f.PopulationFactory(community=c, year=Y, residents=1000)
        f.FacilityFactory(community=c, kind=FacilityKind.CULTURE_ROOM, area=Decimal(area))
    for c, target, stars in zip(places, (4, 3, 3), (4, 3, 2), strict=True):
        f.StarTargetFactory(community=c, year=Y, stars=target)
        f.StarRatingFactory(community=c, year=Y, stars=stars)
    for _ in range(5):
        f.CertificateFactory(community=cast.a1)
    f.CertificateFactory(community=cast.a1, level=InstructorLevel.FIRST)
    for _ in range(9):
        f.CertificateFactory(community=cast.a2)
    # An expired certificate and one issued after the date do not count.
    f.CertificateFactory(community=a3, expires_on=dt.date(2014, 3, 1))
    f.CertificateFactory(community=a3, issued_on=dt.date(2014, 9, 1))
    for category in (TeamCategory.CULTURE, TeamCategory.SPORTS):
        for _ in range(5):
            f.TeamFactory(community=cast.a1, category=category)
    f.TeamFactory(community=cast.a2, category=TeamCategory.CULTURE)
    for c, n in zip(places, (30, 40, 20), strict=True):
        for _ in range(n):
            f.VolunteerFactory(community=c)
    f.UpgradeProjectFactory(
        community=cast.a1,
        planned_year=Y,
        status=ProjectStatus.DONE,
        completed_on=dt.date(2014, 5, 1),
    )
    f.UpgradeProjectFactory(
        community=cast.a2,
        planned_year=Y,
        status=ProjectStatus.DONE,
        completed_on=dt.date(2014, 10, 1),
    )
    f.UpgradeProjectFactory(community=a3, planned_year=Y + 1)

    dash = build(cast.street_a, cast.street_staff)
    # The same lines as the annual report computed at the same date: one implementation.
    assert dash.targets == annual.build_provisional(cast.street_a, Y, MID).summary
    lines = {t.item: t for t in dash.targets}
    room = lines["建有200㎡以上文化活动室的社区"]
    assert (room.actual, room.target, room.met) == ("2/3个（66.7%）", "≥90%", False)
    assert "甲二社区" in room.note
    per_k = lines["每千人社会体育指导员（街道合计）"]
    assert (per_k.actual, per_k.met) == ("5名（15名/3000人）", True)
    assert lines["有1名以上一级指导员的社区"].actual == "1/3个社区"
    assert lines["文化团队≥5支的社区"].actual == "1/3个社区"
    vol = lines["文体志愿者占常住人口（街道合计）"]
    assert (vol.actual, vol.met) == ("3.00%（90名/3000人）", True)
    four = lines["四星级社区"]
    assert (four.target, four.met) == ("1个", True)
    three = lines["三星级社区"]
    assert (three.target, three.met) == ("2个", False)
    # Done in October: after the as-of date of 2 July it is not done yet.
    projects = lines["文体设施提升工程（计划2014年及以前）"]
    assert (projects.actual, projects.met) == ("按期完成1项，未完成1项", False)
    statuses = {line.item: status for line, status in dash.target_rows}
    assert statuses["四星级社区"] == pace.MET and statuses["三星级社区"] == pace.BEHIND


# --- pace --------------------------------------------------------------------------------------


def test_pace_of_a_community_behind(cast):
    f.PopulationFactory(community=cast.a1, year=Y, residents=1000)
    for m in (1, 2, 3):
        f.ActivityFactory(community=cast.a1, date=dt.date(Y, m, 1))
    # Not counted: pending, and one dated after the as-of date.
    f.ActivityFactory(community=cast.a1, date=dt.date(Y, 3, 2), status=ActivityStatus.PENDING)
    f.ActivityFactory(community=cast.a1, date=dt.date(Y, 8, 1))
    f.PopulationFactory(community=cast.a2, year=Y, residents=1000)
    # 7 by 2 July: ahead of the 6 due (12 × 183/365 = 6.02).
    for m in range(1, 8):
        f.ActivityFactory(community=cast.a2, date=dt.date(Y, m, 1))
    dash = build(cast.street_a, cast.street_staff)
    rows = {r.community_id: r for r in dash.rows}
    a4 = next(p for p in rows[cast.a1.pk].pace if p.code == "A4")
    assert a4.value == "3" and a4.target == "12"
    assert a4.pace.expected == Fraction(12 * 183, 365) and a4.expected == "6"
    assert a4.status == pace.BEHIND and a4.behind_by == "3"
    # 9 missing in 12 × 182/365 months: 1.504… a month.
    assert a4.advice == "每月还需 1.5 次"
    on = next(p for p in rows[cast.a2.pk].pace if p.code == "A4")
    assert on.status == pace.ON_PACE and on.behind_by == ""
    cells = {c.code: c for c in rows[cast.a2.pk].cells}
    assert cells["A4"].status == pace.ON_PACE
    assert cells["A1"].status == pace.BEHIND  # a room does not grow with the year
    assert cells["B9"].status == pace.PENDING  # not rated yet while the year runs
    assert [c.code for c in dash.pace_columns] == ["A4", "A5", "A6", "B7"]
    behind = {r.community_id: [p.code for p in r.behind] for r in dash.behind}
    assert behind == {cast.a1.pk: ["A4", "A5", "A6", "B7"], cast.a2.pk: ["A5", "A6", "B7"]}
    # The same year seen at its end judges the full target.
    final = build(cast.street_a, cast.street_staff, as_of=dt.date(2014, 12, 31))
    row = next(r for r in final.rows if r.community_id == cast.a2.pk)
    assert {c.code: c.status for c in row.cells}["B9"] == pace.BEHIND
    assert next(p for p in row.pace if p.code == "A4").advice == "全年还差 5 次"


# --- alerts ------------------------------------------------------------------------------------


def _kinds(found, kind):
    return [a for a in found if a.kind == kind]


def test_waiting_activities(cast):
    f.PopulationFactory(community=cast.a1, year=Y, residents=1000)
    now = timezone.now()
    late = f.ActivityFactory(
        community=cast.a1,
        status=ActivityStatus.PENDING,
        submitted_at=now - dt.timedelta(days=8),
        name="等了八天",
    )
    f.ActivityFactory(
        community=cast.a1,
        status=ActivityStatus.PENDING,
        submitted_at=now - dt.timedelta(days=6),
        name="等了六天",
    )
    # No submitted_at (imported as 待审核): when it was recorded. (Rows submitted before
    # submitted_at existed were stamped from their log by activities 0006.)
    by_created = f.ActivityFactory(community=cast.a1, status=ActivityStatus.PENDING, name="按录入")
    Activity.objects.filter(pk=by_created.pk).update(created_at=now - dt.timedelta(days=30))
    # Verified long ago, and another street's pending activity: no alert here.
    f.ActivityFactory(community=cast.a1, submitted_at=now - dt.timedelta(days=90))
    f.ActivityFactory(
        community=cast.b1, status=ActivityStatus.PENDING, submitted_at=now - dt.timedelta(days=90)
    )

    found = _kinds(build(cast.street_a, cast.street_staff).alerts, alerts.WAITING)
    assert {a.subject.split(" ", 1)[1] for a in found} == {"等了八天", "按录入"}
    first = next(a for a in found if a.subject.endswith("等了八天"))
    assert first.url == reverse("activities:detail", args=[late.pk])
    assert "已等待 8 天" in first.message and first.severity == alerts.WARN
    assert next(a for a in found if a.subject.endswith("按录入")).severity == alerts.BAD


def test_cadre_certificate_deadlines_follow_the_scheme(cast):
    f.PopulationFactory(community=cast.a1, year=Y, residents=1000)
    # In office since 2013-08-01: 三级 due 2014-08-01, 30 days after the as-of date.
    due = f.CadreFactory(
        community=cast.a1, post=CadrePost.MANAGER, appointed_on=dt.date(2013, 8, 1)
    )
    # Since 2011-05-01: 一级 was due 2014-05-01, only 三级 held.
    overdue = f.CadreFactory(
        community=cast.a1, post=CadrePost.COMMITTEE, appointed_on=dt.date(2011, 5, 1)
    )
    f.CertificateFactory(community=cast.a1, person=overdue.person, issued_on=dt.date(2012, 1, 1))
    # Holds 一级 already: nothing to say.
    fine = f.CadreFactory(community=cast.a1, appointed_on=dt.date(2010, 1, 1))
    f.CertificateFactory(
        community=cast.a1,
        person=fine.person,
        level=InstructorLevel.FIRST,
        issued_on=dt.date(2012, 1, 1),
    )
    # Far from any deadline.
    f.CadreFactory(community=cast.a1, appointed_on=dt.date(2014, 6, 1))
    as_of = dt.date(2014, 7, 2)

    found = _kinds(build(cast.street_a, cast.street_staff, as_of=as_of).alerts, alerts.CERTIFICATE)
    by_pk = {a.url: a for a in found}
    assert set(by_pk) == {
        reverse("teams:cadre_detail", args=[due.pk]),
        reverse("teams:cadre_detail", args=[overdue.pk]),
    }
    soon = by_pk[reverse("teams:cadre_detail", args=[due.pk])]
    assert soon.severity == alerts.WARN
    assert soon.message == "须于 2014-08-01 前取得三级及以上社会体育指导员证书（还剩 30 天）"
    late = by_pk[reverse("teams:cadre_detail", args=[overdue.pk])]
    assert late.severity == alerts.BAD
    assert late.message == "任职满3年须持一级及以上社会体育指导员证书，期限 2014-05-01 已过 62 天"

    # The street's scheme for the year moves the deadlines: 2 and 4 years.
    scheme = default_scheme.ensure_scheme(cast.street_a, Y)
    scheme.cadre_basic_years, scheme.cadre_senior_years = 2, 4
    scheme.save()
    found = _kinds(build(cast.street_a, cast.street_staff, as_of=as_of).alerts, alerts.CERTIFICATE)
    assert found == []


def test_certificate_about_to_lapse(cast):
    f.PopulationFactory(community=cast.a1, year=Y, residents=1000)
    cadre = f.CadreFactory(community=cast.a1, appointed_on=dt.date(2012, 1, 1))
    f.CertificateFactory(
        community=cast.a1,
        person=cadre.person,
        issued_on=dt.date(2012, 6, 1),
        expires_on=dt.date(2014, 8, 15),
    )
    found = _kinds(build(cast.street_a, cast.street_staff).alerts, alerts.CERTIFICATE)
    assert [a.message for a in found] == ["所持三级及以上证书将在60天内失效，须及时续证"]


def test_upgrade_projects_and_population(cast):
    f.PopulationFactory(community=cast.a1, year=Y, residents=1000)
    f.PopulationFactory(community=cast.a2, year=Y - 1, residents=800)
    old = f.UpgradeProjectFactory(
        community=cast.a1, planned_year=2013, status=ProjectStatus.BUILDING, name="旧工程"
    )
    this = f.UpgradeProjectFactory(community=cast.a1, planned_year=Y, name="今年工程")
    f.UpgradeProjectFactory(
        community=cast.a1,
        planned_year=2013,
        status=ProjectStatus.DONE,
        completed_on=dt.date(2013, 11, 1),
        name="已完成",
    )
    f.UpgradeProjectFactory(community=cast.a1, planned_year=Y + 1, name="明年工程")
    a3 = f.CommunityFactory(street=cast.street_a, name="甲三社区")

    found = build(cast.street_a, cast.street_staff).alerts
    projects = {a.subject: a for a in _kinds(found, alerts.UPGRADE)}
    assert set(projects) == {"旧工程", "今年工程"}
    assert projects["旧工程"].severity == alerts.BAD
    assert projects["旧工程"].url == reverse("facilities:project_detail", args=[old.pk])
    assert projects["今年工程"].severity == alerts.WARN
    assert projects["今年工程"].url == reverse("facilities:project_detail", args=[this.pk])
    people = {a.community: a for a in _kinds(found, alerts.POPULATION)}
    assert set(people) == {"甲二社区", "甲三社区"}
    assert people["甲二社区"].message == "没有 2014 年的常住人口，考核沿用 2013 年的 800 人"
    assert people["甲三社区"].severity == alerts.BAD
    # Street staff are not admin users in the cast: no link to a page they cannot open.
    assert people["甲三社区"].url == ""
    cast.street_staff.is_staff = True
    assert _kinds(
        alerts.collect(ctx=_ctx(cast, a3), names={a3.pk: a3.name}, user=cast.street_staff),
        alerts.POPULATION,
    )[0].url == reverse("admin:communities_community_change", args=[a3.pk])
    # At the end of 2014, this year's project is late too.
    end = build(cast.street_a, cast.street_staff, as_of=dt.date(2014, 12, 31)).alerts
    assert {a.subject: a.severity for a in _kinds(end, alerts.UPGRADE)}["今年工程"] == alerts.BAD


def _ctx(cast, community):
    from assessments import metrics

    return metrics.MetricContext((community.pk,), Y, MID)


@override_settings(ROOT_URLCONF="tests.dashboard.urls_without_pages")
def test_alert_links_are_skipped_when_a_page_does_not_exist(cast):
    f.PopulationFactory(community=cast.a1, year=Y, residents=1000)
    f.ActivityFactory(
        community=cast.a1,
        status=ActivityStatus.PENDING,
        submitted_at=timezone.now() - dt.timedelta(days=20),
    )
    f.UpgradeProjectFactory(community=cast.a1, planned_year=2013)
    found = build(cast.street_a, cast.street_staff).alerts
    assert {a.kind for a in found} >= {alerts.WAITING, alerts.UPGRADE}
    assert all(a.url == "" for a in found)


# --- sorting and queries -----------------------------------------------------------------------


def test_sorting_keeps_unscorable_communities_last(cast):
    populate(cast.a1, 0)
    populate(cast.a2, 3)
    f.CommunityFactory(street=cast.street_a, name="甲零社区")  # no population
    by_total = build(cast.street_a, cast.street_staff, sort="-total")
    assert by_total.sort == "-total"
    totals = [r.total for r in by_total.rows if not r.error]
    assert totals == sorted(totals, reverse=True)
    assert by_total.rows[-1].name == "甲零社区" and by_total.rows[-1].error
    by_name = build(cast.street_a, cast.street_staff, sort="name")
    assert [r.name for r in by_name.rows] == ["甲一社区", "甲二社区", "甲零社区"]
    by_a4 = build(cast.street_a, cast.street_staff, sort="-A4")
    assert [r.name for r in by_a4.rows][:2] == ["甲二社区", "甲一社区"]
    assert build(cast.street_a, cast.street_staff, sort="nonsense").sort == "rank"


def _count(street, user):
    with CaptureQueriesContext(connection) as ctx:
        build(street, user)
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_communities(cast):
    populate(cast.a1, 0)
    populate(cast.a2, 1)
    two = _count(cast.street_a, cast.street_staff)
    add_communities(cast.street_a, 2, 6)
    eight = _count(cast.street_a, cast.street_staff)
    assert two == eight
    # The assessment computed (5: the street's data version, read for the key of its own
    # scheme's result, the published scheme, the scheme, the versions again for the scheme's
    # key, the tally) and the alerts: projects, waiting activities, cadres, instructors.
    assert eight == 9, eight
    # Nothing written since: the stored assessment found by the version alone, no scheme read
    # (assessments/cache.py through_own_scheme), the projects and cadres kept under its key
    # (dashboard/build.py _same_records); waiting activities and instructors read.
    assert _count(cast.street_a, cast.street_staff) == 3
