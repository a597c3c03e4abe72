"""定稿 and the reporting periods: blocked by the street's setting, otherwise allowed."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from assessments import services
from assessments.models import RunStatus
from reporting import locks
from reporting import services as reporting
from reporting.models import PeriodSubmission, ReportingCalendar
from reporting.rules import Period
from tests import factories as f
from tests.assessments.conftest import full_marks
from tests.assessments.test_services import make_run


def approve_all(cast, year: int) -> None:
    for community in (cast.a1, cast.a2):
        for month in range(1, 13):
            s = reporting.submit(
                user=cast.street_staff,
                community=community,
                period=Period(year, month),
                now=dt.datetime(year + 1, 2, 1, tzinfo=dt.UTC),
            )
            reporting.approve(user=cast.street_staff, submission=s)


def test_the_setting_blocks_finalising_until_every_period_is_approved(cast):
    full_marks(cast.a1)
    f.PopulationFactory(community=cast.a2)
    run = make_run(cast)
    ReportingCalendar.objects.create(street=cast.street_a, require_approval_to_finalise=True)
    assert len(locks.unapproved_periods(cast.street_a.pk, run.year)) == 24
    with pytest.raises(ValidationError, match="尚有24个期间未审核"):
        services.finalise_run(run=run, user=cast.street_admin)
    approve_all(cast, run.year)
    assert PeriodSubmission.objects.count() == 24
    assert locks.unapproved_periods(cast.street_a.pk, run.year) == []
    assert services.finalise_run(run=run, user=cast.street_admin).status == RunStatus.FINAL


def test_without_the_setting_finalising_only_warns(cast, client):
    full_marks(cast.a1)
    f.PopulationFactory(community=cast.a2)
    run = make_run(cast)
    client.force_login(cast.street_admin)
    response = client.post(reverse("assessments:run_finalise", args=[run.pk]), follow=True)
    run.refresh_from_db()
    assert run.status == RunStatus.FINAL
    assert "尚有24个社区报送期间未审核通过" in response.content.decode()
