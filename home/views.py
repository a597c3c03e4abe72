"""The home page: the user's scope in figures, with links into the lists."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.contrib.staticfiles import finders
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from communities import scope
from portal.links import url_if

from . import guide, selectors


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


@login_required
def help_index(request: HttpRequest) -> HttpResponse:
    """使用说明 of the user's own role."""
    role = guide.role_for_user(scope.role_of(request.user), request.user.is_superuser)
    return _help(request, role)


@login_required
def help_role(request: HttpRequest, role: str) -> HttpResponse:
    """使用说明 of any role (a cadre may read what the street does with their records)."""
    if role not in guide.GUIDES:
        raise Http404("没有这个角色的使用说明。")
    return _help(request, role)


def _help(request: HttpRequest, role: str) -> HttpResponse:
    tasks = [
        {
            "n": n,
            "task": task,
            "url": f"{reverse(task.url_name)}?{task.query}"
            if task.query
            else reverse(task.url_name),
            "screenshot": task.screenshot(role, n)
            if finders.find(task.screenshot(role, n))
            else "",
        }
        for n, task in enumerate(guide.guide_for(role), start=1)
    ]
    others = [(r, guide.ROLE_LABELS[r]) for r in guide.GUIDES if r != role]
    return render(
        request,
        "help.html",
        {"role": role, "role_label": guide.ROLE_LABELS[role], "tasks": tasks, "others": others},
    )
