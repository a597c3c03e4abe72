"""The home page: the user's scope in figures, with links into the lists."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from communities import scope
from portal.links import url_if

from . import selectors


def _link(name: str, **query: object) -> str:
    """The URL of a page that may not exist yet (lists are added app by app): "" if absent."""
    url = url_if(name)
    if not url:
        return ""
    params = {k: v for k, v in query.items() if v not in (None, "")}
    return f"{url}?{urlencode(params)}" if params else url


def _year_param(request: HttpRequest) -> int | None:
    value = request.GET.get("year", "")
    if value.isdigit() and 2000 <= int(value) <= 2100:
        return int(value)
    return None


@login_required
def home(request: HttpRequest) -> HttpResponse:
    figures = selectors.home_figures(request.user, _year_param(request))
    year = figures.year
    cards = [
        ("在用文体设施", figures.facilities, _link("facilities:list", status="在用")),
        ("活跃文体团队", figures.teams, _link("teams:list", state="active")),
        ("人员", figures.persons, _link("teams:person_list")),
        ("在册志愿者", figures.volunteers, _link("teams:volunteer_list", state="active")),
        ("持证社会体育指导员", figures.instructors, _link("teams:certificate_list")),
    ]
    if figures.is_street:
        cards.insert(0, ("社区", figures.communities, ""))
    activity_cards = [("全部", figures.activities_total, _link("activities:list", year=year), "")]
    activity_cards += [
        (
            s.label,
            s.count,
            _link("activities:list", year=year, status=s.status),
            f"status-{s.status}",
        )
        for s in figures.activities
    ]
    rows = [
        (row, _link("activities:list", year=year, community=row.community.pk))
        for row in figures.rows
    ]
    queue = _link("activities:queue") if scope.can_verify(request.user) else ""
    return render(
        request,
        "home.html",
        {
            "figures": figures,
            "cards": cards,
            "activity_cards": activity_cards,
            "rows": rows,
            "queue_url": queue,
            "membership": scope.membership_of(request.user),
        },
    )
