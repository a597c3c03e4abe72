"""load_demo: the 四季青街道 of seed 000, loaded the same way however often it runs."""

import datetime as dt
import io
import json
from collections import Counter

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Count

from activities.models import Activity, ActivityStatus
from communities.models import Community, Deduction, Membership, Population, Role, StarTarget
from demo.accounts import DEMO_USERS
from facilities.models import Facility, UpgradeProject
from rectification.models import Rectification, Status
from teams.models import Certificate, Team, Volunteer
from tests.demo_date import DEMO_AS_OF, load_demo_at

PROJECT_APPS = ("communities", "facilities", "teams", "activities")


def row_counts() -> dict[str, int]:
    counts = {}
    for label in PROJECT_APPS:
        for model in apps.get_app_config(label).get_models():
            counts[model._meta.label] = model._default_manager.count()
    counts["auth.User"] = get_user_model().objects.count()
    counts["auth.Group"] = apps.get_model("auth", "Group").objects.count()
    return counts


def run() -> str:
    return load_demo_at()


@pytest.mark.django_db
def test_second_run_changes_nothing_and_resets_passwords():
    first = run()
    counts = row_counts()
    # 整改: two open in DEMO_AS_OF's year (one awaiting the answer, one the street's check)
    # from the previous year's gaps, and one from the year before accepted last year.
    tasks = Rectification.objects.exclude(status=Status.ACCEPTED)
    assert sorted(tasks.values_list("status", flat=True)) == [Status.ANSWERED, Status.ISSUED]
    assert set(tasks.values_list("year", flat=True)) == {DEMO_AS_OF.year - 1}
    closed = Rectification.objects.filter(status=Status.ACCEPTED).get()
    assert closed.year == DEMO_AS_OF.year - 2 and closed.closed_at.year == DEMO_AS_OF.year - 1
    # Every demo row has exactly one history row (its creation), written as sjq_admin; the
    # activities handed over by 点单配送 went through the services instead (created, photo
    # attached, submitted — by the community's cadre), as a real delivery does.
    handed_over = list(
        Activity.objects.filter(delivery_order__isnull=False).values_list("pk", flat=True)
    )
    assert handed_over
    for label in ("teams.Person", "facilities.Facility", "teams.Volunteer"):
        app, model = label.split(".")
        assert counts[f"{app}.Historical{model}"] == counts[label] > 0
    history = apps.get_model("activities", "HistoricalActivity").objects.exclude(id__in=handed_over)
    assert history.count() == Activity.objects.exclude(pk__in=handed_over).count() > 0
    assert not history.exclude(history_user__username="sjq_admin").exists()

    admin = get_user_model().objects.get(username="sjq_admin")
    admin.set_password("something-else-9876")
    admin.save()

    second = run()
    assert row_counts() == counts  # no new rows, no new history rows
    assert "数据已是最新" in second and "数据已是最新" not in first
    admin.refresh_from_db()
    assert admin.check_password("Wenti#Admin2014")
    for user in DEMO_USERS:
        assert user.username in second and user.password in second


@pytest.mark.django_db
def test_demo_street_follows_the_plan_and_has_every_role():
    run()
    communities = Community.objects.filter(street__name="四季青街道")
    assert communities.get(name="三叉社区").street.district.name == "上城区"
    assert sorted(communities.values_list("name", flat=True)) == sorted(
        f"{s}社区" for s in "三叉 钱塘 江锦 五福 钱杭 城星 水湘 钱江苑 三堡 运新".split()
    )
    assert communities.get(name="三堡社区").kind == "回迁"

    def targets(year):
        return {
            (t.community.name.removesuffix("社区"), t.stars)
            for t in StarTarget.objects.filter(year=year).select_related("community")
        }

    assert targets(2014) == {
        ("三叉", 4),
        ("钱杭", 4),
        ("钱塘", 4),
        ("运新", 4),
        ("五福", 4),
        ("江锦", 4),
        ("三堡", 3),
        ("水湘", 3),
        ("钱江苑", 3),
    }
    assert targets(2013) == {
        ("三叉", 4),
        ("钱杭", 4),
        ("三堡", 3),
        ("五福", 3),
        ("钱江苑", 3),
        ("钱塘", 3),
        ("运新", 3),
    }
    for name in ("三叉社区", "运新社区"):
        residents = Population.objects.get(community__name=name, year=2014).residents
        assert 3000 <= residents <= 12000

    # The culture rooms the plan orders built: 五福 done 2013, 江锦 2014, 水湘 still building.
    assert (
        Facility.objects.get(community__name="水湘社区", name="水湘社区文化活动室").status == "在建"
    )
    assert (
        Facility.objects.get(community__name="江锦社区", name="江锦社区文化活动室").opened_on.year
        == 2014
    )
    shared = set(
        Facility.objects.filter(ownership="共建共享", free_open=True).values_list(
            "community__name", flat=True
        )
    )
    assert {"钱杭社区", "钱江苑社区", "钱塘社区"} <= shared
    late = [p for p in UpgradeProject.objects.filter(planned_year=2014) if p.is_late]
    assert "三堡社区" in {p.community.name for p in late}
    assert UpgradeProject.objects.filter(planned_year=2014, status="完成").count() >= 2

    # Volunteers: some communities reach 3% of residents at the end of 2014, some do not.
    end = dt.date(2014, 12, 31)
    rates = []
    for c in communities:
        active = (
            Volunteer.objects.filter(community=c, registered_on__lte=end)
            .exclude(left_on__lte=end)
            .count()
        )
        rates.append(active / Population.objects.get(community=c, year=2014).residents)
    assert min(rates) < 0.03 <= max(rates)
    assert all(0.01 <= r <= 0.04 for r in rates)

    # Rosters of 8–20; an instructor holding two certificates; an expired one.
    sizes = Team.objects.annotate(n=Count("memberships")).values_list("n", flat=True)
    assert min(sizes) >= 8 and max(sizes) <= 20
    per_person = Counter(Certificate.objects.values_list("person_id", flat=True))
    assert max(per_person.values()) == 2
    assert Certificate.objects.filter(expires_on__lt=end).exists()
    assert not Deduction.objects.filter(veto=True).exists()

    # 2014 is complete: what awaited verification at its end has been verified since; the
    # returned ones and a few drafts never resubmitted stay.
    statuses = Counter(Activity.objects.filter(date__year=2014).values_list("status", flat=True))
    assert statuses[ActivityStatus.VERIFIED] > 10 * statuses[ActivityStatus.RETURNED] > 0
    assert statuses[ActivityStatus.DRAFT] and not statuses[ActivityStatus.PENDING]
    assert not Activity.objects.filter(status=ActivityStatus.RETURNED, return_reason="").exists()

    # The year in progress (2015, up to 15 June): spread over the months so far, some awaiting
    # verification for days (some beyond the 7-day alert), exactly one returned, none later.
    this_year = Activity.objects.filter(date__year=DEMO_AS_OF.year, delivery_order__isnull=True)
    assert not this_year.filter(date__gt=DEMO_AS_OF).exists()
    assert {d.month for d in this_year.dates("date", "month")} == {1, 2, 3, 4, 5, 6}
    now = Counter(this_year.values_list("status", flat=True))
    assert now[ActivityStatus.VERIFIED] > 5 * now[ActivityStatus.PENDING] > 0
    assert now[ActivityStatus.RETURNED] == 1
    end = dt.datetime.combine(DEMO_AS_OF, dt.time(23, 59), tzinfo=dt.UTC)
    waits = [(end - a.submitted_at).days for a in this_year.filter(status="pending")]
    assert 0 <= min(waits) < 7 < max(waits) <= 14
    assert all(a.submitted_at <= end for a in this_year.exclude(submitted_at=None))
    for a in Activity.objects.filter(status="verified").prefetch_related("transitions")[:50]:
        assert [t.to_status for t in a.transitions.all()][-1] == "verified"
    exchange = Activity.objects.filter(is_exchange=True, status="verified").first()
    assert exchange.partners.exists()

    users = {u.username: u for u in DEMO_USERS}
    assert set(users) == {
        "sjq_admin",
        "sjq_staff",
        "sancha_cadre",
        "qiantang_cadre",
        "sjq_leader",
        "district_admin",
        "district_viewer",
    }
    roles = dict(Membership.objects.values_list("user__username", "role"))
    assert roles["sjq_leader"] == Role.LEADER
    cadre = Membership.objects.get(user__username="sancha_cadre")
    assert cadre.role == Role.COMMUNITY_ADMIN and cadre.community.name == "三叉社区"
    admin = get_user_model().objects.get(username="sjq_admin")
    assert admin.is_staff and admin.groups.filter(name="街道管理员").exists()
    assert admin.has_perm("communities.change_startarget")
    # Issue 18: the district's two users and its three streets (the demo street and two more).
    for name, role in (
        ("district_admin", Role.DISTRICT_ADMIN),
        ("district_viewer", Role.DISTRICT_VIEWER),
    ):
        m = Membership.objects.select_related("district").get(user__username=name)
        assert (m.role, m.district.name, m.street_id) == (role, "上城区", None)
        assert not m.user.is_staff
    district = Membership.objects.get(user__username="district_admin").district
    assert sorted(district.streets.values_list("name", flat=True)) == [
        "九堡街道",
        "四季青街道",
        "采荷街道",
    ]
    assert Community.objects.filter(street__district=district).count() == 17
    leader = get_user_model().objects.get(username="sjq_leader")
    assert leader.has_perm("facilities.view_facility")
    assert not leader.has_perm("facilities.change_facility")


@pytest.mark.django_db
def test_2014_assessment_spans_the_grades():
    run()
    out = io.StringIO()
    call_command("assess", street="四季青街道", year=2014, json=True, stdout=out)
    grades = Counter(c["grade"] for c in json.loads(out.getvalue())["communities"])
    assert 2 <= grades["优秀"] <= 3
    assert grades["良好"] >= 3
    assert 1 <= grades["合格"] <= 2
    assert grades["不合格"] == 0
