"""The district's pages: its dashboard, the rankings of its communities and streets, and
their Excel. District users (admin, viewer) see their own district; the platform operator
picks one. Anyone else is sent to the street dashboard: a street sees its own street only."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from activities.selectors import default_year
from assessments.scheme import SchemeSpec
from communities import scope
from communities.models import CommunityKind, District
from portal.dates import today
from portal.export import xlsx_response, xlsx_sheets_response

from . import board, html, jobs, services, tables
from .rankings import TOTAL, rank, street_lines
from .selectors import DistrictYear, district_for, district_year, district_years, reporting_board

MIN_YEAR = 2000
PARAMS = ("district", "year", "street", "kind", "by")


@dataclass(frozen=True)
class Query:
    data: DistrictYear
    street_id: int | None
    kind: str
    key: str
    years: list[int]

    @property
    def key_label(self) -> str:
        return self.data.keys[self.key]


def _query(request: HttpRequest, **changes: object) -> str:
    params = {k: v for k, v in request.GET.items() if k in PARAMS}
    params.update({k: str(v) for k, v in changes.items()})
    params = {k: v for k, v in params.items() if v}
    return "?" + urlencode(params) if params else ""


def _year(request: HttpRequest, district: District) -> tuple[int, list[int]]:
    today = timezone.localdate()
    years = district_years(district)
    year = default_year(years, today)
    raw = request.GET.get("year", "").strip()
    if raw:
        if raw.isdigit() and MIN_YEAR <= int(raw) <= today.year:
            year = int(raw)
        else:
            messages.warning(request, f"年度“{raw}”无效，已显示 {year} 年。")
    return year, sorted(set(years) | {today.year, year}, reverse=True)


def _place(request: HttpRequest) -> tuple[District, int, list[int]] | HttpResponse:
    """The district and year of the request, or the response that replaces the page (a
    redirect for non-district users, the district picker for the operator)."""
    user = request.user
    if not scope.is_district_user(user):
        messages.info(request, "区县页面供区县用户使用，已为您打开本街道的看板。")
        return HttpResponseRedirect(reverse("dashboard:index"))
    district = district_for(user, request.GET.get("district", "").strip())
    if district is None:
        return render(
            request,
            "district/pick.html",
            {"districts": scope.visible_districts(user).order_by("name")},
        )
    year, years = _year(request, district)
    return district, year, years


def _read(request: HttpRequest) -> Query | HttpResponse:
    """The district's year with the filters of the request (or the replacing response)."""
    place = _place(request)
    if isinstance(place, HttpResponse):
        return place
    district, year, years = place
    data = district_year(district, year)
    street_id = None
    raw_street = request.GET.get("street", "").strip()
    if raw_street:
        if raw_street.isdigit() and int(raw_street) in {s.pk for s in data.streets}:
            street_id = int(raw_street)
        else:
            messages.warning(request, "所选街道不在本区县，已显示全部街道。")
    kind = request.GET.get("kind", "").strip()
    if kind and kind not in CommunityKind.values:
        messages.warning(request, f"社区类型“{kind}”无效，已显示全部类型。")
        kind = ""
    key = request.GET.get("by", "").strip() or TOTAL
    if key not in data.keys:
        messages.warning(request, "排名依据无效，已按总分排名。")
        key = TOTAL
    return Query(data, street_id, kind, key, years)


def _base(request: HttpRequest, q: Query) -> dict:
    return {
        "q": q,
        "data": q.data,
        "district_param": q.data.district.pk if request.user.is_superuser else "",
        "kinds": CommunityKind.values,
        "export_url": _query(request, export="xlsx"),
        "white_paper_url": reverse("district:white_paper")
        + _query(request, year=q.data.year, street="", kind="", by=""),
    }


def _board_page(request: HttpRequest, template: str, title: str, sheet: str) -> HttpResponse:
    """A page of the district's overview (street by street), or its Excel."""
    q = _read(request)
    if isinstance(q, HttpResponse):
        return q
    reporting = reporting_board(request.user, q.data.district, q.data.year, today())
    overview = board.overview(q.data, reporting)
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            tables.street_rows(overview),
            title=f"{q.data.district.name}{q.data.year}年{title}",
            sheet=sheet,
        )
    return render(request, template, {**_base(request, q), "board": overview})


@login_required
def index(request: HttpRequest) -> HttpResponse:
    """区县看板: where each street stands, the weakest indicators, overdue verification."""
    return _board_page(request, "district/index.html", "区县看板", "各街道")


@login_required
def rankings(request: HttpRequest) -> HttpResponse:
    """全区社区排名: overall, by card or by one indicator, filtered by street and kind."""
    q = _read(request)
    if isinstance(q, HttpResponse):
        return q
    rows = rank(q.data.entries, q.key, street_id=q.street_id, kind=q.kind)
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            tables.ranking_rows(rows, q.key_label),
            title=f"{q.data.district.name}{q.data.year}年社区排名_{q.key_label}",
            sheet="社区排名",
        )
    lines = street_lines([r.entry for r in rows], q.data.grades)  # the shown communities' streets
    return render(
        request,
        "district/rankings.html",
        {
            **_base(request, q),
            "rows": rows,
            "lines": lines,
            "card_keys": [(c.key, f"{c.code} {c.name}") for c in q.data.cards],
            "indicator_keys": [(c.key, f"{c.code} {c.name}") for c in q.data.indicators],
            "workbook_url": reverse("district:workbook") + _query(request),
            "ranking_rows": html.ranking_rows(
                rows, with_total=q.key != "total", scorecard_query=f"?year={q.data.year}"
            ),
        },
    )


@login_required
def streets(request: HttpRequest) -> HttpResponse:
    """全区街道排名: each street's average, spread, grades and plan targets."""
    return _board_page(request, "district/streets.html", "街道排名", "街道排名")


@login_required
def reporting(request: HttpRequest) -> HttpResponse:
    """全区报送情况: street × period of the streets' reporting boards, each street's cell
    opening that street's board (yearcycle), with the reporting and on-time rates."""
    place = _place(request)
    if isinstance(place, HttpResponse):
        return place
    district, year, years = place
    streets = list(district.streets.order_by("name").values_list("pk", "name"))
    street_id = None
    raw = request.GET.get("street", "").strip()
    if raw:
        if raw.isdigit() and int(raw) in {pk for pk, _ in streets}:
            street_id = int(raw)
        else:
            messages.warning(request, "所选街道不在本区县，已显示全部街道。")
    the_board = reporting_board(request.user, district, year, today(), street_id)
    if request.GET.get("export") == "xlsx":
        return xlsx_response(
            tables.reporting_rows(the_board),
            title=f"{district.name}{year}年报送情况",
            sheet="报送情况",
        )
    return render(
        request,
        "district/reporting.html",
        {
            "district": district,
            "board": the_board,
            "year": year,
            "years": years,
            "streets": streets,
            "street_id": street_id,
            "district_param": district.pk if request.user.is_superuser else "",
            "export_url": _query(request, export="xlsx"),
            "street_board_url": reverse("yearcycle:board"),
        },
    )


@login_required
def workbook(request: HttpRequest) -> HttpResponse:
    """Every ranking of the year in one workbook: overall, each card, each indicator and the
    streets (the white paper's tables)."""
    q = _read(request)
    if isinstance(q, HttpResponse):
        return q
    return xlsx_sheets_response(
        tables.all_rankings(q.data, board.overview(q.data)),
        title=f"{q.data.district.name}{q.data.year}年全部排名",
    )


@login_required
@require_POST
def white_paper(request: HttpRequest) -> HttpResponse:
    """Start the white paper of the district's year as a background job; its page shows the
    progress and offers the PDF."""
    place = _place(request)
    if isinstance(place, HttpResponse):
        return place
    district, year, _years = place
    try:
        job = jobs.white_paper_start(user=request.user, district=district, year=year)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
        return HttpResponseRedirect(reverse("district:rankings") + _query(request))
    messages.success(request, f"已开始生成{district}{year}年白皮书，完成后可在此下载。")
    return HttpResponseRedirect(job.get_absolute_url())


@login_required
def scheme(request: HttpRequest) -> HttpResponse:
    """区县考核方案: the published scheme of the year, or (district admin) publishing one.
    Once published it cannot be changed; the district's rankings score every street by it."""
    place = _place(request)
    if isinstance(place, HttpResponse):
        return place
    district, year, years = place
    here = reverse("district:scheme") + _query(request, year=year)
    if request.method == "POST":
        try:
            services.publish_scheme(
                user=request.user,
                district=district,
                year=year,
                source=request.POST.get("source", ""),
            )
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, f"已发布{district}{year}年统一考核方案。")
        return HttpResponseRedirect(here)
    published = services.published(district, year)
    return render(
        request,
        "district/scheme.html",
        {
            "district": district,
            "year": year,
            "years": years,
            "published": published,
            "spec": SchemeSpec.of(published.data) if published else None,
            "can_publish": published is None and scope.can_administer_district(request.user),
            "sources": services.source_choices(district, year),
            "district_param": district.pk if request.user.is_superuser else "",
        },
    )
