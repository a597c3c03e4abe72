"""The top bar's search: a full results page and the as-you-type suggestions (an HTML
fragment the small script static/js/search.js puts under the box)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import selectors

PAGE_PER_KIND = 50
SUGGEST_PER_KIND = 5


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    text, kinds = selectors.search(request.user, request.GET.get("q"), per_kind=PAGE_PER_KIND)
    return render(
        request,
        "search/index.html",
        {"q": text, "kinds": kinds, "per_kind": PAGE_PER_KIND},
    )


@login_required
@require_GET
def suggest(request: HttpRequest) -> HttpResponse:
    text, kinds = selectors.search(request.user, request.GET.get("q"), per_kind=SUGGEST_PER_KIND)
    response = render(request, "search/_suggest.html", {"q": text, "kinds": kinds})
    response["Cache-Control"] = "private, no-store"
    return response
