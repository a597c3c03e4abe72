"""Pages of an order's life: 点单, the order list and page with its steps, the month
calendar and the year's statistics."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST

from communities import scope
from communities.pages import ScopedListView
from portal.export import xlsx_response, xlsx_sheets_response
from portal.pages import add_errors

from . import selectors, services
from .filters import OrderFilter
from .forms import (
    DeliveryForm,
    OrderForm,
    RatingForm,
    ReasonForm,
    ScheduleForm,
    parse_month,
    parse_year,
    today_year,
)
from .models import Order, OrderStatus, Product
from .tables import OrderTable
from .views import errors_of

S = OrderStatus


class OrderList(ScopedListView):
    model = Order
    table_class = OrderTable
    filterset_class = OrderFilter
    list_select_related = ("community", "product__provider")
    title = "配送订单"
    template_name = "delivery/order_list.html"

    def can_create(self) -> bool:
        return False


def _order_or_404(request: HttpRequest, pk: int) -> Order:
    return scope.get_for_user_or_404(
        Order.objects.select_related("community", "product__provider", "activity"),
        request.user,
        pk=pk,
    )


@login_required
def order_create(request: HttpRequest, pk: int) -> HttpResponse:
    """点单 a product of the menu (the cadre of a community)."""
    product = scope.get_for_user_or_404(
        Product.objects.select_related("provider"), request.user, via="street", pk=pk
    )
    membership = scope.membership_of(request.user)
    if not services.can_order(request.user):
        # Street users reach this from the product page: send them back with the reason.
        messages.error(request, "点单由社区管理员办理，街道工作人员在订单页排期。")
        return HttpResponseRedirect(product.get_absolute_url())
    community = membership.community
    form = OrderForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            order = services.order_place(
                user=request.user, community=community, product=product, **form.cleaned_data
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, f"已点单“{product.title}”，等待街道确认排期。")
            return HttpResponseRedirect(order.get_absolute_url())
    facts = services.order_facts(community, product, timezone.localdate())
    context = {
        "form": form,
        "product": product,
        "community": community,
        "facts": facts,
        "sessions_left": max(0, facts.sessions - facts.sessions_taken),
        "quota_left": None
        if facts.quota_orders is None
        else max(0, facts.quota_orders - facts.quota_used),
    }
    return render(request, "delivery/order_form.html", context)


@login_required
def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    order = _order_or_404(request, pk)
    user = request.user
    may_schedule = services.can_manage(user) and scope.can_edit_community(user, order.community_id)
    may_act = scope.can_edit_community(user, order.community_id)
    is_due = order.scheduled_date is not None and order.scheduled_date <= timezone.localdate()
    context = {
        "order": order,
        "events": list(order.events.select_related("by").order_by("at", "pk")),
        "conflicts": selectors.conflicts_of(order) if may_schedule else [],
        "can_schedule": may_schedule and order.status in (S.ORDERED, S.CONFIRMED),
        "can_confirm": may_schedule and order.status == S.ORDERED,
        "can_cancel": may_act and order.status in (S.ORDERED, S.CONFIRMED),
        "can_deliver": may_act and order.status == S.CONFIRMED and is_due,
        "can_rate": may_act and order.status == S.DELIVERED and order.rating is None,
        "schedule_form": ScheduleForm(
            initial={"date": order.date, "start": order.scheduled_start or order.preferred_start}
        ),
        "decline_form": ReasonForm(auto_id="decline_%s"),
        "cancel_form": ReasonForm(auto_id="cancel_%s"),
        "delivery_form": DeliveryForm(),
        "rating_form": RatingForm(),
    }
    return render(request, "delivery/order_detail.html", context)


def _confirm(request: HttpRequest, order: Order) -> str:
    services.order_confirm(user=request.user, order=order)
    return "已确认排期。"


def _valid(form: Any) -> dict[str, Any]:
    if not form.is_valid():
        raise ValidationError([m for errors in form.errors.values() for m in errors])
    return form.cleaned_data


def _reschedule(request: HttpRequest, order: Order) -> str:
    data = _valid(ScheduleForm(request.POST))
    services.order_reschedule(user=request.user, order=order, **data)
    return f"已改期到 {data['date']:%Y-%m-%d}。"


def _decline(request: HttpRequest, order: Order) -> str:
    services.order_decline(user=request.user, order=order, reason=request.POST.get("reason", ""))
    return "已拒绝，社区会看到原因。"


def _cancel(request: HttpRequest, order: Order) -> str:
    services.order_cancel(user=request.user, order=order, reason=request.POST.get("reason", ""))
    return "已取消，额度已退回。"


def _deliver(request: HttpRequest, order: Order) -> str:
    data = _valid(DeliveryForm(request.POST, request.FILES))
    services.order_record_delivery(user=request.user, order=order, **data)
    if data["happened"]:
        return "已登记配送完成，社区活动已生成并提交审核。"
    return "已登记未配送。"


def _rate(request: HttpRequest, order: Order) -> str:
    data = _valid(RatingForm(request.POST))
    services.order_rate(user=request.user, order=order, **data)
    return "感谢评价。"


ACTIONS: dict[str, Callable[[HttpRequest, Order], str]] = {
    "confirm": _confirm,
    "reschedule": _reschedule,
    "decline": _decline,
    "cancel": _cancel,
    "deliver": _deliver,
    "rate": _rate,
}


@require_POST
@login_required
def order_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    order = _order_or_404(request, pk)
    try:
        done = ACTIONS[action](request, order)
    except (ValidationError, PermissionDenied) as error:
        for message in errors_of(error):
            messages.error(request, message)
    else:
        messages.success(request, done)
    return HttpResponseRedirect(order.get_absolute_url())


# ------------------------------------------------------------------ calendar


@login_required
def month_calendar(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    year = parse_year(request.GET.get("year"), today.year)
    month = parse_month(request.GET.get("month")) or today.month
    provider = request.GET.get("provider", "")
    provider_id = int(provider) if provider.isdigit() else None
    data = selectors.month_calendar(request.user, year, month, provider_id)
    if request.GET.get("export") == "xlsx":
        rows = [["日期", "开始", "结束", "社区", "产品", "提供单位", "状态", "冲突"]]
        rows += [
            [
                o.scheduled_date,
                o.scheduled_start and f"{o.scheduled_start:%H:%M}",
                o.scheduled_end and f"{o.scheduled_end:%H:%M}",
                o.community.name,
                o.product.title,
                o.product.provider.name,
                o.get_status_display(),
                "是" if o.pk in data.conflicts else "",
            ]
            for o in data.orders
        ]
        return xlsx_response(rows, title=f"配送日历{year}年{month}月")
    context = {
        "cal": data,
        "providers": selectors.visible_providers(request.user).order_by("name"),
        "provider": provider_id,
        "weekdays": "一二三四五六日",
        "conflict_count": sum(1 for o in data.orders if o.pk in data.conflicts),
    }
    return render(request, "delivery/calendar.html", context)


# ------------------------------------------------------------------ statistics


def _stat_sections(stats: selectors.Statistics) -> list[tuple[str, list[selectors.Tally]]]:
    return [
        ("按产品", stats.by_product),
        ("按类别", stats.by_kind),
        ("按社区", stats.by_community),
        ("按提供单位", stats.by_provider),
    ]


@login_required
def statistics(request: HttpRequest) -> HttpResponse:
    year = parse_year(request.GET.get("year"), today_year())
    stats = selectors.statistics(request.user, year)
    sections = _stat_sections(stats)
    if request.GET.get("export") == "xlsx":
        return _statistics_workbook(stats, sections)
    context = {
        "stats": stats,
        "year": year,
        "sections": sections,
        "headers": selectors.STAT_HEADERS,
    }
    return render(request, "delivery/statistics.html", context)


def _statistics_workbook(
    stats: selectors.Statistics, sections: list[tuple[str, list[selectors.Tally]]]
) -> HttpResponse:
    headers = list(selectors.STAT_HEADERS)
    sheets = [("合计", [headers, selectors.tally_row(stats.total)])]
    sheets += [(name, [headers, *map(selectors.tally_row, tallies)]) for name, tallies in sections]
    reasons = [["社区", "产品", "日期", "状态", "原因"]] + [
        [
            r["community__name"],
            r["product__title"],
            r["scheduled_date"] or r["preferred_date"],
            r["status_label"],
            r["reason"],
        ]
        for r in stats.reasons
    ]
    comments = [["社区", "产品", "提供单位", "评分", "评价"]] + [
        [
            r["community__name"],
            r["product__title"],
            r["product__provider__name"],
            r["rating"],
            r["rating_comment"],
        ]
        for r in stats.comments
    ]
    sheets += [("未完成原因", reasons), ("评价", comments)]
    return xlsx_sheets_response(sheets, title=f"配送统计_{stats.year}")
