import datetime as dt
import io
import os

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from activities import services
from activities.models import Activity, ActivityTransition, ArchiveFile
from activities.models import ActivityStatus as S
from tests import factories as f

from . import samples
from .conftest import make_activity, photo

PASSWORD = "pass-1234-word"


@pytest.fixture
def login(client):
    def _login(user):
        # UserFactory skips saving the hashed password; the session hash needs it saved.
        user.save(update_fields=["password"])
        # Axes' backend comes first in settings and cannot restore a session user.
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return _login


def stored_files() -> set[str]:
    found = set()
    for root, _dirs, names in os.walk(settings.MEDIA_ROOT):
        found.update(os.path.join(root, n) for n in names)
    return found


def form_data(**overrides):
    data = {
        "name": "重阳节文艺汇演",
        "date": "2024-10-11",
        "category": "文化",
        "participants": "150",
    }
    data.update(overrides)
    return data


# ------------------------------------------------------------------ detail, edit, files: scope


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("cadre_a1", 200),
        ("street_staff", 200),
        ("street_admin", 200),
        ("leader", 200),
        ("cadre_a2", 404),
        ("cadre_b1", 404),
        ("staff_b", 404),
        ("nobody", 404),
    ],
)
def test_detail_in_scope_only(cast, login, who, status):
    activity = make_activity(cast.a1, S.RETURNED, return_reason="照片不清楚")
    response = login(getattr(cast, who)).get(reverse("activities:detail", args=[activity.pk]))
    assert response.status_code == status
    if status == 200:
        assert "照片不清楚" in response.content.decode()


def test_anonymous_is_sent_to_login(cast, client):
    activity = make_activity(cast.a1)
    response = client.get(reverse("activities:detail", args=[activity.pk]))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize("who", ["cadre_a2", "cadre_b1", "staff_b", "nobody"])
def test_out_of_scope_users_get_404_everywhere(cast, login, who, draft):
    services.archive_attach(activity=draft, user=cast.cadre_a1, slot="image", files=[photo()])
    stored = ArchiveFile.objects.get()
    client = login(getattr(cast, who))
    pk = draft.pk
    assert client.get(reverse("activities:edit", args=[pk])).status_code == 404
    assert client.post(reverse("activities:edit", args=[pk]), form_data()).status_code == 404
    assert client.get(reverse("activities:file", args=[stored.pk])).status_code == 404
    assert client.get(reverse("activities:file", args=[stored.pk]) + "?thumb=1").status_code == 404
    for name in ("submit", "verify", "return", "reopen"):
        response = client.post(reverse(f"activities:{name}", args=[pk]), {"reason": "越权"})
        assert response.status_code == 404, name
    assert client.post(reverse("activities:file_delete", args=[stored.pk])).status_code == 404
    draft.refresh_from_db()
    assert draft.status == S.DRAFT and draft.name == "广场舞展演"
    assert ArchiveFile.objects.count() == 1 and not ActivityTransition.objects.exists()


def test_leader_reads_but_changes_nothing(cast, login, pending):
    client = login(cast.leader)
    page = client.get(reverse("activities:detail", args=[pending.pk])).content.decode()
    assert "审核通过" not in page and "修改</a>" not in page
    response = client.get(reverse("activities:edit", args=[pending.pk]))
    assert response.status_code == 302
    assert client.post(reverse("activities:verify", args=[pending.pk])).status_code == 302
    assert Activity.objects.get(pk=pending.pk).status == S.PENDING
    assert client.get(reverse("activities:create")).status_code == 403
    assert client.get(reverse("activities:queue")).status_code == 403


# ------------------------------------------------------------------ files


def test_images_inline_documents_as_attachments_with_nosniff(cast, login, draft):
    pdf = services.archive_attach(
        activity=draft,
        user=cast.cadre_a1,
        slot="plan",
        files=[
            services.CheckedUpload(
                samples.upload("计划.pdf", samples.PDF),
                "计划.pdf",
                "application/pdf",
                ".pdf",
                len(samples.PDF),
            )
        ],
    )
    services.archive_attach(activity=pdf, user=cast.cadre_a1, slot="image", files=[photo()])
    image_file = ArchiveFile.objects.get(slot="image")
    pdf_file = ArchiveFile.objects.get(slot="plan")
    client = login(cast.street_staff)

    response = client.get(reverse("activities:file", args=[image_file.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == samples.jpeg_bytes()

    response = client.get(reverse("activities:file", args=[pdf_file.pk]))
    assert response["Content-Disposition"].startswith("attachment")
    assert "filename*=utf-8''%E8%AE%A1%E5%88%92.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"

    thumb = client.get(reverse("activities:file", args=[image_file.pk]) + "?thumb=1")
    assert thumb["Content-Type"] == "image/jpeg" and thumb.content.startswith(b"\xff\xd8")


# ------------------------------------------------------------------ record form


def test_cadre_records_with_photo_and_submits(cast, login):
    client = login(cast.cadre_a1)
    page = client.get(reverse("activities:create")).content.decode()
    assert 'type="file"' in page and "multiple" in page and 'accept="image/*"' in page
    assert f'value="{timezone.localdate().isoformat()}"' in page  # 活动日期 defaults to today
    response = client.post(
        reverse("activities:create"),
        form_data(
            community=cast.a2.pk,  # forged: a cadre's community is fixed
            files_image=[samples.upload("合影.jpg", samples.jpeg_bytes(), "image/jpeg")],
            files_plan=[
                samples.upload("方案.pdf", samples.PDF),
                samples.upload("方案.docx", samples.ooxml_bytes("word")),
            ],
            submit="1",
        ),
    )
    activity = Activity.objects.get()
    assert response.status_code == 302 and response.url == activity.get_absolute_url()
    assert (activity.community, activity.status) == (cast.a1, S.PENDING)
    assert activity.has_image and activity.has_plan and not activity.has_summary
    assert sorted(ArchiveFile.objects.values_list("original_name", flat=True)) == [
        "合影.jpg",
        "方案.docx",
        "方案.pdf",
    ]


def test_street_staff_choose_among_their_communities(cast, login):
    client = login(cast.street_staff)
    room = f.FacilityFactory(community=cast.a2, name="文化家园")
    response = client.post(
        reverse("activities:create"),
        form_data(community=cast.a2.pk, location=room.pk, save="1"),
    )
    assert response.status_code == 302
    activity = Activity.objects.get()
    assert (activity.community, activity.location, activity.status) == (cast.a2, room, S.DRAFT)
    response = client.post(
        reverse("activities:create"), form_data(name="别的街道", community=cast.b1.pk)
    )
    assert response.status_code == 200 and Activity.objects.count() == 1


def test_facility_of_another_community_is_refused(cast, login):
    room = f.FacilityFactory(community=cast.a2)
    response = login(cast.street_staff).post(
        reverse("activities:create"), form_data(community=cast.a1.pk, location=room.pk)
    )
    assert response.status_code == 200
    assert "活动地点必须是本社区的设施" in response.content.decode()
    assert not Activity.objects.exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("通知.html", samples.HTML),
        ("logo.svg", samples.SVG),
        ("照片.jpg", samples.EXE),
        ("报告.pdf", samples.TEXT),
    ],
)
def test_bad_upload_refuses_the_whole_form(cast, login, name, content):
    before = stored_files()
    response = login(cast.cadre_a1).post(
        reverse("activities:create"),
        form_data(
            files_image=[samples.upload("好图.jpg", samples.jpeg_bytes(), "image/jpeg")],
            files_material=[samples.upload(name, content, "image/jpeg")],
            submit="1",
        ),
    )
    assert response.status_code == 200
    assert f"文件“{name}”的内容不是允许的类型" in response.content.decode()
    assert not Activity.objects.exists() and not ArchiveFile.objects.exists()
    assert stored_files() == before


def test_oversize_upload_is_refused(cast, login, settings):
    settings.ARCHIVE_MAX_UPLOAD_SIZE = 1024
    response = login(cast.cadre_a1).post(
        reverse("activities:create"),
        form_data(
            files_image=[samples.upload("大图.jpg", samples.jpeg_bytes((600, 600)) + b"\0" * 4096)]
        ),
    )
    assert "文件“大图.jpg”大小为" in response.content.decode()
    assert not Activity.objects.exists()


def test_edit_shows_the_return_reason_and_resubmits(cast, login, pending):
    services.activity_return(activity=pending, user=cast.street_staff, reason="请补充活动总结")
    client = login(cast.cadre_a1)
    page = client.get(reverse("activities:edit", args=[pending.pk])).content.decode()
    assert "请补充活动总结" in page
    response = client.post(
        reverse("activities:edit", args=[pending.pk]),
        form_data(
            name=pending.name,
            date="2024-05-01",
            files_summary=[samples.upload("总结.docx", samples.ooxml_bytes("word"))],
            submit="1",
        ),
    )
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == S.PENDING and pending.has_summary and pending.participants == 150


def test_verified_activity_cannot_be_edited_from_the_browser(cast, login, verified):
    client = login(cast.cadre_a1)
    page = client.get(reverse("activities:detail", args=[verified.pk])).content.decode()
    assert reverse("activities:edit", args=[verified.pk]) not in page
    response = client.get(reverse("activities:edit", args=[verified.pk]), follow=True)
    assert "内容已锁定" in response.content.decode()
    client.post(reverse("activities:edit", args=[verified.pk]), form_data(name="改名"))
    assert Activity.objects.get(pk=verified.pk).name == "广场舞展演"


def test_delete_file_from_the_detail_page(cast, login, draft):
    services.archive_attach(activity=draft, user=cast.cadre_a1, slot="image", files=[photo()])
    stored = ArchiveFile.objects.get()
    response = login(cast.cadre_a1).post(
        reverse("activities:file_delete", args=[stored.pk]), follow=True
    )
    assert "已标为缺少" in response.content.decode()
    draft.refresh_from_db()
    assert not draft.has_image and not ArchiveFile.objects.exists()


# ------------------------------------------------------------------ workflow buttons and queue


def test_return_from_the_detail_page_needs_a_reason(cast, login, pending):
    client = login(cast.street_staff)
    response = client.post(
        reverse("activities:return", args=[pending.pk]), {"reason": " "}, follow=True
    )
    assert "退回时必须填写原因" in response.content.decode()
    assert Activity.objects.get(pk=pending.pk).status == S.PENDING


def submitted(community, days_ago: int, name: str) -> Activity:
    activity = make_activity(community, S.PENDING, name=name)
    Activity.objects.filter(pk=activity.pk).update(
        submitted_at=timezone.now() - dt.timedelta(days=days_ago)
    )
    return activity


def test_queue_lists_pending_of_the_street_oldest_first(cast, login):
    submitted(cast.a1, 2, "新提交")
    submitted(cast.a2, 10, "等了很久")
    submitted(cast.b1, 30, "别的街道")
    make_activity(cast.a1, S.DRAFT, name="草稿不进队列")
    page = login(cast.street_staff).get(reverse("activities:queue")).content.decode()
    assert page.index("等了很久") < page.index("新提交")
    assert "别的街道" not in page and "草稿不进队列" not in page
    assert 'class="late ' in page and "10 天" in page
    for who in ("cadre_a1", "leader"):
        assert login(getattr(cast, who)).get(reverse("activities:queue")).status_code == 403


def test_return_right_from_the_queue(cast, login):
    activity = submitted(cast.a1, 1, "待退回")
    queue = reverse("activities:queue")
    response = login(cast.street_staff).post(
        reverse("activities:return", args=[activity.pk]), {"reason": "名称不规范", "next": queue}
    )
    assert response.status_code == 302 and response.url == queue
    activity.refresh_from_db()
    assert (activity.status, activity.return_reason) == (S.RETURNED, "名称不规范")


def test_next_must_stay_on_this_site(cast, login):
    activity = submitted(cast.a1, 1, "外链")
    response = login(cast.street_staff).post(
        reverse("activities:verify", args=[activity.pk]), {"next": "https://evil.example/"}
    )
    assert response.url == activity.get_absolute_url()


# ------------------------------------------------------------------ query counts and export


def _rows(n, community, status=S.PENDING):
    for i in range(n):
        submitted(community, i % 12, f"活动{status}{i}")


@pytest.mark.parametrize("url_name", ["activities:list", "activities:queue"])
def test_list_and_queue_query_counts_do_not_grow(cast, login, django_assert_num_queries, url_name):
    client = login(cast.street_staff)
    _rows(2, cast.a1)
    client.get(reverse(url_name))  # warm the session
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse(url_name)).status_code == 200
    _rows(18, cast.a2)
    with django_assert_num_queries(len(few)):
        response = client.get(reverse(url_name))
    assert response.content.decode().count("activities/") > 20


def test_detail_query_count_does_not_grow_with_files_teams_partners_or_history(
    cast, login, draft, django_assert_num_queries
):
    def grow(n):
        """n more files in each slot, teams, partner communities and a submit/return round."""
        for slot in ("plan", "image"):
            services.archive_attach(
                activity=draft, user=cast.cadre_a1, slot=slot, files=[photo() for _ in range(n)]
            )
        draft.teams.add(*(f.TeamFactory(community=cast.a1) for _ in range(n)))
        for _ in range(n):
            f.ActivityPartnerFactory(
                activity=draft, community=f.CommunityFactory(street=cast.street_a)
            )
        services.activity_submit(activity=draft, user=cast.cadre_a1)
        services.activity_return(activity=draft, user=cast.street_staff, reason="再补充")

    Activity.objects.filter(pk=draft.pk).update(is_exchange=True)  # partners are shown
    client = login(cast.cadre_a1)
    url = reverse("activities:detail", args=[draft.pk])
    grow(1)
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    grow(5)
    with django_assert_num_queries(len(one)):
        page = client.get(url).content.decode()
    # The second page really shows the grown lists: 6 files in each slot, every team and
    # partner, both rounds of the history.
    assert page.count("6 个文件") == 2
    assert all(t.name in page for t in draft.teams.all()) and draft.teams.count() == 6
    assert all(c.name in page for c in draft.partners.all()) and draft.partners.count() == 6
    assert draft.transitions.count() == 4


def _export(client, url_name="activities:list", **params):
    response = client.get(reverse(url_name), {"export": "xlsx", **params})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def test_export_contains_only_rows_in_scope(cast, login):
    make_activity(cast.a1, name="甲一的活动")
    make_activity(cast.a2, name="甲二的活动")
    make_activity(cast.b1, name="乙一的活动")
    rows = _export(login(cast.cadre_a1))
    names = {r[2] for r in rows[1:]}
    assert rows[0][:3] == ["社区", "活动日期", "活动名称"] and names == {"甲一的活动"}
    assert {r[2] for r in _export(login(cast.staff_b))[1:]} == {"乙一的活动"}
    staff_rows = _export(login(cast.street_staff), community=cast.a2.pk)
    assert {r[2] for r in staff_rows[1:]} == {"甲二的活动"}
    # Asking for another street's community is not a way in: the filter refuses it.
    assert _export(login(cast.cadre_a1), community=cast.b1.pk)[1:] == []


def test_list_filters(cast, login):
    complete = make_activity(
        cast.a1,
        name="五样都有的活动",
        has_plan=True,
        has_arrangement=True,
        has_material=True,
        has_image=True,
        has_summary=True,
    )
    make_activity(cast.a1, name="缺档案的比赛", date=dt.date(2023, 1, 1), category="体育")
    client = login(cast.street_staff)
    page = client.get(reverse("activities:list"), {"archive": "complete"}).content.decode()
    assert complete.name in page and "缺档案的比赛" not in page
    page = client.get(
        reverse("activities:list"), {"year": "2023", "category": "体育"}
    ).content.decode()
    assert "缺档案的比赛" in page and complete.name not in page


# ------------------------------------------------------------------ brands and 配送


def test_brand_pages_in_scope(cast, login):
    brand = f.BrandFactory(community=cast.a1, name="邻里戏台")
    other = f.BrandFactory(community=cast.a2, name="甲二品牌")
    make_activity(cast.a1, name="戏台首演", brand=brand)
    client = login(cast.cadre_a1)
    page = client.get(reverse("activities:brand_detail", args=[brand.pk])).content.decode()
    assert "戏台首演" in page and "修改" in page
    assert client.get(reverse("activities:brand_detail", args=[other.pk])).status_code == 404
    assert client.get(reverse("activities:brand_edit", args=[other.pk])).status_code == 404
    forged = {"name": "夺走", "category": "示范文化品牌", "recognised_year": 2020}
    assert client.post(reverse("activities:brand_edit", args=[other.pk]), forged).status_code == 404
    other.refresh_from_db()
    assert other.name == "甲二品牌"
    response = client.post(
        reverse("activities:brand_create"),
        {
            "community": cast.a2.pk,
            "name": "新品牌",
            "category": "特色体育项目",
            "recognised_year": 2024,
        },
    )
    assert response.status_code == 302
    assert brand.community.brands.filter(
        name="新品牌"
    ).exists()  # forced into the cadre's community
    list_page = client.get(reverse("activities:brand_list")).content.decode()
    assert "邻里戏台" in list_page and "甲二品牌" not in list_page
    assert login(cast.leader).get(reverse("activities:brand_create")).status_code == 403


def test_brand_choices_in_the_activity_form_are_the_communitys_active_ones(cast, login):
    f.BrandFactory(community=cast.a1, name="有效品牌")
    f.BrandFactory(community=cast.a1, name="撤销品牌", revoked_year=2020)
    f.BrandFactory(community=cast.a2, name="邻社区品牌")
    page = login(cast.cadre_a1).get(reverse("activities:create")).content.decode()
    assert "有效品牌" in page and "撤销品牌" not in page and "邻社区品牌" not in page


def test_save_and_submit_happen_together_or_not_at_all(cast, login, pending):
    # A verifier's edit of a pending activity with a forged "submit": the submit is refused,
    # so the edit made in the same request must not stay either.
    response = login(cast.street_staff).post(
        reverse("activities:edit", args=[pending.pk]),
        form_data(name="改过的名称", date="2024-05-01", submit="1"),
    )
    assert response.status_code == 200
    assert "不能提交审核" in response.content.decode()
    pending.refresh_from_db()
    assert (pending.name, pending.status) == ("广场舞展演", S.PENDING)
    page = (
        login(cast.street_staff).get(reverse("activities:edit", args=[pending.pk])).content.decode()
    )
    assert 'name="submit"' not in page and "保存</button>" in page
