"""Pages of the street centre's side of 点单配送: providers, the menu, quotas."""

from __future__ import annotations

import os
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_POST

from communities import scope
from communities.models import Street
from communities.pages import ScopedDetailView, ScopedListView
from portal.export import xlsx_response
from portal.pages import add_errors
from portal.tables import related_count

from . import selectors, services
from .filters import ProductFilter, ProviderFilter
from .forms import (
    ProductForm,
    ProviderForm,
    QuotaForm,
    WithdrawForm,
    month_choices,
    parse_month,
    parse_year,
    today_year,
)
from .models import Order, Product, ProductKind, Provider
from .rules import SEASON_LABELS
from .tables import ProductTable, ProviderTable


def managed_street(request: HttpRequest) -> Street:
    """The street whose menu and quotas the user runs (street admins and staff only)."""
    m = scope.membership_of(request.user)
    if m is None or not services.can_manage(request.user):
        raise PermissionDenied("只有街道工作人员可以管理配送菜单、额度和排期。")
    return m.street


def errors_of(error: ValidationError | PermissionDenied) -> list[str]:
    if isinstance(error, ValidationError):
        return error.messages
    return [str(error) or "您无权进行该操作。"]


# ------------------------------------------------------------------ 配送单位


class ProviderList(ScopedListView):
    model = Provider
    scope_via = "street"
    table_class = ProviderTable
    filterset_class = ProviderFilter
    title = "配送单位"
    create_url_name = "delivery:provider_create"

    def get_base_queryset(self) -> QuerySet:
        return Provider.objects.annotate(product_count=related_count(Product, "provider"))

    def can_create(self) -> bool:
        return services.can_manage(self.request.user)


class ProviderDetail(ScopedDetailView):
    model = Provider
    scope_via = "street"
    template_name = "delivery/provider_detail.html"
    list_url_name = "delivery:provider_list"

    def user_can_edit(self, obj: Provider) -> bool:
        return services.can_manage(self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        p = self.object
        if context["can_edit"]:
            context["edit_url"] = reverse("delivery:provider_edit", args=[p.pk])
        context["rows"] = [
            ("单位类型", p.get_kind_display()),
            ("联系人", p.contact),
            ("联系电话", p.phone),
            ("地址", p.address),
            ("备注", p.note),
        ]
        context["products"] = list(
            selectors.with_figures(p.products.all()).order_by("-year", "kind", "title")
        )
        return context


@login_required
def provider_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    street = managed_street(request)
    provider = None
    if pk is not None:
        provider = scope.get_for_user_or_404(
            Provider.objects.all(), request.user, via="street", pk=pk
        )
    form = ProviderForm(request.POST or None, instance=provider)
    if request.method == "POST" and form.is_valid():
        try:
            provider = services.provider_save(
                user=request.user, street=street, provider=provider, **form.service_kwargs()
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "配送单位已保存。")
            return HttpResponseRedirect(reverse("delivery:provider_detail", args=[provider.pk]))
    cancel = (
        reverse("delivery:provider_detail", args=[pk]) if pk else reverse("delivery:provider_list")
    )
    title = "修改配送单位" if pk else "登记配送单位"
    return render(
        request, "includes/form_page.html", {"form": form, "title": title, "cancel_url": cancel}
    )


# ------------------------------------------------------------------ 配送产品


class ProductList(ScopedListView):
    model = Product
    scope_via = "street"
    table_class = ProductTable
    filterset_class = ProductFilter
    list_select_related = ("provider",)
    title = "配送产品"
    create_url_name = "delivery:product_create"
    template_name = "delivery/product_list.html"

    def get_base_queryset(self) -> QuerySet:
        return selectors.with_figures(Product.objects.all())

    def can_create(self) -> bool:
        return services.can_manage(self.request.user)


class ProductDetail(ScopedDetailView):
    model = Product
    scope_via = "street"
    object_select_related = ("provider",)
    template_name = "delivery/product_detail.html"
    list_url_name = "delivery:product_list"

    def get_base_queryset(self) -> QuerySet:
        return selectors.with_figures(super().get_base_queryset())

    def user_can_edit(self, obj: Product) -> bool:
        return services.can_manage(self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        p = self.object
        context["rows"] = [
            ("年度", p.year),
            ("配送时段", p.get_season_display()),
            ("配送类别", p.kind),
            ("活动类别", p.category),
            ("提供单位", p.provider.name),
            ("时长", f"{p.duration_minutes} 分钟"),
            ("适宜人数", p.audience_size),
            ("全年可配送场次", f"{p.sessions} 场（已约 {p.taken} 场）"),
            ("单价", f"{p.unit_price} 元"),
            ("平均评分", f"{p.avg_rating:.1f}（{p.ratings} 条评价）" if p.ratings else "暂无评价"),
            ("内容简介", p.description),
        ]
        if p.withdraw_reason:
            context["rows"].append(("下架原因", p.withdraw_reason))
        orders = scope.scope(Order.objects.filter(product=p), self.request.user)
        context["orders"] = list(orders.select_related("community").order_by("-preferred_date"))
        context["can_order"] = services.can_order(self.request.user)
        context["withdraw_form"] = WithdrawForm()
        return context


@login_required
def product_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    street = managed_street(request)
    product = None
    if pk is not None:
        product = scope.get_for_user_or_404(
            Product.objects.all(), request.user, via="street", pk=pk
        )
    providers = Provider.objects.filter(street=street).order_by("name")
    initial = {"year": today_year()} if product is None else None
    form = ProductForm(
        request.POST or None,
        request.FILES or None,
        instance=product,
        providers=providers,
        initial=initial,
    )
    if request.method == "POST" and form.is_valid():
        try:
            product = services.product_save(
                user=request.user, street=street, product=product, **form.service_kwargs()
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "配送产品已保存。")
            return HttpResponseRedirect(product.get_absolute_url())
    cancel = product.get_absolute_url() if product else reverse("delivery:product_list")
    title = "修改配送产品" if product else "新增配送产品"
    return render(
        request, "includes/form_page.html", {"form": form, "title": title, "cancel_url": cancel}
    )


@require_POST
@login_required
def product_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    product = scope.get_for_user_or_404(Product.objects.all(), request.user, via="street", pk=pk)
    try:
        if action == "publish":
            services.product_publish(user=request.user, product=product)
            done = "已发布，社区可以点单。"
        else:
            services.product_withdraw(
                user=request.user, product=product, reason=request.POST.get("reason", "")
            )
            done = "已下架；已有订单和评价保留。"
    except (ValidationError, PermissionDenied) as error:
        for message in errors_of(error):
            messages.error(request, message)
    else:
        messages.success(request, f"“{product.title}”{done}")
    return HttpResponseRedirect(product.get_absolute_url())


@login_required
def product_photo(request: HttpRequest, pk: int) -> FileResponse:
    product = scope.get_for_user_or_404(Product.objects.all(), request.user, via="street", pk=pk)
    if not product.photo:
        raise Http404("没有上传图片。")
    response = FileResponse(product.photo.open("rb"), filename=os.path.basename(product.photo.name))
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ------------------------------------------------------------------ 菜单 (the cadre browses)


@login_required
def menu(request: HttpRequest) -> HttpResponse:
    year = parse_year(request.GET.get("year"), today_year())
    kind = request.GET.get("kind", "")
    kind = kind if kind in ProductKind.values else ""
    month = parse_month(request.GET.get("month"))
    providers = selectors.visible_providers(request.user).order_by("name")
    provider = request.GET.get("provider", "")
    provider_id = int(provider) if provider.isdigit() else None
    products = selectors.menu(request.user, year=year, kind=kind, provider=provider_id, month=month)
    if request.GET.get("export") == "xlsx":
        rows = [
            [
                "年度",
                "配送时段",
                "类别",
                "产品名称",
                "提供单位",
                "时长(分钟)",
                "适宜人数",
                "全年场次",
                "已约场次",
                "单价(元)",
                "平均评分",
            ]
        ]
        rows += [
            [
                p.year,
                SEASON_LABELS[p.season],
                p.kind,
                p.title,
                p.provider.name,
                p.duration_minutes,
                p.audience_size,
                p.sessions,
                p.taken,
                p.unit_price,
                None if p.avg_rating is None else round(p.avg_rating, 2),
            ]
            for p in products
        ]
        return xlsx_response(rows, title="配送菜单")
    context = {
        "products": products,
        "year": year,
        "kind": kind,
        "month": month,
        "provider": provider_id,
        "kinds": ProductKind.choices,
        "months": month_choices(),
        "providers": providers,
        "can_order": services.can_order(request.user),
        "can_manage": services.can_manage(request.user),
    }
    return render(request, "delivery/menu.html", context)


# ------------------------------------------------------------------ 额度


@login_required
def quotas(request: HttpRequest) -> HttpResponse:
    year = parse_year(request.GET.get("year") or request.POST.get("year"), today_year())
    rows = selectors.quota_rows(request.user, year)
    if request.GET.get("export") == "xlsx":
        table = [["年度", "社区", "点单次数", "已用", "预算(元)", "设定方式"]]
        table += [
            [
                year,
                r["community"].name,
                r["quota"].orders if r["quota"] else None,
                r["used"],
                r["quota"].budget if r["quota"] else None,
                r["quota"].rule if r["quota"] else "",
            ]
            for r in rows
        ]
        return xlsx_response(table, title="配送额度")
    form = None
    can_manage = services.can_manage(request.user) and scope.membership_of(request.user)
    if can_manage:
        street = managed_street(request)
        communities = [r["community"] for r in rows if r["community"].street_id == street.pk]
        initial_orders = {r["community"].pk: r["quota"].orders for r in rows if r["quota"]}
        form = QuotaForm(
            request.POST or None,
            communities=communities,
            initial_orders=initial_orders,
            initial={"year": year, "rule": "equal"},
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                services.quotas_set(
                    user=request.user,
                    street=street,
                    year=data["year"],
                    rule=data["rule"],
                    total=data.get("total"),
                    manual=data.get("manual"),
                    budget_per_order=data.get("budget_per_order"),
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(request, f"{data['year']} 年配送额度已保存。")
                return HttpResponseRedirect(f"{reverse('delivery:quotas')}?year={data['year']}")
    elif request.method == "POST":
        raise PermissionDenied("只有街道工作人员可以设定配送额度。")
    return render(request, "delivery/quotas.html", {"rows": rows, "year": year, "form": form})
