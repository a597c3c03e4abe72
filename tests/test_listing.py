"""The shared list machinery: phone masking, download names, menu links, base classes."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from communities.listing import PortalFilterSet, attachment_header, mask_phone
from facilities.filters import FacilityFilter


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
    assert Template("{% load portal %}{{ p|mask_phone }}").render(Context({"p": "13812345678"})) == "138****5678"


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
