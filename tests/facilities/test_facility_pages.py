import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook
from PIL import Image

from facilities.models import Facility, UpgradeProject
from tests import factories as f

pytestmark = pytest.mark.django_db

LIST = reverse("facilities:list")


def names_on_page(client, url=LIST):
    response = client.get(url)
    assert response.status_code == 200
    return sorted(row.record.name for row in response.context["table"].paginated_rows)


@pytest.fixture
def rows(cast):
    return {
        "a1": f.FacilityFactory(community=cast.a1, name="甲一活动室"),
        "a2": f.FacilityFactory(community=cast.a2, name="甲二健身路径", kind="健身路径", sets=2),
        "b1": f.FacilityFactory(community=cast.b1, name="乙一阅览室", kind="图书阅览室"),
    }


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("cadre_a1", ["甲一活动室"]),
        ("street_staff", ["甲一活动室", "甲二健身路径"]),
        ("leader", ["甲一活动室", "甲二健身路径"]),
        ("staff_b", ["乙一阅览室"]),
        ("nobody", []),
    ],
)
def test_list_shows_only_rows_in_scope(client, login, cast, rows, who, expected):
    login(getattr(cast, who))
    assert names_on_page(client) == expected


def test_list_requires_login(client, login, rows):
    response = client.get(LIST)
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_filters_by_kind_status_and_text(client, login, cast, rows):
    f.FacilityFactory(community=cast.a1, name="旧活动室", status="停用")
    login(cast.street_staff)
    assert names_on_page(client, LIST + "?kind=健身路径") == ["甲二健身路径"]
    assert names_on_page(client, LIST + "?status=停用") == ["旧活动室"]
    assert names_on_page(client, LIST + "?q=活动室") == ["旧活动室", "甲一活动室"]
    assert names_on_page(client, LIST + f"?community={cast.a2.pk}") == ["甲二健身路径"]


def test_community_filter_offers_only_visible_communities(client, login, cast, rows):
    login(cast.street_staff)
    response = client.get(LIST + f"?community={cast.b1.pk}")
    form = response.context["filter"].form
    assert sorted(c.name for c in form.fields["community"].queryset) == ["甲一社区", "甲二社区"]
    assert "community" in form.errors  # another street's community is not a valid choice
    assert list(response.context["table"].paginated_rows) == []
    # a cadre has one community: the choice is not shown, and asking for another is refused
    login(cast.cadre_a1)
    response = client.get(LIST + f"?community={cast.a2.pk}")
    assert response.context["filter"].form["community"].is_hidden
    assert "community" in response.context["filter"].form.errors
    assert list(response.context["table"].paginated_rows) == []


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


@pytest.mark.parametrize("url_name", ["facilities:list", "facilities:project_list"])
def test_list_query_count_does_not_grow_with_rows(
    client, login, cast, url_name, django_assert_num_queries
):
    login(cast.street_staff)
    url = reverse(url_name)
    for _ in range(2):
        f.FacilityFactory(community=cast.a1)
        f.UpgradeProjectFactory(community=cast.a2)
    few = _count_queries(client, url)
    for i in range(18):
        f.FacilityFactory(community=cast.a1 if i % 2 else cast.a2)
        f.UpgradeProjectFactory(community=cast.a1)
    with django_assert_num_queries(few):
        client.get(url)


def test_export_contains_filtered_rows_in_scope_only(client, login, cast, rows):
    f.FacilityFactory(community=cast.a1, name="甲一停用", status="停用")
    login(cast.cadre_a1)
    response = client.get(LIST + "?status=在用&export=xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    disposition = response["Content-Disposition"]
    assert "filename*=UTF-8''" in disposition
    assert f"filename*=UTF-8''%E8%AE%BE%E6%96%BD_{dt.date.today().isoformat()}.xlsx" in disposition
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = list(sheet.values)
    assert values[0][:3] == ("社区", "设施名称", "设施类型")
    assert [row[1] for row in values[1:]] == ["甲一活动室"]


def _png(size=(4, 4)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, "PNG")
    return buffer.getvalue()


def _form(community, **extra):
    data = {
        "community": community.pk,
        "name": "新建活动室",
        "kind": "文化活动室",
        "area": "120",
        "sets": "0",
        "status": "在用",
        "opened_on": "2024-03-01",
        "ownership": "自有",
        "partner_unit": "",
        "note": "",
    }
    data.update(extra)
    return data


def test_cadre_creates_facility_in_own_community_only(client, login, cast):
    login(cast.cadre_a1)
    # a forged community is ignored: a cadre's community field is fixed
    response = client.post(reverse("facilities:create"), _form(cast.a2))
    facility = Facility.objects.get(name="新建活动室")
    assert facility.community == cast.a1
    assert response.status_code == 302
    assert response["Location"] == reverse("facilities:detail", args=[facility.pk])


def test_street_staff_cannot_choose_community_of_another_street(client, login, cast):
    login(cast.street_staff)
    response = client.post(reverse("facilities:create"), _form(cast.b1))
    assert response.status_code == 200
    assert "community" in response.context["form"].errors
    assert not Facility.objects.exists()


def test_bad_input_is_refused_in_chinese_and_nothing_written(client, login, cast):
    login(cast.street_staff)
    data = _form(cast.a1, name="", area="-5", opened_on="2024-13-01", ownership="共建共享")
    response = client.post(reverse("facilities:create"), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert set(errors) >= {"name", "opened_on", "partner_unit", "area"}
    assert "共建共享的设施须填写共建单位。" in errors["partner_unit"]
    assert "这个字段是必填项。" in errors["name"]
    assert not Facility.objects.exists()
    assert "共建共享的设施须填写共建单位。" in response.content.decode()


def test_photo_is_checked_by_content_and_size(client, login, cast):
    login(cast.street_staff)
    fake = SimpleUploadedFile("photo.png", b"not really a png" * 10, content_type="image/png")
    response = client.post(reverse("facilities:create"), {**_form(cast.a1), "photo": fake})
    assert "photo" in response.context["form"].errors
    assert not Facility.objects.exists()

    big = SimpleUploadedFile(
        "big.pdf", b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024), content_type="application/pdf"
    )
    response = client.post(reverse("facilities:create"), {**_form(cast.a1), "agreement": big})
    assert response.context["form"].errors["agreement"] == ["文件不能超过 5 MB。"]

    good = SimpleUploadedFile("p.png", _png(), content_type="image/png")
    response = client.post(reverse("facilities:create"), {**_form(cast.a1), "photo": good})
    assert response.status_code == 302
    facility = Facility.objects.get()
    image = client.get(reverse("facilities:file", args=[facility.pk, "photo"]))
    assert image.status_code == 200
    login(cast.cadre_a2)
    assert client.get(reverse("facilities:file", args=[facility.pk, "photo"])).status_code == 404


@pytest.mark.parametrize("who", ["cadre_a2", "staff_b", "leader"])
def test_out_of_scope_or_read_only_users_cannot_edit(client, login, cast, rows, who):
    login(getattr(cast, who))
    facility = rows["a1"]
    response = client.post(
        reverse("facilities:update", args=[facility.pk]), _form(cast.a1, name="改名")
    )
    assert response.status_code == 404
    assert client.get(reverse("facilities:delete", args=[facility.pk])).status_code == 404
    facility.refresh_from_db()
    assert facility.name == "甲一活动室"


def test_detail_is_404_out_of_scope_and_leader_sees_no_buttons(client, login, cast, rows):
    url = reverse("facilities:detail", args=[rows["a1"].pk])
    login(cast.cadre_a2)
    assert client.get(url).status_code == 404
    login(cast.leader)
    page = client.get(url)
    assert page.status_code == 200
    assert reverse("facilities:update", args=[rows["a1"].pk]) not in page.content.decode()
    assert client.get(reverse("facilities:create")).status_code == 403
    list_page = client.get(LIST).content.decode()
    assert reverse("facilities:create") not in list_page


def test_cadre_edits_own_facility(client, login, cast, rows):
    login(cast.cadre_a1)
    facility = rows["a1"]
    response = client.post(
        reverse("facilities:update", args=[facility.pk]), _form(cast.a1, name="改名活动室")
    )
    assert response.status_code == 302
    facility.refresh_from_db()
    assert facility.name == "改名活动室"


def test_delete_refused_when_an_activity_uses_the_facility(client, login, cast, rows):
    facility = rows["a1"]
    f.ActivityFactory(community=cast.a1, location=facility)
    login(cast.cadre_a1)
    page = client.get(reverse("facilities:delete", args=[facility.pk]))
    assert "不能删除" in page.content.decode()
    client.post(reverse("facilities:delete", args=[facility.pk]))
    assert Facility.objects.filter(pk=facility.pk).exists()

    free = f.FacilityFactory(community=cast.a1)
    response = client.post(reverse("facilities:delete", args=[free.pk]))
    assert response.status_code == 302
    assert not Facility.objects.filter(pk=free.pk).exists()


def test_projects_list_highlights_late_ones(client, login, cast):
    year = dt.date.today().year
    late = f.UpgradeProjectFactory(
        community=cast.a1, name="迟了", planned_year=year - 1, status="在建"
    )
    f.UpgradeProjectFactory(community=cast.a1, name="按时", planned_year=year, status="计划")
    f.UpgradeProjectFactory(
        community=cast.a1,
        name="晚完成",
        planned_year=year - 2,
        status="完成",
        completed_on=dt.date(year - 1, 3, 1),
    )
    f.UpgradeProjectFactory(community=cast.b1, name="乙街道的", planned_year=year - 3)
    login(cast.cadre_a1)
    url = reverse("facilities:project_list")
    page = client.get(url).content.decode()
    assert page.count('class="late ') == 2
    assert "乙街道的" not in page
    assert names_on_page(client, url + "?late=late") == ["晚完成", "迟了"]
    assert names_on_page(client, url + "?late=ok") == ["按时"]
    assert names_on_page(client, url + f"?planned_year={year}") == ["按时"]
    assert late.is_late


def test_project_form_rules(client, login, cast):
    login(cast.cadre_a1)
    url = reverse("facilities:project_create")
    data = {
        "community": cast.a1.pk,
        "name": "广场改造",
        "planned_year": "3000",
        "status": "完成",
        "investment": "12.5",
    }
    response = client.post(url, data)
    errors = response.context["form"].errors
    assert errors["planned_year"] == ["计划年度须是 1990–2100 之间的四位数年份。"]
    assert errors["completed_on"] == ["已完成的工程须填写完成日期。"]
    assert not UpgradeProject.objects.exists()
    response = client.post(url, {**data, "planned_year": "2025", "completed_on": "2025-10-01"})
    assert response.status_code == 302
    assert UpgradeProject.objects.get().community == cast.a1
