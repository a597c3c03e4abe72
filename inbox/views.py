"""The signed-in user's inbox: their own items only (nothing here takes another user's id)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.timezone import localtime
from django.views.decorators.http import require_POST

from portal.export import xlsx_response

from . import services
from .models import Item


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    items = Item.objects.filter(user=request.user)
    if request.GET.get("unread"):
        items = items.filter(read_at__isnull=True)
    if request.GET.get("export") == "xlsx":
        rows = [["时间", "类别", "标题", "内容", "已读"]]
        rows += [
            [
                localtime(i.created_at).replace(tzinfo=None),
                i.get_kind_display(),
                i.title,
                i.body,
                "是" if i.read_at else "否",
            ]
            for i in items
        ]
        return xlsx_response(rows, title="收件箱")
    page = Paginator(items, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "inbox/inbox.html",
        {"page": page, "unread_only": bool(request.GET.get("unread"))},
    )


@require_POST
@login_required
def open_item(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark the item read and go where the work is."""
    item = get_object_or_404(Item, pk=pk, user=request.user)
    services.mark_read(request.user, [item.pk])
    if url_has_allowed_host_and_scheme(item.url, allowed_hosts={request.get_host()}):
        return HttpResponseRedirect(item.url)
    return HttpResponseRedirect(reverse("inbox:list"))


@require_POST
@login_required
def read_all(request: HttpRequest) -> HttpResponse:
    count = services.mark_read(request.user)
    messages.success(request, f"已将{count}条消息标为已读。")
    return HttpResponseRedirect(reverse("inbox:list"))
