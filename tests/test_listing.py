"""The shared list machinery: phone masking, download names, menu links, base classes."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from communities.filters import PortalFilterSet
from facilities.filters import FacilityFilter
from portal.export import attachment_header
from portal.privacy import mask_phone


@pytest.mark.parametrize(
    ("raw", "masked"),
    [
        ("13812345678", "138****5678"),
        (" 13812345678 ", "138****5678"),
        ("138-1234-5678", "138-****-5678"),
        ("0571-87654321", "057*-****4321"),
        ("87654321", "****4321"),
        ("12345", "*****"),
        ("", ""),
        (None, ""),
    ],
)
def test_mask_phone(raw, masked):
    assert mask_phone(raw) == masked


def test_mask_phone_never_shows_the_middle_of_a_mobile_number():
    assert "1234" not in mask_phone("13812345678")


def test_attachment_header_has_ascii_fallback_and_rfc5987_name():
    header = attachment_header("设施_2026-11-22.xlsx")
    assert header.startswith('attachment; filename="')
    fallback = header.split('"')[1]
    assert fallback.isascii() and fallback.endswith(".xlsx")
    assert "filename*=UTF-8''%E8%AE%BE%E6%96%BD_2026-11-22.xlsx" in header


def test_url_if_resolves_known_names_and_is_empty_otherwise():
    template = Template(
        '{% load portal %}{% url_if "home" as a %}{% url_if "nope:nothing" as b %}'
        '{% url_if "nope:x|facilities:list" as c %}[{{ a }}][{{ b }}][{{ c }}]'
    )
    assert template.render(Context()) == "[/][][/facilities/]"


def test_mask_phone_filter():
    assert (
        Template("{% load portal %}{{ p|mask_phone }}").render(Context({"p": "13812345678"}))
        == "138****5678"
    )


@pytest.mark.django_db
def test_community_filter_choices_are_the_visible_communities(cast):
    request = RequestFactory().get("/")
    request.user = cast.cadre_a1
    form = FacilityFilter(data={}, request=request).form
    assert list(form.fields["community"].queryset) == [cast.a1]
    request.user = cast.street_staff
    form = FacilityFilter(data={}, request=request).form
    assert sorted(c.name for c in form.fields["community"].queryset) == ["甲一社区", "甲二社区"]


def test_free_text_search_ors_the_search_fields():
    from facilities.models import Facility

    class F(PortalFilterSet):
        search_fields = ("name", "note")

        class Meta:
            model = Facility
            fields = ["q"]

    sql = str(F(data={"q": "室"}, queryset=Facility.objects.all()).qs.query)
    assert "OR" in sql and "note" in sql


# ---------------------------------------------------------------- the pager and the filter at scale


def staff_with_rooms(client, cast, n):
    """n facilities 活动室0… in a1, and the street's staff signed in."""
    from tests import factories as f

    for i in range(n):
        f.FacilityFactory(community=cast.a1, name=f"活动室{i}")
    client.force_login(cast.street_staff)


@pytest.mark.django_db
def test_pager_counts_exactly_up_to_the_cap_then_says_more(client, cast, monkeypatch):
    from django.urls import reverse

    from portal import pages, tables

    staff_with_rooms(client, cast, 5)
    monkeypatch.setattr(tables, "PER_PAGE", 2)
    monkeypatch.setattr(
        pages.ListPage,
        "table_pagination",
        {"per_page": 2, "paginator_class": tables.CappedPaginator},
    )

    monkeypatch.setattr(tables, "COUNT_CAP", 5)
    response = client.get(reverse("facilities:list"))
    paginator = response.context["table"].paginator
    assert (paginator.count, paginator.capped, paginator.num_pages) == (5, False, 3)
    assert "共 5 条，第 1/3 页" in response.content.decode()

    monkeypatch.setattr(tables, "COUNT_CAP", 3)
    response = client.get(reverse("facilities:list") + "?page=2")
    paginator = response.context["table"].paginator
    assert (paginator.count, paginator.capped, paginator.num_pages) == (3, True, 2)
    text = response.content.decode()
    assert "超过 3 条（只列出前 3 条，请用筛选缩小范围），第 2/2 页" in text
    assert len(list(response.context["table"].paginated_rows)) == 1
    # a filter that brings the rows under the cap counts exactly again
    response = client.get(reverse("facilities:list") + "?q=活动室1")
    assert response.context["table"].paginator.capped is False
    assert response.context["table"].paginator.count == 1


@pytest.mark.django_db
def test_community_filter_groups_communities_by_street_for_a_district_operator(cast):
    from django.contrib.auth import get_user_model

    request = RequestFactory().get("/")
    request.user = get_user_model().objects.create_superuser("root", password="pass-1234-word")
    html = str(
        FacilityFilter(data={"community": str(cast.b1.pk)}, request=request).form["community"]
    )
    groups = {g.split('"')[0]: g for g in html.split('<optgroup label="')[1:]}
    assert set(groups) == {"甲街道", "乙街道"}
    assert "甲一社区" in groups["甲街道"] and "甲二社区" in groups["甲街道"]
    assert f'<option value="{cast.b1.pk}" selected>乙一社区</option>' in groups["乙街道"]
    assert (
        html.startswith('<select name="community"') and '<option value="">全部社区</option>' in html
    )

    request.user = cast.street_staff  # one street: a plain list, no groups
    html = str(FacilityFilter(data={}, request=request).form["community"])
    assert "optgroup" not in html
    assert html.index("甲一社区") < html.index("甲二社区") and "乙一社区" not in html


@pytest.mark.django_db
def test_community_filter_escapes_names(cast):
    cast.a1.name = '<b>"甲一"</b>'
    cast.a1.save()
    request = RequestFactory().get("/")
    request.user = cast.street_staff
    html = str(FacilityFilter(data={}, request=request).form["community"])
    assert "&lt;b&gt;&quot;甲一&quot;&lt;/b&gt;" in html and "<b>" not in html


@pytest.mark.django_db
def test_an_export_larger_than_excel_allows_is_refused_with_a_message(client, cast, monkeypatch):
    from django.urls import reverse

    from portal import pages

    staff_with_rooms(client, cast, 3)
    monkeypatch.setattr(pages, "MAX_ROWS", 3)
    response = client.get(reverse("facilities:list") + "?q=活动室&export=xlsx", follow=True)
    assert (
        response.redirect_chain[-1][0]
        == reverse("facilities:list") + "?q=%E6%B4%BB%E5%8A%A8%E5%AE%A4"
    )
    assert "共 3 条，超过 Excel 每表 3 行的上限" in response.content.decode()
    response = client.get(reverse("facilities:list") + "?q=活动室1&export=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_record_urls_names_every_page_from_one_prefix():
    from portal.pages import RecordUrls

    class VolunteerPages(RecordUrls):
        url_names = "teams:volunteer_"

    class Explicit(VolunteerPages):
        detail_url_name = "teams:elsewhere"  # a subclass's own name is kept

    assert (
        VolunteerPages.detail_url_name,
        VolunteerPages.update_url_name,
        VolunteerPages.delete_url_name,
        VolunteerPages.list_url_name,
    ) == (
        "teams:volunteer_detail",
        "teams:volunteer_update",
        "teams:volunteer_delete",
        "teams:volunteer_list",
    )
    assert (
        Explicit.detail_url_name == "teams:elsewhere"
        and Explicit.list_url_name == "teams:volunteer_list"
    )


@pytest.mark.django_db
def test_create_pages_cancel_to_their_list_and_delete_pages_return_to_it(client, cast):
    from django.urls import reverse

    from tests import factories as f

    client.force_login(cast.street_staff)
    page = client.get(reverse("facilities:create")).content.decode()
    assert f'href="{reverse("facilities:list")}">取消' in page
    facility = f.FacilityFactory(community=cast.a1)
    response = client.post(reverse("facilities:delete", args=[facility.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("facilities:list")
