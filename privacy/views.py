"""Pages of personal-data protection: reveal one number, anonymise a person who left, and
the street admin's review of persons past the retention period.

Record ids are in the URL; names, numbers and reasons only ever travel in a POST body.
A record outside the user's scope is 404 (the scope's rule); inside it, a role that may
not reveal or anonymise gets 403 and the refusal is logged.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from communities import scope
from communities.pages import ScopedListView
from portal.dates import today
from portal.pages import add_errors
from security_log.models import Event
from teams import selectors as teams
from teams.filters import PersonFilter
from teams.models import Person, Team

from . import selectors, services
from .forms import ReasonForm
from .tables import RetentionTable


def _refused(request: HttpRequest, event: str, obj: Any) -> HttpResponse:
    services.log_refused(event, user=request.user, request=request, obj=obj)
    return render(request, "403.html", status=403)


def _reveal(
    request: HttpRequest, obj: Person | Team, allowed: QuerySet, label: str
) -> HttpResponse:
    if not allowed.filter(pk=obj.pk).exists():
        return _refused(request, Event.REVEAL, obj)
    form = ReasonForm(request.POST or None)
    context = {"form": form, "object": obj, "label": label, "phone": None}
    if request.method == "POST" and form.is_valid():
        context["phone"] = services.reveal_phone(
            obj=obj, user=request.user, request=request, reason=form.cleaned_data["reason"]
        )
    return render(request, "privacy/reveal.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def reveal_person(request: HttpRequest, pk: int) -> HttpResponse:
    person = scope.get_for_user_or_404(
        teams.visible_persons(request.user), request.user, via="street", pk=pk
    )
    return _reveal(request, person, selectors.revealable_persons(request.user), "人员")


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def reveal_team(request: HttpRequest, pk: int) -> HttpResponse:
    team = scope.get_for_user_or_404(Team.objects.all(), request.user, pk=pk)
    return _reveal(request, team, selectors.revealable_teams(request.user), "团队")


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def anonymise(request: HttpRequest, pk: int) -> HttpResponse:
    person = scope.get_for_user_or_404(
        teams.visible_persons(request.user), request.user, via="street", pk=pk
    )
    if not selectors.may_anonymise(request.user):
        return _refused(request, Event.ANONYMISE, person)
    form = ReasonForm(request.POST or None, example="本人 2026-12-01 书面申请删除")
    if request.method == "POST" and form.is_valid():
        try:
            services.anonymise_person(
                person=person,
                user=request.user,
                request=request,
                reason=form.cleaned_data["reason"],
                today=today(),
            )
        except ValidationError as error:
            add_errors(form, error)
        except PermissionDenied:
            return _refused(request, Event.ANONYMISE, person)
        else:
            messages.success(request, "该人员的姓名和联系电话已匿名化，已记入安全日志。")
            return HttpResponseRedirect(reverse("teams:person_detail", args=[person.pk]))
    context = {
        "form": form,
        "object": person,
        "anonymised": selectors.is_anonymised(person),
        "left_on": selectors.person_left_on(person, today()),
    }
    return render(request, "privacy/anonymise.html", context)


class RetentionList(ScopedListView):
    """Persons who left longer ago than settings.PIPL_RETENTION_DAYS, for review."""

    model = Person
    table_class = RetentionTable
    filterset_class = PersonFilter
    title = "超过保存期限的人员"
    export_name = "超过保存期限的人员"
    template_name = "privacy/retention.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated and not selectors.may_anonymise(request.user):
            raise PermissionDenied("只有街道管理员可以查看超过保存期限的人员。")
        return super().dispatch(request, *args, **kwargs)

    def get_scoped_queryset(self) -> QuerySet:
        return selectors.retention_due(self.request.user, today()).select_related("street")

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["days"] = selectors.retention_days()
        return context
