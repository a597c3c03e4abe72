"""The 志愿服务记录证明 PDF: one A4 page for a year of weekly service, fonts embedded, the
number and the verified total printed; the download is scoped."""

import datetime as dt
import os
from decimal import Decimal

from django.urls import reverse

from activities.models import ActivityStatus
from reports import service_certificates
from service import services
from service.models import ServiceRole
from service.services import Mark
from tests import factories as f
from tests.reports.pdf_util import pdf_fonts, pdf_pages, pdf_text, squash

TODAY = dt.date(2026, 12, 31)


def _weekly_year(cast, volunteer):
    start = dt.date(2026, 1, 3)
    for week in range(52):
        activity = f.ActivityFactory(
            community=cast.a1,
            name=f"周末广场健身指导第{week + 1}期",
            date=start + dt.timedelta(weeks=week),
            status=ActivityStatus.PENDING,
        )
        services.mark_service(
            activity=activity,
            user=cast.cadre_a1,
            marks=[Mark(volunteer.person_id, ServiceRole.VOLUNTEER, Decimal("2.5"))],
        )
        activity.status = ActivityStatus.VERIFIED
        activity.save()
    services.refresh_totals([volunteer.person_id])
    return services.issue_certificate(
        user=cast.cadre_a1, volunteer=volunteer, start=dt.date(2026, 1, 1), end=TODAY, today=TODAY
    )


def test_a_year_of_weekly_service_fits_one_page_with_the_number(cast, volunteers):
    cert = _weekly_year(cast, volunteers[0])
    data = service_certificates.certificates_pdf([cert])
    if path := os.environ.get("SERVICE_CERTIFICATE_PDF"):  # to look at it: pdftoppm -png
        with open(path, "wb") as fh:
            fh.write(data)
    assert pdf_pages(data) == 1
    text = squash(pdf_text(data))
    assert cert.number in text
    assert "志愿服务记录证明" in text and volunteers[0].person.name in text
    assert "合计130.0" in text  # 52 × 2.5 h, the verified total
    assert "2026年12月" in text  # summed by month: 12 lines, not 52
    fonts = pdf_fonts(data)
    assert fonts and all(row[-5] == "yes" for row in fonts)  # every font embedded
    assert any("CJK" in row[0] for row in fonts)


def test_a_short_period_lists_each_service(cast, volunteers):
    v = volunteers[0]
    a = f.ActivityFactory(
        community=cast.a1, name="重阳敬老演出", date=dt.date(2026, 10, 29), status="pending"
    )
    services.mark_service(
        activity=a, user=cast.cadre_a1, marks=[Mark(v.person_id, ServiceRole.VOLUNTEER, Decimal(3))]
    )
    a.status = ActivityStatus.VERIFIED
    a.save()
    cert = services.issue_certificate(
        user=cast.cadre_a1, volunteer=v, start=dt.date(2026, 10, 1), end=TODAY, today=TODAY
    )
    text = squash(pdf_text(service_certificates.certificates_pdf([cert])))
    assert "2026-10-29重阳敬老演出3.0" in text


def test_the_download_is_scoped(client, cast, volunteers):
    cert = _weekly_year(cast, volunteers[0])
    url = reverse("pdf:service_certificate", args=[cert.pk])
    client.force_login(cast.cadre_a2)
    assert client.get(url).status_code == 404
    client.force_login(cast.cadre_a1)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
