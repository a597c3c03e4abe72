import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from activities import services
from activities.models import Activity, ActivityTransition, ArchiveFile
from activities.models import ActivityStatus as S
from tests import factories as f

from .conftest import make_activity, photo


def log(activity):
    return list(
        ActivityTransition.objects.filter(activity=activity)
        .order_by("at", "pk")
        .values_list("from_status", "to_status", "by__username", "reason")
    )


# ------------------------------------------------------------------ create / update


def test_cadre_records_a_draft_of_their_community(cast, draft):
    assert (draft.status, draft.community, draft.created_by) == (S.DRAFT, cast.a1, cast.cadre_a1)
    assert log(draft) == []


@pytest.mark.parametrize("who", ["cadre_a2", "leader", "cadre_b1", "staff_b", "nobody"])
def test_nobody_records_for_a_community_they_may_not_edit(cast, who):
    with pytest.raises(PermissionDenied):
        services.activity_create(
            user=getattr(cast, who),
            community=cast.a1,
            name="越权",
            date=dt.date(2024, 1, 1),
            category="文化",
        )
    assert not Activity.objects.exists()


def test_relations_must_belong_to_the_community(cast):
    room_a2 = f.FacilityFactory(community=cast.a2)
    team_a2 = f.TeamFactory(community=cast.a2)
    brand_a2 = f.BrandFactory(community=cast.a2)
    with pytest.raises(ValidationError) as error:
        services.activity_create(
            user=cast.street_staff,
            community=cast.a1,
            name="串门",
            date=dt.date(2024, 1, 1),
            category="文化",
            location=room_a2,
            brand=brand_a2,
            is_exchange=True,
            teams=[team_a2],
            partners=[cast.b1, cast.a1],
        )
    assert set(error.value.message_dict) == {"location", "brand", "teams", "partners"}
    assert not Activity.objects.exists()


def test_exchange_needs_a_partner_of_the_same_street(cast):
    with pytest.raises(ValidationError, match="至少选择一个走亲社区"):
        services.activity_create(
            user=cast.cadre_a1,
            community=cast.a1,
            name="走亲",
            date=dt.date(2024, 1, 1),
            category="文化",
            is_exchange=True,
        )
    activity = services.activity_create(
        user=cast.cadre_a1,
        community=cast.a1,
        name="走亲",
        date=dt.date(2024, 1, 1),
        category="文化",
        is_exchange=True,
        partners=[cast.a2],
    )
    assert list(activity.partners.all()) == [cast.a2]


def test_same_name_same_day_is_refused(cast, draft):
    with pytest.raises(ValidationError, match="同名活动"):
        services.activity_create(
            user=cast.cadre_a1, community=cast.a1, name=draft.name, date=draft.date, category="体育"
        )


def test_update_in_draft_and_partners_follow_the_exchange_flag(cast, draft):
    updated = services.activity_update(
        activity=draft,
        user=cast.cadre_a1,
        name="广场舞大赛",
        date=draft.date,
        category="文化",
        is_exchange=True,
        partners=[cast.a2],
    )
    assert updated.name == "广场舞大赛"
    assert list(updated.partners.all()) == [cast.a2]
    updated = services.activity_update(
        activity=updated,
        user=cast.cadre_a1,
        name="广场舞大赛",
        is_exchange=False,
        partners=[cast.a2],
    )
    assert list(updated.partners.all()) == []


# ------------------------------------------------------------------ workflow


def test_submit_verify_and_the_log(cast, draft):
    pending = services.activity_submit(activity=draft, user=cast.cadre_a1)
    assert pending.status == S.PENDING and pending.submitted_at is not None
    verified = services.activity_verify(activity=pending, user=cast.street_staff)
    assert Activity.objects.get(pk=draft.pk).status == S.VERIFIED == verified.status
    assert log(draft) == [
        (S.DRAFT, S.PENDING, "jia1_cadre", ""),
        (S.PENDING, S.VERIFIED, "jia_staff", ""),
    ]


def test_return_and_resubmit(cast, pending):
    returned = services.activity_return(
        activity=pending, user=cast.street_admin, reason="缺少活动照片"
    )
    assert (returned.status, returned.return_reason) == (S.RETURNED, "缺少活动照片")
    again = services.activity_submit(activity=returned, user=cast.cadre_a1)
    assert (again.status, again.return_reason) == (S.PENDING, "")
    assert log(pending)[1:] == [
        (S.PENDING, S.RETURNED, "jia_admin", "缺少活动照片"),
        (S.RETURNED, S.PENDING, "jia1_cadre", ""),
    ]


@pytest.mark.parametrize("reason", ["", "   "])
def test_return_needs_a_reason(cast, pending, reason):
    with pytest.raises(ValidationError, match="必须填写原因"):
        services.activity_return(activity=pending, user=cast.street_staff, reason=reason)
    assert Activity.objects.get(pk=pending.pk).status == S.PENDING
    assert len(log(pending)) == 1


@pytest.mark.parametrize(
    ("status", "service", "kwargs"),
    [
        (S.PENDING, services.activity_submit, {}),
        (S.VERIFIED, services.activity_submit, {}),
        (S.DRAFT, services.activity_verify, {}),
        (S.RETURNED, services.activity_verify, {}),
        (S.VERIFIED, services.activity_verify, {}),
        (S.DRAFT, services.activity_return, {"reason": "x"}),
        (S.VERIFIED, services.activity_return, {"reason": "x"}),
        (S.DRAFT, services.activity_reopen, {"reason": "x"}),
        (S.PENDING, services.activity_reopen, {"reason": "x"}),
        (S.RETURNED, services.activity_reopen, {"reason": "x"}),
    ],
)
def test_invalid_transitions_are_refused_in_chinese(cast, status, service, kwargs):
    activity = make_activity(cast.a1, status)
    with pytest.raises(ValidationError) as error:
        service(activity=activity, user=cast.street_staff, **kwargs)
    assert f"当前状态为“{S(status).label}”" in error.value.messages[0]
    assert Activity.objects.get(pk=activity.pk).status == status
    assert log(activity) == []


@pytest.mark.parametrize("who", ["cadre_a1", "leader", "staff_b", "cadre_b1"])
def test_only_verifiers_of_the_street_verify_or_return(cast, pending, who):
    user = getattr(cast, who)
    with pytest.raises(PermissionDenied):
        services.activity_verify(activity=pending, user=user)
    with pytest.raises(PermissionDenied):
        services.activity_return(activity=pending, user=user, reason="不行")
    assert Activity.objects.get(pk=pending.pk).status == S.PENDING


@pytest.mark.parametrize("who", ["leader", "cadre_a2", "staff_b"])
def test_submit_needs_the_editable_scope(cast, draft, who):
    with pytest.raises(PermissionDenied):
        services.activity_submit(activity=draft, user=getattr(cast, who))
    assert Activity.objects.get(pk=draft.pk).status == S.DRAFT


def test_street_staff_may_submit_on_behalf_of_a_community(cast, draft):
    assert services.activity_submit(activity=draft, user=cast.street_staff).status == S.PENDING


def test_reopen_by_street_staff_only_and_with_a_reason(cast, verified):
    for who in ("cadre_a1", "leader", "staff_b"):
        with pytest.raises(PermissionDenied):
            services.activity_reopen(activity=verified, user=getattr(cast, who), reason="改")
    with pytest.raises(ValidationError, match="必须填写原因"):
        services.activity_reopen(activity=verified, user=cast.street_staff, reason="")
    reopened = services.activity_reopen(
        activity=verified, user=cast.street_staff, reason="人数有误"
    )
    assert (reopened.status, reopened.return_reason) == (S.RETURNED, "人数有误")
    assert log(verified)[-1] == (S.VERIFIED, S.RETURNED, "jia_staff", "人数有误")
    # …and the cadre may correct it again.
    services.activity_update(activity=reopened, user=cast.cadre_a1, participants=120)


def test_second_of_two_staff_acting_at_once_gets_a_clear_error(cast, pending):
    stale = Activity.objects.get(pk=pending.pk)
    services.activity_verify(activity=pending, user=cast.street_staff)
    with pytest.raises(ValidationError, match="已审核.*可能已被他人处理"):
        services.activity_return(activity=stale, user=cast.street_admin, reason="晚了一步")
    with pytest.raises(ValidationError):
        services.activity_verify(activity=stale, user=cast.street_admin)
    assert [row[1] for row in log(pending)] == [S.PENDING, S.VERIFIED]


# ------------------------------------------------------------------ locking


@pytest.mark.parametrize("who", ["cadre_a1", "street_staff", "street_admin"])
def test_verified_activity_is_locked_for_everyone(cast, verified, who):
    user = getattr(cast, who)
    with pytest.raises(PermissionDenied, match="已锁定"):
        services.activity_update(activity=verified, user=user, name="改名")
    with pytest.raises(PermissionDenied, match="已锁定"):
        services.archive_attach(activity=verified, user=user, slot="image", files=[photo()])
    assert Activity.objects.get(pk=verified.pk).name == "广场舞展演"
    assert not ArchiveFile.objects.exists()


def test_files_of_a_verified_activity_cannot_be_deleted(cast, pending):
    activity = services.archive_attach(
        activity=pending, user=cast.street_staff, slot="image", files=[photo()]
    )
    services.activity_verify(activity=activity, user=cast.street_staff)
    with pytest.raises(PermissionDenied, match="已锁定"):
        services.archive_detach(archive_file=ArchiveFile.objects.get(), user=cast.cadre_a1)
    assert ArchiveFile.objects.count() == 1


def test_pending_activity_is_changed_by_verifiers_only(cast, pending):
    with pytest.raises(PermissionDenied, match="正在审核中"):
        services.activity_update(activity=pending, user=cast.cadre_a1, participants=10)
    assert (
        services.activity_update(
            activity=pending, user=cast.street_staff, participants=10
        ).participants
        == 10
    )


def test_leader_changes_nothing(cast, draft):
    with pytest.raises(PermissionDenied):
        services.activity_update(activity=draft, user=cast.leader, participants=10)


# ------------------------------------------------------------------ archive slots


def test_upload_marks_the_slot_and_deleting_the_last_file_unmarks_it(cast, draft):
    activity = services.archive_attach(
        activity=draft, user=cast.cadre_a1, slot="image", files=[photo("一.jpg"), photo("二.jpg")]
    )
    assert activity.has_image and not activity.has_plan
    first, second = ArchiveFile.objects.order_by("pk")
    assert first.file.name.startswith(f"archives/{draft.pk}/image/") and first.file.name.endswith(
        ".jpg"
    )
    assert "一" not in first.file.name
    assert services.archive_detach(archive_file=first, user=cast.cadre_a1).has_image
    assert not services.archive_detach(archive_file=second, user=cast.cadre_a1).has_image
    # The stored bytes stay (history points at them); only the archive entry goes.
    assert first.file.storage.exists(first.file.name)


def test_a_slot_with_files_stays_marked_and_paper_can_be_declared(cast, draft):
    services.archive_attach(activity=draft, user=cast.cadre_a1, slot="image", files=[photo()])
    activity = services.activity_update(
        activity=draft, user=cast.cadre_a1, has_image=False, has_summary=True
    )
    assert activity.has_image and activity.has_summary
    assert not activity.archive_complete


def test_create_with_uploads_in_one_go(cast):
    activity = services.activity_create(
        user=cast.cadre_a1,
        community=cast.a1,
        name="篮球赛",
        date=dt.date(2024, 6, 1),
        category="体育",
        uploads={"image": [photo()], "plan": []},
    )
    assert activity.has_image and not activity.has_plan
    assert ArchiveFile.objects.get().uploaded_by == cast.cadre_a1


# ------------------------------------------------------------------ brands and 配送


def test_brand_rules(cast):
    brand = services.brand_create(
        user=cast.cadre_a1,
        community=cast.a1,
        name="邻里戏台",
        category="示范文化品牌",
        recognised_year=2020,
    )
    with pytest.raises(ValidationError, match="同名品牌"):
        services.brand_create(
            user=cast.street_staff,
            community=cast.a1,
            name="邻里戏台",
            category="示范文化品牌",
            recognised_year=2021,
        )
    with pytest.raises(ValidationError, match="撤销年度不能早于认定年度"):
        services.brand_update(
            brand=brand,
            user=cast.cadre_a1,
            name="邻里戏台",
            recognised_year=2020,
            revoked_year=2019,
        )
    with pytest.raises(PermissionDenied):
        services.brand_update(brand=brand, user=cast.cadre_a2, name="改")
    with pytest.raises(PermissionDenied):
        services.brand_create(
            user=cast.leader,
            community=cast.a1,
            name="x",
            category="示范文化品牌",
            recognised_year=2020,
        )
