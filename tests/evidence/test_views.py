import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from activities.models import Activity, ActivityStatus
from evidence import scenes
from evidence.models import PhotoFlag

from .conftest import activity, upload_photo

pytestmark = pytest.mark.django_db
BACKEND = "django.contrib.auth.backends.ModelBackend"


def page(client, user, url):
    client.force_login(user, backend=BACKEND)
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def detail(a):
    return reverse("activities:detail", args=[a.pk])


def test_street_staff_see_both_activities_side_by_side(client, cast, reused):
    a1, a2, first, second = reused
    html = page(client, cast.street_staff, detail(a1))
    assert "照片重复使用" in html
    assert "2014-06-01 甲二社区 甲二广场舞比赛" in html.replace("\n", " ")
    assert reverse("activities:file", args=[second.pk]) + "?thumb=1" in html
    assert reverse("activities:file", args=[first.pk]) + "?thumb=1" in html
    assert reverse("evidence:explain", args=[PhotoFlag.objects.get(activity=a1).pk]) in html


def test_a_cadre_learns_only_that_a_match_exists_in_another_community(client, cast, reused):
    a1, a2, first, second = reused
    html = page(client, cast.cadre_a1, detail(a1))
    assert "另一社区的活动中有一张相似的照片" in html
    for secret in ("甲二", "广场舞", reverse("activities:file", args=[second.pk]), "2014-06-01"):
        assert secret not in html
    assert "evidence/flags" not in html  # no explain form for the community
    # The edit form (of a returned activity) warns gently, again without naming the other.
    type(a1).objects.filter(pk=a1.pk).update(status=ActivityStatus.RETURNED)
    form = page(client, cast.cadre_a1, reverse("activities:edit", args=[a1.pk]))
    assert "提交前请留意照片" in form and "与另一社区活动中的照片相似" in form
    # (甲二社区 is listed in the form as a possible 走亲 partner; its activity is not.)
    assert "广场舞比赛" not in form and "2014-06-01" not in form


def test_a_cadre_sees_both_sides_when_the_match_is_in_their_own_community(client, cast):
    one = activity(cast.a1, "甲一春季活动", dt.date(2014, 3, 1))
    two = activity(cast.a1, "甲一秋季活动", dt.date(2014, 9, 1))
    upload_photo(one, cast.cadre_a1, scenes.photo(31))
    other = upload_photo(two, cast.cadre_a1, scenes.jpeg(scenes.resized(scenes.scene(31), 0.5)))
    html = page(client, cast.cadre_a1, detail(one))
    assert "甲一秋季活动" in html
    assert reverse("activities:file", args=[other.pk]) in html
    form = page(client, cast.cadre_a1, reverse("activities:edit", args=[one.pk]))
    assert "与本社区“甲一秋季活动”（2014-09-01）的照片相似" in form


def test_a_verifier_marks_a_flag_explained(client, cast, reused):
    a1, a2, *_ = reused
    flag = PhotoFlag.objects.get(activity=a1)
    client.force_login(cast.street_staff, backend=BACKEND)
    response = client.post(
        reverse("evidence:explain", args=[flag.pk]), {"note": "两社区联合举办", "next": detail(a1)}
    )
    assert response.status_code == 302 and response["Location"] == detail(a1)
    assert PhotoFlag.objects.filter(explained=True).count() == 2
    html = client.get(detail(a2)).content.decode()
    assert "说明：两社区联合举办" in html and "均已说明" in html


def test_an_empty_note_is_refused_with_a_message(client, cast, reused):
    flag = PhotoFlag.objects.get(activity=reused[0])
    client.force_login(cast.street_staff, backend=BACKEND)
    response = client.post(reverse("evidence:explain", args=[flag.pk]), {"note": ""}, follow=True)
    assert "请填写说明。" in response.content.decode()
    assert not PhotoFlag.objects.filter(explained=True).exists()


@pytest.mark.parametrize("who", ["cadre_a1", "leader", "staff_b", "cadre_b1"])
def test_others_cannot_explain(client, cast, reused, who):
    flag = PhotoFlag.objects.get(activity=reused[0])
    client.force_login(getattr(cast, who), backend=BACKEND)
    response = client.post(reverse("evidence:explain", args=[flag.pk]), {"note": "x"})
    assert response.status_code in (403, 404)
    assert not PhotoFlag.objects.filter(explained=True).exists()


def test_the_queue_lists_pending_activities_with_flags(client, cast, reused):
    html = page(client, cast.street_staff, reverse("activities:queue"))
    assert "queue-photo-flags" in html
    assert "甲一健身操展示" in html and "1 张疑似重复使用" in html


def test_the_queue_block_counts_open_flags_of_pending_activities_only(cast, reused):
    from evidence import selectors, services

    a1, a2, _, _ = reused
    found = {
        p.activity.name: (p.reuse, p.date) for p in selectors.pending_flagged(cast.street_staff)
    }
    assert found == {"甲一健身操展示": (1, 0), "甲二广场舞比赛": (1, 0)}
    Activity.objects.filter(pk=a2.pk).update(status=ActivityStatus.VERIFIED)
    assert [p.activity.pk for p in selectors.pending_flagged(cast.street_staff)] == [a1.pk]
    services.flag_explain(
        flag=PhotoFlag.objects.get(activity=a1), user=cast.street_staff, note="同一场活动"
    )
    assert selectors.pending_flagged(cast.street_staff) == []  # explained: nothing open
    assert selectors.pending_flagged(cast.staff_b) == []  # another street's verifier


def test_the_date_flag_shows_the_days(client, cast):
    a = activity(cast.a1, "甲一活动", dt.date(2014, 5, 1), ActivityStatus.PENDING)
    upload_photo(a, cast.street_staff, scenes.photo(1, taken_at="2014:04:21 10:00:00"))
    html = page(client, cast.street_staff, detail(a))
    assert "照片拍摄于 2014-04-21，与活动日期 2014-05-01 相差 10 天（允许 3 天）" in html


def test_report_and_its_excel_export(client, cast, reused):
    url = reverse("evidence:report") + "?year=2014"
    html = page(client, cast.street_admin, url)
    assert "甲一健身操展示" in html and "甲二广场舞比赛" in html
    response = client.get(url + "&export=xlsx")
    content = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = load_workbook(io.BytesIO(content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("社区", "活动日期", "活动")
    assert {r[2] for r in rows[1:]} == {"甲一健身操展示", "甲二广场舞比赛"}
    assert len(rows) == 3


def test_report_is_for_the_street_only(client, cast, reused):
    client.force_login(cast.cadre_a1, backend=BACKEND)
    assert client.get(reverse("evidence:report")).status_code == 403
    html = page(client, cast.staff_b, reverse("evidence:report"))
    assert "甲一健身操展示" not in html


def test_report_counts_per_community(client, cast, reused):
    html = page(client, cast.street_staff, reverse("evidence:report") + "?year=2014")
    summary = html.split('id="reuse-summary"')[1].split("</table>")[0]
    assert summary.count('<td class="num">1</td>') >= 4  # 甲一 and 甲二: 1 flagged, 1 reused


def test_dashboard_shows_flagged_and_explained_counts(client, cast, reused):
    from evidence import selectors, services

    services.flag_explain(
        flag=PhotoFlag.objects.get(activity=reused[0]), user=cast.street_staff, note="联合举办"
    )
    counts = {
        c.community.name: (c.flagged, c.explained)
        for c in selectors.street_flag_counts(cast.street_a, 2014)
    }
    assert counts == {"甲一社区": (1, 1), "甲二社区": (1, 1)}
    assert selectors.street_flag_counts(cast.street_a, 2015)[0].flagged == 0
    html = page(client, cast.street_staff, reverse("dashboard:index") + "?year=2014")
    assert 'id="photo-counts"' in html


def _reused_pairs(cast, n, offset):
    for i in range(n):
        a = activity(cast.a1, f"甲一活动{offset + i}", dt.date(2014, 3, 1 + i))
        b = activity(cast.a2, f"甲二活动{offset + i}", dt.date(2014, 4, 1 + i))
        upload_photo(a, cast.street_staff, scenes.photo(200 + offset + i))
        upload_photo(b, cast.street_staff, scenes.photo(200 + offset + i))


def test_report_query_count_does_not_grow_with_rows(client, cast):
    client.force_login(cast.street_staff, backend=BACKEND)
    url = reverse("evidence:report") + "?year=2014"

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    _reused_pairs(cast, 1, 0)
    small = count()
    _reused_pairs(cast, 3, 10)
    assert PhotoFlag.objects.count() == 8
    assert count() == small


def test_activity_page_query_count_does_not_grow_with_flags(client, cast):
    client.force_login(cast.street_staff, backend=BACKEND)
    a = activity(cast.a1, "甲一活动", dt.date(2014, 5, 1))
    others = [activity(cast.a2, f"甲二活动{i}", dt.date(2014, 6, 1 + i)) for i in range(3)]

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(detail(a)).status_code == 200
        return len(ctx.captured_queries)

    upload_photo(a, cast.street_staff, scenes.photo(40))
    upload_photo(others[0], cast.street_staff, scenes.photo(40))
    small = count()
    for i, other in enumerate(others[1:], 1):
        upload_photo(a, cast.street_staff, scenes.photo(40 + i))
        upload_photo(other, cast.street_staff, scenes.photo(40 + i))
    assert PhotoFlag.objects.filter(activity=a).count() == 3
    assert count() == small
