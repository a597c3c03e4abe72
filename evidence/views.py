"""Pages of the photo check: explaining a flag, and the street's reused-photo report.

The flags themselves show inside the activity pages (templatetags/evidence_tags.py)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from communities import scope
from communities.pages import ScopedListView

from . import selectors, services
from .filters import ReuseFilter
from .forms import ExplainForm
from .models import PhotoFlag
from .tables import ReuseTable


@require_POST
@login_required
def flag_explain(request: HttpRequest, pk: int) -> HttpResponse:
    flag = scope.get_for_user_or_404(
        PhotoFlag.objects.select_related("activity"),
        request.user,
        via="activity__community",
        editable=True,
        pk=pk,
    )
    if not services.can_explain(request.user, flag.activity):
        raise PermissionDenied("只有街道工作人员可以说明照片疑点。")
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = flag.activity.get_absolute_url()
    form = ExplainForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return HttpResponseRedirect(target)
    try:
        services.flag_explain(flag=flag, user=request.user, note=form.cleaned_data["note"])
    except (ValidationError, PermissionDenied) as error:
        texts = error.messages if isinstance(error, ValidationError) else [str(error)]
        for message in texts:
            messages.error(request, message)
    else:
        messages.success(request, "已记录说明，该照片疑点标为“已说明”。")
    return HttpResponseRedirect(target)


class ReuseReport(ScopedListView):
    """重复使用照片: every reuse flag of the street's activities, by community and year."""

    model = PhotoFlag
    scope_via = "activity__community"
    table_class = ReuseTable
    filterset_class = ReuseFilter
    title = "照片重复使用情况"
    export_name = "照片重复使用"
    template_name = "evidence/report.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated and not scope.is_street_user(request.user):
            raise PermissionDenied("照片重复使用情况只供街道查看。")
        return super().dispatch(request, *args, **kwargs)

    def get_base_queryset(self) -> QuerySet:
        return selectors.reuse_flags()

    def year(self) -> int:
        raw = self.request.GET.get("year", "")
        return int(raw) if raw.isdigit() and 1949 <= int(raw) <= 2100 else timezone.localdate().year

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        year = self.year()
        communities = scope.visible_communities(self.request.user).order_by("street__name", "name")
        context["year"] = year
        context["counts"] = selectors.flag_counts(communities, year)
        context["run"] = selectors.latest_run()
        return context
