"""Downloads of the printed documents: the annual report, notices and the yearbook.

Who may download what (everything else is 404 through communities/scope.py, never 403):
    leaders, street staff, street admin   the annual report of their street (a run's or the
                                          year's), every notice and the whole yearbook
    community cadre                       their own community's notice and yearbook section
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.decorators.http import require_GET

from assessments import selectors
from communities import scope
from communities.models import Street
from security_log.models import Event
from security_log.services import record as log_event
from service.models import ServiceCertificate

from . import annual, notices, service_certificates, yearbook
from .pdf import attachment

NOT_FOUND = "没有找到该记录，或您无权查看。"


def pdf_response(
    request: HttpRequest, data: bytes, filename: str, fallback: str, **what: int
) -> HttpResponse:
    """The PDF as a download; the download is written to the security log with `what`
    (the report's kind and ids — the fallback name says which report it is)."""
    log_event(
        Event.DOWNLOAD, user=request.user, request=request, file=fallback.split("-")[0], **what
    )
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = attachment(filename, fallback)
    # Results and names of people: never kept by shared caches.
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _street_or_404(request: HttpRequest, street_id: int) -> Street:
    return get_object_or_404(scope.visible_streets(request.user), pk=street_id)


def _street_users_only(request: HttpRequest) -> None:
    # The annual report covers every community of the street: a cadre's scope is smaller.
    if not scope.is_street_user(request.user):
        raise Http404(NOT_FOUND)


def _year_or_404(year: int) -> int:
    if not 2000 <= year <= timezone.localdate().year:
        raise Http404(NOT_FOUND)
    return year


@login_required
@require_GET
def annual_run(request: HttpRequest, pk: int) -> HttpResponse:
    run = selectors.run_or_404(request.user, pk)
    _street_users_only(request)
    report = annual.build_from_run(run)
    return pdf_response(
        request,
        annual.render(report),
        report.filename,
        f"annual-report-{run.year}-v{run.version}.pdf",
        run=run.pk,
    )


@login_required
@require_GET
def annual_year(request: HttpRequest, street_id: int, year: int) -> HttpResponse:
    street = _street_or_404(request, street_id)
    _street_users_only(request)
    _year_or_404(year)
    as_of = None
    if request.GET.get("as_of"):
        try:
            as_of = dt.date.fromisoformat(request.GET["as_of"])
        except ValueError:
            return HttpResponseBadRequest("截至日期格式应为 YYYY-MM-DD。")
    try:
        report = annual.build_for(street, year, as_of)
    except ValidationError as error:
        return HttpResponseBadRequest("；".join(error.messages))
    return pdf_response(
        request,
        annual.render(report),
        report.filename,
        f"annual-report-{year}.pdf",
        street=street.pk,
        year=year,
    )


@login_required
@require_GET
def notice(request: HttpRequest, pk: int, community_id: int) -> HttpResponse:
    run = selectors.run_or_404(request.user, pk)
    community = get_object_or_404(
        scope.visible_communities(request.user), pk=community_id, street_id=run.street_id
    )
    try:
        built = notices.build_notice(run, community)
    except ValueError:
        raise Http404(NOT_FOUND) from None
    return pdf_response(
        request,
        notices.render(built),
        built.filename,
        f"notice-{run.year}-{community.pk}.pdf",
        run=run.pk,
        community=community.pk,
    )


@login_required
@require_GET
def yearbook_pdf(request: HttpRequest, street_id: int, year: int) -> HttpResponse:
    street = _street_or_404(request, street_id)
    _year_or_404(year)
    communities = list(scope.visible_communities(request.user).filter(street=street))
    if not communities:
        raise Http404(NOT_FOUND)
    book = yearbook.build_yearbook(street, year, communities)
    return pdf_response(
        request,
        yearbook.render(book),
        book.filename,
        f"yearbook-{year}.pdf",
        street=street.pk,
        year=year,
    )


@login_required
@require_GET
def service_certificate(request: HttpRequest, pk: int) -> HttpResponse:
    """志愿服务记录证明 of one volunteer, for whoever may see the volunteer's community."""
    cert = scope.get_for_user_or_404(
        ServiceCertificate.objects.select_related("person", "community", "street"),
        request.user,
        pk=pk,
    )
    return pdf_response(
        request,
        service_certificates.certificates_pdf([cert]),
        f"志愿服务记录证明_{cert.person.name}_{cert.number}.pdf",
        f"service-certificate-{cert.number}.pdf",
        certificate=cert.pk,
    )
