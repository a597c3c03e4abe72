"""No personal data in logs, error pages, URLs or the admin's forms."""

import io
import logging

import pytest
from django.conf import settings
from django.urls import reverse

from privacy.logging import RedactPersonalData, redact
from tests import factories as f

from .conftest import MASKED, PHONE


def test_redact_masks_mobile_and_id_card_numbers():
    assert redact("tel 13812345678, id 11010519491231002X") == (
        "tel 138****5678, id 1101**********002X"
    )
    assert redact("order 2014 and 0571-87654321") == "order 2014 and 0571-87654321"


def test_every_log_handler_masks_numbers_in_messages_arguments_and_tracebacks():
    for handler in settings.LOGGING["handlers"].values():
        assert "redact_personal_data" in handler["filters"]
    out = io.StringIO()
    handler = logging.StreamHandler(out)
    handler.addFilter(RedactPersonalData())
    logger = logging.getLogger("tests.privacy.redact")
    logger.addHandler(handler)
    try:
        logger.warning("duplicate phone %s", PHONE)
        try:
            raise ValueError(f"bad value {PHONE}")
        except ValueError:
            logger.exception("failed")
    finally:
        logger.removeHandler(handler)
    text = out.getvalue()
    assert PHONE not in text and text.count(MASKED) == 2


@pytest.mark.django_db
def test_pages_of_another_community_say_nothing_about_the_person(login, cast, member):
    client = login(cast.cadre_a2)
    for name in ("teams:person_detail", "privacy:reveal_person", "privacy:anonymise"):
        response = client.get(reverse(name, args=[member.pk]))
        page = response.content.decode()
        assert response.status_code == 404
        assert member.name not in page and PHONE not in page and MASKED not in page


@pytest.mark.django_db
def test_urls_carry_ids_only(login, cast, member):
    for name in ("privacy:reveal_person", "privacy:anonymise", "teams:person_detail"):
        url = reverse(name, args=[member.pk])
        assert member.name not in url and PHONE not in url and member.code not in url


@pytest.mark.django_db
def test_the_admin_change_forms_show_phones_masked(client, member):
    admin = f.UserFactory(username="operator", is_staff=True, is_superuser=True)
    admin.save()
    client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")
    team = member.teams.get()
    for url in (
        reverse("admin:teams_person_change", args=[member.pk]),
        reverse("admin:teams_team_change", args=[team.pk]),
    ):
        page = client.get(url).content.decode()
        assert PHONE not in page and "13955556666" not in page, url
        assert "为保护个人信息" in page
