"""工作看板: the street's and each community's standing against the plan today.

Street users (admin, staff, leader) see their street; a superuser picks one. A community
cadre sees only their own community: the street view redirects them there, and another
community's page is 404 like any record outside the scope (communities.scope).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from activities.selectors import activity_years_subquery, default_year, years_of
from communities import scope
from communities.models import Community, Street
from inbox import services as inbox
from portal.dates import today
from rectification import selectors as rectification
from reporting.models import ReportingCalendar
from yearcycle import selectors as yearcycle

from . import html
from .build import Dashboard, build
from .period import Period, period_of

MIN_YEAR = 2000


def _period(request: HttpRequest, years: list[int]) -> Period:
    """The year and optional as-of day of the query. The default year is the home page's
    (this year, or the latest with activities); bad input falls back to it, saying so."""
    today = timezone.localdate()
    year = default_year(years, today)
    raw_year = request.GET.get("year", "").strip()
    if raw_year:
        if raw_year.isdigit() and MIN_YEAR <= int(raw_year) <= today.year:
            year = int(raw_year)
        else:
            messages.warning(request, f"年度“{raw_year}”无效，已显示 {year} 年。")
    as_of = None
    raw_day = request.GET.get("as_of", "").strip()
    if raw_day:
        try:
            as_of = dt.date.fromisoformat(raw_day)
        except ValueError:
            messages.warning(request, f"截至日期“{raw_day}”格式应为 YYYY-MM-DD，已按默认日期显示。")
    try:
        return period_of(year, today, as_of)
    except ValueError as exc:
        messages.warning(request, f"{exc}已按默认日期显示。")
        return period_of(year, today)


def _years(years: list[int], period: Period) -> list[int]:
    return sorted(set(years) | {period.today.year, period.year}, reverse=True)


def _query(request: HttpRequest, **changes: object) -> str:
    params = {k: v for k, v in request.GET.items() if k in ("street", "year", "as_of", "sort")}
    params.update({k: str(v) for k, v in changes.items()})
    params = {k: v for k, v in params.items() if v}
    return "?" + urlencode(params) if params else ""


@dataclass(frozen=True)
class Header:
    key: str
    label: str
    title: str
    url: str
    state: str  # "asc" / "desc" on the current sort column
    numeric: bool


def _headers(request: HttpRequest, dash: Dashboard) -> list[Header]:
    """The sortable column headers of the street table, each linking to its sort."""
    current = dash.sort
    columns = [
        ("name", "社区", "社区名称"),
        ("rank", "名次", "总分名次"),
        ("total", "总分", "总分"),
    ]
    columns += [(c["code"], c["code"], f"{c['name']}（{c['max_points']}分）") for c in dash.cards]
    columns += [
        (c.code, c.code, f"{c.name}（{c.max_points.normalize():f}分）") for c in dash.columns
    ]
    out = []
    for key, label, title in columns:
        # Names and ranks read upwards first; points from the best down.
        target = key if key in ("name", "rank") else f"-{key}"
        state = ""
        if current.removeprefix("-") == key:
            state = "desc" if current.startswith("-") else "asc"
            target = key if current.startswith("-") else f"-{key}"
        out.append(Header(key, label, title, _query(request, sort=target), state, key != "name"))
    return out


def _street_for(request: HttpRequest) -> Street | None:
    """The street shown: the user's own, or (superuser) the one picked with ?street=."""
    streets = scope.visible_streets(request.user).order_by("name")
    raw = request.GET.get("street", "").strip()
    membership = scope.membership_of(request.user)
    if not raw and not scope.sees_many_streets(request.user) and membership is not None:
        return membership.street  # the one street they see, loaded with the membership
    if raw:
        if not raw.isdigit():
            raise Http404("没有找到该街道，或您无权查看。")
        street = streets.filter(pk=int(raw)).first()
        if street is None:
            raise Http404("没有找到该街道，或您无权查看。")
        return street
    found = list(streets[:2])
    return found[0] if len(found) == 1 else None


def _street_facts(request: HttpRequest, street: Street) -> tuple[list[int], ReportingCalendar]:
    """In one query: the years with activities (activity_years), the street's reporting
    calendar (as reporting.services.calendar_for gives it) and the top bar's unread count
    (kept on the request for the inbox context processor)."""
    row = (
        Street.objects.filter(pk=street.pk)
        .annotate(
            unread=inbox.unread_count_of(request.user),
            years=activity_years_subquery(request.user),
        )
        .values(
            "unread",
            "years",
            "reporting_calendar__pk",
            "reporting_calendar__cadence",
            "reporting_calendar__deadline_day",
            "reporting_calendar__require_approval_to_finalise",
        )
        .get()
    )
    request._inbox_unread = row["unread"]  # type: ignore[attr-defined]
    years = years_of(row["years"])
    if row["reporting_calendar__pk"] is None:
        return years, ReportingCalendar(street_id=street.pk)  # the default, as calendar_for
    return years, ReportingCalendar(
        pk=row["reporting_calendar__pk"],
        street_id=street.pk,
        cadence=row["reporting_calendar__cadence"],
        deadline_day=row["reporting_calendar__deadline_day"],
        require_approval_to_finalise=row["reporting_calendar__require_approval_to_finalise"],
    )


@login_required
def index(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not scope.is_street_user(user):
        membership = scope.membership_of(user)
        if membership is None or membership.community_id is None:
            raise Http404("您没有可查看的街道或社区。")
        url = reverse("dashboard:community", args=[membership.community_id])
        return HttpResponseRedirect(url + _query(request, sort=""))
    street = _street_for(request)
    if street is None:
        return render(
            request,
            "dashboard/pick_street.html",
            {"streets": scope.visible_streets(user).order_by("name")},
        )
    years, calendar = _street_facts(request, street)
    period = _period(request, years)
    dash = build(street, period, user, sort=request.GET.get("sort", "rank"))
    headers = _headers(request, dash)
    drill_query = _query(request, sort="", street="")
    # The street's communities, read once by the assessment, for the blocks that list them.
    communities = dash.by_name
    return render(
        request,
        "dashboard/street.html",
        {
            "dash": dash,
            "period": period,
            "years": _years(years, period),
            "headers": headers,
            "street_param": street.pk if scope.sees_many_streets(user) else "",
            "street_rows": html.street_rows(dash.rows, len(headers), drill_query),
            "pace_rows": html.pace_rows(dash.rows, len(dash.pace_columns), period.provisional),
            "late_reports": yearcycle.late_today(
                user, street, today(), communities=communities, calendar=calendar
            ),
            "flag_communities": [
                Community(pk=pk, name=name, street=street) for pk, name in communities
            ],
            "board_url": f"{reverse('yearcycle:board')}?street={street.pk}",
            "overdue_rectifications": rectification.overdue(user, today(), street=street),
        },
    )


@login_required
def community(request: HttpRequest, pk: int) -> HttpResponse:
    user = request.user
    # The years with activities and the top bar's unread count read along (the inbox context
    # processor reuses it).
    place = scope.get_for_user_or_404(
        Community.objects.select_related("street").annotate(
            unread=inbox.unread_count_of(user), years=activity_years_subquery(user)
        ),
        user,
        via="pk",
        pk=pk,
    )
    request._inbox_unread = place.unread  # type: ignore[attr-defined]
    years = years_of(place.years)
    period = _period(request, years)
    dash = build(place.street, period, user, community=place)
    street_url = ""
    if scope.is_street_user(user):
        street_url = reverse("dashboard:index") + _query(
            request, street=place.street_id if scope.sees_many_streets(user) else ""
        )
    return render(
        request,
        "dashboard/community.html",
        {
            "dash": dash,
            "row": dash.row,
            "period": period,
            "years": _years(years, period),
            "street_url": street_url,
            "overdue_rectifications": rectification.overdue(user, today(), community=place),
        },
    )
