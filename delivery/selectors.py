"""Reads of 点单配送: the menu a cadre browses, the month calendar, the year's statistics."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Avg, Count, Q, QuerySet

from communities import scope
from communities.models import Community, Street

from . import rules
from .models import ACTIVE_STATUSES, Order, OrderStatus, Product, ProductStatus, Provider, Quota

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

    User = AbstractBaseUser

S = OrderStatus


def visible_products(user: User) -> QuerySet[Product]:
    return scope.scope(Product.objects.all(), user, via="street")


def visible_providers(user: User) -> QuerySet[Provider]:
    return scope.scope(Provider.objects.all(), user, via="street")


def visible_orders(user: User) -> QuerySet[Order]:
    return scope.scope(Order.objects.all(), user)


def with_figures(products: QuerySet[Product]) -> QuerySet[Product]:
    """Products with their taken sessions, delivered count and average rating."""
    return products.annotate(
        taken=Count("orders", filter=Q(orders__status__in=ACTIVE_STATUSES)),
        delivered=Count("orders", filter=Q(orders__status=S.DELIVERED)),
        avg_rating=Avg("orders__rating"),
        ratings=Count("orders__rating"),
    )


def menu(
    user: User,
    *,
    year: int,
    kind: str = "",
    provider: int | None = None,
    month: int | None = None,
) -> list[Product]:
    """The published menu of the year, filtered as the cadre asks (a month keeps the products
    whose season covers it)."""
    qs = visible_products(user).filter(year=year, status=ProductStatus.PUBLISHED)
    if kind:
        qs = qs.filter(kind=kind)
    if provider:
        qs = qs.filter(provider_id=provider)
    if month:
        qs = qs.filter(
            season__in=[s for s, months in rules.SEASON_MONTHS.items() if month in months]
        )
    return list(with_figures(qs).select_related("provider").order_by("kind", "title"))


def quota_rows(user: User, year: int) -> list[dict[str, Any]]:
    """Each visible community's quota of the year and what it has used."""
    communities = list(scope.visible_communities(user).order_by("street", "name"))
    quotas = {q.community_id: q for q in Quota.objects.filter(year=year, community__in=communities)}
    used = dict(
        Order.objects.filter(year=year, community__in=communities, status__in=ACTIVE_STATUSES)
        .values("community_id")
        .annotate(n=Count("pk"))
        .values_list("community_id", "n")
    )
    rows = []
    for c in communities:
        quota, n = quotas.get(c.pk), used.get(c.pk, 0)
        left = max(0, quota.orders - n) if quota else None
        rows.append({"community": c, "quota": quota, "used": n, "left": left})
    return rows


# ------------------------------------------------------------------ calendar


@dataclass
class Day:
    date: dt.date
    in_month: bool
    orders: list[Order] = field(default_factory=list)


@dataclass
class Month:
    year: int
    month: int
    weeks: list[list[Day]]
    conflicts: set[int]
    orders: list[Order]

    @property
    def previous(self) -> tuple[int, int]:
        return (self.year, self.month - 1) if self.month > 1 else (self.year - 1, 12)

    @property
    def next(self) -> tuple[int, int]:
        return (self.year, self.month + 1) if self.month < 12 else (self.year + 1, 1)


def month_calendar(user: User, year: int, month: int, provider: int | None = None) -> Month:
    """Confirmed and delivered orders of the month in the user's scope; conflicts are
    judged across the whole street (a provider is one team whoever ordered)."""
    first = dt.date(year, month, 1)
    last = dt.date(year, month, calendar.monthrange(year, month)[1])
    scheduled = Order.objects.filter(
        status__in=(S.CONFIRMED, S.DELIVERED), scheduled_date__range=(first, last)
    ).select_related("product__provider", "community")
    mine = scope.scope(scheduled, user)
    if provider:
        mine = mine.filter(product__provider_id=provider)
    orders = list(mine.order_by("scheduled_date", "scheduled_start", "pk"))
    streets = {o.community.street_id for o in orders}
    everyone = scheduled.filter(community__street_id__in=streets)
    found = rules.conflicts(
        rules.Booking(
            o.pk, o.product.provider_id, o.scheduled_date, o.scheduled_start, o.scheduled_end
        )
        for o in everyone
    )
    by_day: dict[dt.date, list[Order]] = {}
    for o in orders:
        by_day.setdefault(o.scheduled_date, []).append(o)
    weeks = [
        [Day(d, d.month == month, by_day.get(d, [])) for d in week]
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
    ]
    return Month(year, month, weeks, found, orders)


def conflicts_of(order: Order) -> list[Order]:
    """Other scheduled orders of the same provider overlapping this one."""
    if order.scheduled_date is None or order.status not in (S.CONFIRMED, S.DELIVERED):
        return []
    mine = rules.Booking(
        order.pk, 0, order.scheduled_date, order.scheduled_start, order.scheduled_end
    )
    others = (
        Order.objects.filter(
            product__provider_id=order.product.provider_id,
            scheduled_date=order.scheduled_date,
            status__in=(S.CONFIRMED, S.DELIVERED),
        )
        .exclude(pk=order.pk)
        .select_related("community", "product")
    )
    return [
        o
        for o in others
        if rules.overlaps(
            mine, rules.Booking(o.pk, 0, o.scheduled_date, o.scheduled_start, o.scheduled_end)
        )
    ]


# ------------------------------------------------------------------ statistics


@dataclass
class Tally:
    """One line of the statistics: a product, kind, community or provider (or the street)."""

    label: str
    supply: int | None = None  # sessions offered (products); quota (communities)
    ordered: int = 0
    pending: int = 0  # 待确认 + 已排期
    delivered: int = 0
    not_delivered: int = 0
    declined: int = 0
    cancelled: int = 0
    audience: int = 0
    spending: Decimal = Decimal(0)
    budget: Decimal | None = None
    rating_sum: int = 0
    ratings: int = 0

    def add(self, row: dict[str, Any]) -> None:
        self.ordered += 1
        status = row["status"]
        if status in (S.ORDERED, S.CONFIRMED):
            self.pending += 1
        elif status == S.DELIVERED:
            self.delivered += 1
            self.audience += row["audience"] or 0
            self.spending += row["product__unit_price"] or Decimal(0)
        elif status == S.NOT_DELIVERED:
            self.not_delivered += 1
        elif status == S.DECLINED:
            self.declined += 1
        elif status == S.CANCELLED:
            self.cancelled += 1
        if row["rating"]:
            self.rating_sum += row["rating"]
            self.ratings += 1

    @property
    def settled(self) -> int:
        return self.delivered + self.not_delivered + self.declined + self.cancelled

    @property
    def fulfilment(self) -> float | None:
        return rules.fulfilment_rate(self.delivered, self.settled)

    @property
    def average_rating(self) -> float | None:
        return self.rating_sum / self.ratings if self.ratings else None


ORDER_VALUES = (
    "pk",
    "status",
    "audience",
    "rating",
    "rating_comment",
    "reason",
    "scheduled_date",
    "preferred_date",
    "community_id",
    "community__name",
    "product_id",
    "product__title",
    "product__kind",
    "product__unit_price",
    "product__provider_id",
    "product__provider__name",
)


@dataclass
class Statistics:
    year: int
    street: Street | None
    total: Tally
    by_product: list[Tally]
    by_kind: list[Tally]
    by_community: list[Tally]
    by_provider: list[Tally]
    reasons: list[dict[str, Any]]  # 未配送, 拒绝, 取消 with their reasons
    comments: list[dict[str, Any]]


def summarise(
    rows: Iterable[dict[str, Any]], key: Callable[[dict[str, Any]], tuple[Any, str]]
) -> dict[Any, Tally]:
    out: dict[Any, Tally] = {}
    for row in rows:
        k, label = key(row)
        out.setdefault(k, Tally(label)).add(row)
    return out


def statistics(user: User, year: int, street: Street | None = None) -> Statistics:
    """The year's 点单配送 in the user's scope (one street when given), in four queries."""
    orders = visible_orders(user).filter(year=year)
    products = visible_products(user).filter(year=year)
    quotas = scope.scope(Quota.objects.filter(year=year), user)
    if street is not None:
        orders = orders.filter(community__street=street)
        products = products.filter(street=street)
        quotas = quotas.filter(community__street=street)
    rows = list(orders.values(*ORDER_VALUES).order_by("community__name", "preferred_date", "pk"))
    product_list = [
        ProductFacts(p.pk, p.title, p.kind, p.sessions, p.provider_id, p.provider.name)
        for p in products.select_related("provider").order_by("kind", "title")
    ]
    quota_list = [
        QuotaFacts(q.community_id, q.community.name, q.orders, q.budget)
        for q in quotas.select_related("community").order_by("community__name")
    ]
    return build_statistics(year, street, rows, product_list, quota_list)


def street_statistics(street: Street, year: int, at: dt.datetime | None = None) -> Statistics:
    """The street's statistics of the year, as the records stood at `at` when given (the
    annual report of a finalised run prints them as they were when the run was made)."""
    if at is None:
        orders = Order.objects.all()
        products = Product.objects.all()
        providers = Provider.objects.all()
        quotas = Quota.objects.all()
        communities = Community.objects.all()
    else:
        orders = Order.history.as_of(at)
        products = Product.history.as_of(at)
        providers = Provider.history.as_of(at)
        quotas = Quota.history.as_of(at)
        communities = Community.history.as_of(at)
    names = dict(communities.filter(street_id=street.pk).values_list("id", "name"))
    provider_names = dict(providers.filter(street_id=street.pk).values_list("id", "name"))
    product_rows = {p.pk: p for p in products.filter(street_id=street.pk) if p.pk is not None}
    rows = []
    for o in orders.filter(year=year, community_id__in=list(names)):
        p = product_rows.get(o.product_id)
        if p is None:
            continue
        rows.append(
            {
                "pk": o.pk,
                "status": o.status,
                "audience": o.audience,
                "rating": o.rating,
                "rating_comment": o.rating_comment,
                "reason": o.reason,
                "scheduled_date": o.scheduled_date,
                "preferred_date": o.preferred_date,
                "community_id": o.community_id,
                "community__name": names[o.community_id],
                "product_id": p.pk,
                "product__title": p.title,
                "product__kind": p.kind,
                "product__unit_price": p.unit_price,
                "product__provider_id": p.provider_id,
                "product__provider__name": provider_names.get(p.provider_id, ""),
            }
        )
    rows.sort(key=lambda r: (r["community__name"], r["preferred_date"], r["pk"]))
    product_list = sorted(
        (
            ProductFacts(
                p.pk,
                p.title,
                p.kind,
                p.sessions,
                p.provider_id,
                provider_names.get(p.provider_id, ""),
            )
            for p in product_rows.values()
            if p.year == year
        ),
        key=lambda p: (p.kind, p.title),
    )
    quota_list = sorted(
        (
            QuotaFacts(q.community_id, names[q.community_id], q.orders, q.budget)
            for q in quotas.filter(year=year, community_id__in=list(names))
        ),
        key=lambda q: q.name,
    )
    return build_statistics(year, street, rows, product_list, quota_list)


@dataclass(frozen=True)
class ProductFacts:
    pk: int
    title: str
    kind: str
    sessions: int
    provider_id: int
    provider_name: str


@dataclass(frozen=True)
class QuotaFacts:
    community_id: int
    name: str
    orders: int
    budget: Decimal | None


def build_statistics(
    year: int,
    street: Street | None,
    rows: list[dict[str, Any]],
    product_list: list[ProductFacts],
    quota_list: list[QuotaFacts],
) -> Statistics:
    total = summarise(rows, lambda r: (None, "合计")).get(None, Tally("合计"))
    total.supply = sum(p.sessions for p in product_list)
    budgets = [q.budget for q in quota_list if q.budget is not None]
    total.budget = sum(budgets, Decimal(0)) if budgets else None

    per_product = summarise(rows, lambda r: (r["product_id"], r["product__title"]))
    by_product = []
    for p in product_list:
        t = per_product.pop(p.pk, Tally(p.title))
        t.supply = p.sessions
        by_product.append(t)
    by_product += per_product.values()  # ordered in scope, the product of another year

    supply_by_kind: dict[str, int] = {}
    for p in product_list:
        supply_by_kind[p.kind] = supply_by_kind.get(p.kind, 0) + p.sessions
    per_kind = summarise(rows, lambda r: (r["product__kind"], r["product__kind"]))
    by_kind = []
    for kind in sorted(set(supply_by_kind) | set(per_kind)):
        t = per_kind.get(kind, Tally(kind))
        t.supply = supply_by_kind.get(kind, 0)
        by_kind.append(t)

    per_community = summarise(rows, lambda r: (r["community_id"], r["community__name"]))
    by_community = []
    for q in quota_list:
        t = per_community.pop(q.community_id, Tally(q.name))
        t.supply, t.budget = q.orders, q.budget
        by_community.append(t)
    by_community += per_community.values()
    by_community.sort(key=lambda t: t.label)

    supply_by_provider: dict[int, tuple[str, int]] = {}
    for p in product_list:
        name, n = supply_by_provider.get(p.provider_id, (p.provider_name, 0))
        supply_by_provider[p.provider_id] = (name, n + p.sessions)
    per_provider = summarise(
        rows, lambda r: (r["product__provider_id"], r["product__provider__name"])
    )
    by_provider = []
    for pid, (name, n) in sorted(supply_by_provider.items(), key=lambda kv: kv[1][0]):
        t = per_provider.pop(pid, Tally(name))
        t.supply = n
        by_provider.append(t)
    by_provider += per_provider.values()

    settled = (S.NOT_DELIVERED, S.DECLINED, S.CANCELLED)
    reasons = [dict(r, status_label=S(r["status"]).label) for r in rows if r["status"] in settled]
    comments = [r for r in rows if r["rating"]]
    return Statistics(
        year, street, total, by_product, by_kind, by_community, by_provider, reasons, comments
    )


STAT_HEADERS = (
    "名称",
    "供给(场次/额度)",
    "点单",
    "进行中",
    "已配送",
    "未配送",
    "已拒绝",
    "已取消",
    "兑现率",
    "平均评分",
    "评价数",
    "受益人数",
    "支出(元)",
    "预算(元)",
)


def tally_row(t: Tally) -> list[Any]:
    return [
        t.label,
        t.supply,
        t.ordered,
        t.pending,
        t.delivered,
        t.not_delivered,
        t.declined,
        t.cancelled,
        None if t.fulfilment is None else round(t.fulfilment * 100, 1),
        None if t.average_rating is None else round(t.average_rating, 2),
        t.ratings,
        t.audience,
        t.spending,
        t.budget,
    ]
