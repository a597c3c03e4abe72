"""Every write of 点单配送: providers, the menu, quotas, orders and their steps.

Order steps: 待确认 → 已排期 (confirm; reschedule keeps it 已排期 with the reason) → 已配送 /
未配送; 待确认 → 已拒绝 (decline, with a reason); 待确认/已排期 → 已取消 (by the community,
with a reason). Each step locks the order row, re-reads its status and writes an OrderEvent.
A delivered order creates the community's activity once (activities.services), submitted
for the usual verification: it counts in the assessment only once a verifier accepts it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone

from activities import services as activity_services
from activities.models import Activity, ArchiveSlot
from communities import scope
from communities.models import Community, Population, Role, StarRating, Street
from portal.uploads import CheckedUpload

from . import rules
from .models import (
    ACTIVE_STATUSES,
    Order,
    OrderEvent,
    OrderStatus,
    Product,
    ProductStatus,
    Provider,
    Quota,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

    User = AbstractBaseUser

S = OrderStatus
PROVIDER_FIELDS = ("name", "kind", "contact", "phone", "address", "note")
PRODUCT_FIELDS = (
    "provider",
    "kind",
    "category",
    "title",
    "description",
    "duration_minutes",
    "audience_size",
    "year",
    "season",
    "sessions",
    "unit_price",
)


def can_manage(user: User) -> bool:
    """The menu, quotas and scheduling are the street centre's: street admins and staff."""
    return scope.can_verify(user)


def can_order(user: User, community: Community | int | None = None) -> bool:
    """Ordering is the community's own step: its cadre (社区管理员) orders."""
    m = scope.membership_of(user)
    if m is None or m.role != Role.COMMUNITY_ADMIN:
        return False
    cid = community if isinstance(community, int) or community is None else community.pk
    return cid is None or m.community_id == cid


def _require_manager(user: User, street: Street | int) -> None:
    sid = street if isinstance(street, int) else street.pk
    if not (can_manage(user) and scope.visible_streets(user).filter(pk=sid).exists()):
        raise PermissionDenied("只有街道工作人员可以管理配送菜单、额度和排期。")


def _reason(reason: str, action: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(f"{action}时必须填写原因。")
    return reason


# ------------------------------------------------------------------ providers


@transaction.atomic
def provider_save(
    *, user: User, street: Street, provider: Provider | None = None, **fields: Any
) -> Provider:
    _require_manager(user, street)
    clash = Provider.objects.filter(street=street, name=fields.get("name"))
    if provider is not None:
        clash = clash.exclude(pk=provider.pk)
    if clash.exists():
        raise ValidationError({"name": ["本街道已有同名配送单位。"]})
    provider = provider or Provider(street=street)
    for name in PROVIDER_FIELDS:
        if name in fields:
            setattr(provider, name, fields[name])
    provider.save()
    return provider


# ------------------------------------------------------------------ the menu


@transaction.atomic
def product_save(
    *,
    user: User,
    street: Street,
    product: Product | None = None,
    photo: CheckedUpload | None = None,
    **fields: Any,
) -> Product:
    """Create or change a menu item. A product that has orders keeps its year and provider
    (they are what the orders were placed against)."""
    _require_manager(user, street)
    errors: dict[str, list[str]] = {}
    provider = fields.get("provider")
    if provider is not None and provider.street_id != street.pk:
        errors["provider"] = ["提供单位必须是本街道的配送单位。"]
    if product is not None and product.orders.exists():
        for name, label in (("year", "年度"), ("provider", "提供单位")):
            if name in fields and fields[name] != getattr(product, name):
                errors.setdefault(name, []).append(f"该产品已有订单，不能修改{label}。")
    clash = Product.objects.filter(
        street=street, year=fields.get("year"), provider=provider, title=fields.get("title")
    )
    if product is not None:
        clash = clash.exclude(pk=product.pk)
    if clash.exists():
        errors.setdefault("title", []).append("该单位本年度已有同名产品。")
    if errors:
        raise ValidationError(errors)
    product = product or Product(street=street)
    for name in PRODUCT_FIELDS:
        if name in fields:
            setattr(product, name, fields[name])
    if photo is not None:
        if not photo.content_type.startswith("image/"):
            raise ValidationError({"photo": ["产品图片只接受 JPG、PNG 图片。"]})
        product.photo.save(f"photo{photo.extension}", File(photo.file), save=False)
    product.save()
    return product


@transaction.atomic
def product_publish(*, user: User, product: Product) -> Product:
    product = Product.objects.select_for_update().get(pk=product.pk)
    _require_manager(user, product.street_id)
    if product.status == ProductStatus.PUBLISHED:
        raise ValidationError("该产品已经发布。")
    product.status = ProductStatus.PUBLISHED
    product.withdraw_reason = ""
    product.save(update_fields=["status", "withdraw_reason"])
    return product


@transaction.atomic
def product_withdraw(*, user: User, product: Product, reason: str) -> Product:
    """下架: no new orders; the product, its orders, ratings and statistics stay."""
    product = Product.objects.select_for_update().get(pk=product.pk)
    _require_manager(user, product.street_id)
    reason = _reason(reason, "下架")
    if product.status != ProductStatus.PUBLISHED:
        raise ValidationError("只有已发布的产品可以下架。")
    product.status = ProductStatus.WITHDRAWN
    product.withdraw_reason = reason
    product.save(update_fields=["status", "withdraw_reason"])
    return product


# ------------------------------------------------------------------ quotas


def quota_weights(rule: str, communities: Sequence[Community], year: int) -> dict[int, int]:
    """The weight of each community under a rule (the street's figures of the year)."""
    ids = [c.pk for c in communities]
    if rule == rules.QuotaRule.EQUAL:
        return dict.fromkeys(ids, 1)
    if rule == rules.QuotaRule.POPULATION:
        residents = dict(
            Population.objects.filter(community_id__in=ids, year=year).values_list(
                "community_id", "residents"
            )
        )
        missing = [c.name for c in communities if not residents.get(c.pk)]
        if missing:
            raise ValidationError(
                f"以下社区没有 {year} 年的常住人口，不能按人口分配：{'、'.join(missing)}。"
                "请先录入人口，或改用其他方式。"
            )
        return {pk: residents[pk] for pk in ids}
    if rule == rules.QuotaRule.RATING:
        stars: dict[int, int] = {}
        for cid, s in StarRating.objects.filter(community_id__in=ids, year=year - 1).values_list(
            "community_id", "stars"
        ):
            stars[cid] = max(stars.get(cid, 0), s)
        return {pk: rules.rating_weight(stars.get(pk)) for pk in ids}
    raise ValidationError("未知的分配方式。")


@transaction.atomic
def quotas_set(
    *,
    user: User,
    street: Street,
    year: int,
    rule: str,
    total: int | None = None,
    manual: Mapping[int, int] | None = None,
    budget_per_order: Decimal | None = None,
) -> list[Quota]:
    """Set every community's quota of the year at once, by a rule or by hand.

    A community may not get fewer orders than it has already placed that year."""
    _require_manager(user, street)
    communities = list(Community.objects.filter(street=street).order_by("name", "pk"))
    if rule == rules.QuotaRule.MANUAL:
        manual = manual or {}
        if any(v is None or v < 0 for v in manual.values()):
            raise ValidationError("额度必须是不小于 0 的整数。")
        shares = {c.pk: int(manual.get(c.pk, 0)) for c in communities}
    else:
        if total is None or total < 0:
            raise ValidationError("请填写要分配的总次数（不小于 0 的整数）。")
        weights = quota_weights(rule, communities, year)
        shares = rules.allocate(total, weights, [c.pk for c in communities])
    used = _used_by_community(year, [c.pk for c in communities])
    short = [
        f"{c.name}（已点 {used[c.pk]} 次）" for c in communities if shares[c.pk] < used.get(c.pk, 0)
    ]
    if short:
        raise ValidationError(f"额度不能少于已点单次数：{'、'.join(short)}。")
    label = rules.QuotaRule.LABELS.get(rule, "")
    saved = []
    for c in communities:
        budget = budget_per_order * shares[c.pk] if budget_per_order is not None else None
        quota, _ = Quota.objects.update_or_create(
            community=c,
            year=year,
            defaults={"orders": shares[c.pk], "budget": budget, "rule": label},
        )
        saved.append(quota)
    return saved


def _used_by_community(year: int, ids: Sequence[int]) -> dict[int, int]:
    from django.db.models import Count

    rows = (
        Order.objects.filter(community_id__in=ids, year=year, status__in=ACTIVE_STATUSES)
        .values("community_id")
        .annotate(n=Count("pk"))
    )
    return {r["community_id"]: r["n"] for r in rows}


# ------------------------------------------------------------------ ordering


def order_facts(community: Community, product: Product, date: dt.date) -> rules.OrderFacts:
    quota = Quota.objects.filter(community=community, year=product.year).first()
    mine = Order.objects.filter(community=community, year=product.year, status__in=ACTIVE_STATUSES)
    of_product = Order.objects.filter(product=product, status__in=ACTIVE_STATUSES)
    spent = mine.aggregate(s=Sum("product__unit_price"))["s"] or Decimal(0)
    return rules.OrderFacts(
        product_status=product.status,
        product_year=product.year,
        product_season=product.season,
        sessions=product.sessions,
        sessions_taken=of_product.count(),
        product_booked_on_date=of_product.filter(_on_date(date)).exists(),
        unit_price=product.unit_price,
        quota_orders=quota.orders if quota else None,
        quota_used=mine.count(),
        budget=quota.budget if quota else None,
        budget_used=spent,
        date=date,
        today=timezone.localdate(),
    )


def _on_date(date: dt.date) -> Any:
    from django.db.models import Q

    return Q(scheduled_date=date) | Q(scheduled_date__isnull=True, preferred_date=date)


@transaction.atomic
def order_place(
    *,
    user: User,
    community: Community,
    product: Product,
    preferred_date: dt.date,
    preferred_start: dt.time | None = None,
    alternative_date: dt.date | None = None,
    note: str = "",
) -> Order:
    """点单, by the community's cadre: refused with every reason at once when beyond quota,
    withdrawn or fully booked."""
    if not can_order(user, community):
        raise PermissionDenied("点单由本社区的社区管理员办理。")
    if product.street_id != community.street_id:
        raise PermissionDenied("只能点本街道菜单中的产品。")
    # Serialise the community's and the product's orders: two cadres ordering the last
    # place at once get one order and one refusal.
    Community.objects.select_for_update().filter(pk=community.pk).first()
    product = Product.objects.select_for_update().get(pk=product.pk)
    refusals = rules.order_refusals(order_facts(community, product, preferred_date))
    if alternative_date is not None and alternative_date < timezone.localdate():
        refusals.append("备选日期已经过去。")
    if refusals:
        raise ValidationError(refusals)
    order = Order.objects.create(
        community=community,
        product=product,
        year=product.year,
        preferred_date=preferred_date,
        preferred_start=preferred_start,
        alternative_date=alternative_date,
        note=note.strip(),
        ordered_by=user,
    )
    OrderEvent.objects.create(order=order, to_status=S.ORDERED, action="点单", by=user)
    return order


def _locked(order: Order) -> Order:
    return Order.objects.select_for_update().select_related("product", "community").get(pk=order.pk)


def _require_status(order: Order, allowed: Sequence[str], action: str) -> None:
    if order.status not in allowed:
        labels = "或".join(f"“{S(s).label}”" for s in allowed)
        raise ValidationError(
            f"该订单当前状态为“{order.get_status_display()}”，不能{action}"
            f"（只有{labels}的订单可以{action}；可能已被他人处理，请刷新页面）。"
        )


def _require_scheduler(user: User, order: Order) -> None:
    if not (can_manage(user) and scope.can_edit_community(user, order.community_id)):
        raise PermissionDenied("只有街道工作人员可以排期。")


def _require_community_editor(user: User, order: Order) -> None:
    if not scope.can_edit_community(user, order.community_id):
        raise PermissionDenied("您无权处理该社区的订单。")


def _move(order: Order, user: User, to: str, action: str, reason: str = "") -> Order:
    event = OrderEvent(
        order=order, from_status=order.status, to_status=to, action=action, by=user, reason=reason
    )
    order.status = to
    order.save()
    event.save()
    return order


def _schedule(order: Order, date: dt.date, start: dt.time | None) -> None:
    if date.year != order.year:
        raise ValidationError(f"配送日期必须在 {order.year} 年内。")
    order.scheduled_date = date
    order.scheduled_start = start
    order.scheduled_end = rules.end_time(start, order.product.duration_minutes) if start else None


@transaction.atomic
def order_confirm(
    *, user: User, order: Order, date: dt.date | None = None, start: dt.time | None = None
) -> Order:
    """确认: on the date the community asked for, unless a date is given."""
    order = _locked(order)
    _require_scheduler(user, order)
    _require_status(order, (S.ORDERED,), "确认")
    _schedule(order, date or order.preferred_date, start or order.preferred_start)
    return _move(order, user, S.CONFIRMED, "确认排期")


@transaction.atomic
def order_reschedule(
    *, user: User, order: Order, date: dt.date, start: dt.time | None, reason: str
) -> Order:
    order = _locked(order)
    _require_scheduler(user, order)
    reason = _reason(reason, "改期")
    _require_status(order, (S.ORDERED, S.CONFIRMED), "改期")
    _schedule(order, date, start)
    order.reason = reason
    return _move(order, user, S.CONFIRMED, "改期", reason)


@transaction.atomic
def order_decline(*, user: User, order: Order, reason: str) -> Order:
    order = _locked(order)
    _require_scheduler(user, order)
    reason = _reason(reason, "拒绝")
    _require_status(order, (S.ORDERED, S.CONFIRMED), "拒绝")
    order.reason = reason
    return _move(order, user, S.DECLINED, "拒绝", reason)


@transaction.atomic
def order_cancel(*, user: User, order: Order, reason: str) -> Order:
    order = _locked(order)
    _require_community_editor(user, order)
    reason = _reason(reason, "取消")
    _require_status(order, (S.ORDERED, S.CONFIRMED), "取消")
    order.reason = reason
    return _move(order, user, S.CANCELLED, "取消", reason)


# ------------------------------------------------------------------ delivery and rating


@transaction.atomic
def order_record_delivery(
    *,
    user: User,
    order: Order,
    happened: bool,
    audience: int | None = None,
    photos: Sequence[CheckedUpload] = (),
    note: str = "",
    reason: str = "",
) -> Order:
    """The cadre says whether the delivery took place. If it did, the community's activity is
    created (once: the order is locked and must still be 已排期) with the photos as its 影像,
    and submitted for verification."""
    order = _locked(order)
    _require_community_editor(user, order)
    _require_status(order, (S.CONFIRMED,), "登记配送情况")
    if order.scheduled_date > timezone.localdate():
        raise ValidationError(f"配送日期 {order.scheduled_date:%Y-%m-%d} 还没到，到期后再登记。")
    if not happened:
        order.reason = _reason(reason, "登记未配送")
        order.delivery_note = note.strip()
        return _move(order, user, S.NOT_DELIVERED, "未配送", order.reason)
    errors = []
    if audience is None or audience <= 0:
        errors.append("请填写受益人数（大于 0 的整数）。")
    if not photos:
        errors.append("请至少上传一张现场照片。")
    if any(not p.content_type.startswith("image/") for p in photos):
        errors.append("现场照片只接受 JPG、PNG 图片。")
    if errors:
        raise ValidationError(errors)
    if order.activity_id is not None:  # pragma: no cover — guarded by the status above
        raise ValidationError("该订单已生成活动记录。")
    order.activity = _create_activity(user, order, audience, photos, note)
    order.audience = audience
    order.delivery_note = note.strip()
    order.reason = ""
    return _move(order, user, S.DELIVERED, "已配送")


def activity_name(order: Order) -> str:
    return f"文化配送：{order.product.title}"[:200]


def _create_activity(
    user: User, order: Order, audience: int, photos: Sequence[CheckedUpload], note: str
) -> Activity:
    product = order.product
    name = activity_name(order)
    if Activity.objects.filter(
        community=order.community, name=name, date=order.scheduled_date
    ).exists():
        name = f"{name}（{order.pk}）"[:200]
    description = f"街道文化配送，提供单位：{product.provider.name}。{product.description}"
    if note.strip():
        description += f"\n配送情况：{note.strip()}"
    activity = activity_services.activity_create(
        user=user,
        community=order.community,
        uploads={ArchiveSlot.IMAGE: list(photos)},
        name=name,
        date=order.scheduled_date,
        category=product.category,
        form=product.kind,
        participants=audience,
        description=description,
    )
    return activity_services.activity_submit(activity=activity, user=user)


@transaction.atomic
def order_rate(*, user: User, order: Order, rating: int, comment: str = "") -> Order:
    order = _locked(order)
    _require_community_editor(user, order)
    _require_status(order, (S.DELIVERED,), "评价")
    if order.rating is not None:
        raise ValidationError("该订单已评价，评价提交后不能修改。")
    if rating not in range(1, 6):
        raise ValidationError("评分必须是 1 到 5 的整数。")
    order.rating = rating
    order.rating_comment = comment.strip()
    order.rated_at = timezone.now()
    order.save(update_fields=["rating", "rating_comment", "rated_at"])
    OrderEvent.objects.create(
        order=order,
        from_status=order.status,
        to_status=order.status,
        action=f"评价 {rating} 分",
        by=user,
    )
    return order
