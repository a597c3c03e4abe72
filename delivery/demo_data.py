"""The demo street's 点单配送: the deliveries of past years, this year's published menu,
quotas and orders in every state (idempotent: a second run changes nothing).

Called from load_demo with the street; the users are the street's demo accounts (the first
street admin, the first street staff member, each community's cadre).
"""

from __future__ import annotations

import datetime as dt
import io
import random
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from PIL import Image

from communities.models import Community, Membership, Role, Street
from portal.uploads import CheckedUpload

from . import services
from .models import Order, OrderEvent, OrderStatus, Product, ProductKind, ProductStatus, Provider

S = OrderStatus
CENTRE = "四季青街道文体中心"
PROVIDERS = [
    # (name, kind, contact, phone, address)
    (CENTRE, "街道文化中心", "周主任", "0571-86091234", "四季青街道办事处二楼"),
    ("上城区图书馆", "共建单位", "陈馆长", "0571-87654321", "上城区图书馆流通部"),
    ("阳光艺校", "社会组织", "林老师", "13906511234", "钱江路88号"),
    ("浙江音乐学院", "共建单位", "王老师", "0571-89881234", "转塘校区艺术实践中心"),
]
# The 配送 of the two years before as_of (what the old flat log held):
# (kind, title, month, day, provider, qty)
PAST: list[tuple[str, str, int, int, str, int]] = [
    (ProductKind.BOOKS, "图书流通配送（春季）", 3, 12, "上城区图书馆", 300),
    (ProductKind.SHOW, "“幸福使者艺术团”文化巡演", 5, 8, CENTRE, 1),
    (ProductKind.LECTURE, "健康养生讲座", 6, 18, "阳光艺校", 1),
    (ProductKind.FILM, "露天电影放映", 7, 26, CENTRE, 2),
    (ProductKind.EXHIBITION, "廉政文化巡回展", 9, 3, CENTRE, 1),
    (ProductKind.TRAINING, "广场舞骨干培训", 10, 21, "阳光艺校", 3),
    (ProductKind.BOOKS, "图书流通配送（秋季）", 11, 6, "上城区图书馆", 260),
]
# This year's menu: (kind, category, title, provider, season, sessions, price, minutes, size)
MENU = [
    (ProductKind.SHOW, "文化", "越剧经典唱段专场", CENTRE, 0, 8, "3000", 120, 200),
    (ProductKind.SHOW, "文化", "室内乐进社区", "浙江音乐学院", 0, 6, "2500", 90, 120),
    (ProductKind.LECTURE, "文化", "非遗剪纸讲座", "阳光艺校", 0, 10, "800", 90, 50),
    (ProductKind.TRAINING, "体育", "太极拳骨干培训", "阳光艺校", 0, 10, "1200", 120, 40),
    (ProductKind.BOOKS, "文化", "图书流通配送", "上城区图书馆", 0, 12, "0", 60, None),
    (ProductKind.EXHIBITION, "文化", "垃圾分类主题巡展", CENTRE, 0, 6, "500", 480, None),
    (ProductKind.FILM, "文化", "夏夜露天电影", CENTRE, 3, 8, "600", 120, 300),
    (ProductKind.VENUE, "体育", "高校运动场开放日", "浙江音乐学院", 0, 4, "0", 240, 100),
]
RETIRED = ("“幸福使者艺术团”文化巡演", "演员团队解散，改由越剧专场替代")
DEMO_MARK = "演示数据"


def _photo() -> CheckedUpload:
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), "#2e86c1").save(buffer, "JPEG")
    data = buffer.getvalue()
    upload = SimpleUploadedFile("现场.jpg", data, content_type="image/jpeg")
    return CheckedUpload(upload, "现场.jpg", "image/jpeg", ".jpg", len(data))


def _user(street: Street, role: str, community: Community | None = None):  # noqa: ANN202
    m = Membership.objects.filter(street=street, role=role, community=community).select_related(
        "user"
    )
    first = m.order_by("pk").first()
    return first.user if first else None


@transaction.atomic
def load(street: Street, as_of: dt.date) -> None:
    admin = _user(street, Role.STREET_ADMIN)
    staff = _user(street, Role.STREET_STAFF) or admin
    communities = list(Community.objects.filter(street=street).order_by("name", "pk"))
    if admin is None or not communities:
        return
    providers = {
        name: Provider.objects.get_or_create(
            street=street,
            name=name,
            defaults={"kind": kind, "contact": contact, "phone": phone, "address": address},
        )[0]
        for name, kind, contact, phone, address in PROVIDERS
    }
    _past(street, providers, communities, (as_of.year - 2, as_of.year - 1))
    _this_year(street, providers, communities, admin, staff, as_of)


def _past(
    street: Street,
    providers: dict[str, Provider],
    communities: list[Community],
    years: tuple[int, ...],
) -> None:
    for year in years:
        for kind, title, month, day, provider, qty in PAST:
            product, _ = Product.objects.get_or_create(
                street=street,
                year=year,
                provider=providers[provider],
                title=title,
                defaults={"kind": kind, "sessions": len(communities), "status": "published"},
            )
            for no, c in enumerate(communities, start=1):
                if (no + month + year) % 4 == 0:  # not every community gets every delivery
                    continue
                date = dt.date(year, month, day + no % 5)
                rng = random.Random(f"sjq-delivery:{c.name}:{year}:{title}")
                order, created = Order.objects.get_or_create(
                    community=c,
                    product=product,
                    preferred_date=date,
                    defaults={
                        "year": year,
                        "scheduled_date": date,
                        "status": S.DELIVERED,
                        "quantity": qty,
                        "audience": rng.randint(60, 400),
                        "rating": rng.choice((3, 4, 4, 5, 5)),
                    },
                )
                if created:
                    OrderEvent.objects.create(
                        order=order, to_status=S.DELIVERED, action="已配送", reason=DEMO_MARK
                    )


def _this_year(
    street: Street,
    providers: dict[str, Provider],
    communities: list[Community],
    admin,  # noqa: ANN001 — a User
    staff,  # noqa: ANN001
    as_of: dt.date,
) -> None:
    today = as_of
    year = today.year
    products = []
    for kind, category, title, provider, season, sessions, price, minutes, size in MENU:
        product, _ = Product.objects.get_or_create(
            street=street,
            year=year,
            provider=providers[provider],
            title=title,
            defaults={
                "kind": kind,
                "category": category,
                "season": season,
                "sessions": sessions,
                "unit_price": Decimal(price),
                "duration_minutes": minutes,
                "audience_size": size,
                "status": ProductStatus.PUBLISHED,
                "description": f"{title}，由{provider}提供。",
            },
        )
        products.append(product)
    retired, _ = Product.objects.get_or_create(
        street=street,
        year=year,
        provider=providers[CENTRE],
        title=RETIRED[0],
        defaults={"kind": ProductKind.SHOW, "sessions": 4, "unit_price": Decimal("2000")},
    )
    if retired.status != ProductStatus.WITHDRAWN:
        retired.status, retired.withdraw_reason = ProductStatus.WITHDRAWN, RETIRED[1]
        retired.save(update_fields=["status", "withdraw_reason"])
    if Order.objects.filter(year=year, community__in=communities).exists():
        return  # this year's orders are in place: a second run changes nothing
    services.quotas_set(
        user=admin,
        street=street,
        year=year,
        rule="equal",
        total=6 * len(communities),
        budget_per_order=Decimal("2000"),
    )

    def clip(day: dt.date) -> dt.date:
        return min(max(day, dt.date(year, 1, 1)), dt.date(year, 12, 31))

    past = [clip(today - dt.timedelta(days=d)) for d in (40, 25, 12, 5)]
    future = [clip(today + dt.timedelta(days=d)) for d in (3, 8, 15, 21)]
    # (community index, product index, date, state); the two 室内乐 bookings of the same
    # morning are the calendar's conflict.
    plan = [
        (0, 0, past[0], S.DELIVERED),
        (0, 2, past[1], S.DELIVERED),
        (0, 3, future[0], S.CONFIRMED),
        (0, 1, future[1], S.ORDERED),
        (1, 1, future[1], S.CONFIRMED),
        (1, 4, past[2], S.NOT_DELIVERED),
        (1, 5, future[2], S.DECLINED),
        (2, 2, future[3], S.CANCELLED),
        (2, 3, past[3], S.DELIVERED),
        (2, 1, future[1], S.CONFIRMED),
        (3, 0, future[2], S.ORDERED),
        (3, 5, past[1], S.DELIVERED),
    ]
    for ci, pi, date, state in plan:
        community = communities[ci % len(communities)]
        _order(community, products[pi], date, state, staff)


def _order(community: Community, product: Product, date: dt.date, state: str, staff) -> None:  # noqa: ANN001
    cadre = _user(community.street, Role.COMMUNITY_ADMIN, community) or staff
    # Placed as of the day it was asked for (the refusals are tested elsewhere; a past
    # delivery was ordered in the past).
    order = Order.objects.create(
        community=community,
        product=product,
        year=product.year,
        preferred_date=date,
        preferred_start=dt.time(9, 30),
        note="请安排在社区文化家园",
        ordered_by=cadre,
    )
    OrderEvent.objects.create(order=order, to_status=S.ORDERED, action="点单", by=cadre)
    if state == S.ORDERED:
        return
    if state == S.DECLINED:
        services.order_decline(user=staff, order=order, reason="提供单位当月档期已满")
        return
    services.order_confirm(user=staff, order=order)
    if state == S.CANCELLED:
        services.order_cancel(user=staff, order=order, reason="社区场地改造，暂停活动")
    elif state == S.NOT_DELIVERED:
        services.order_record_delivery(
            user=staff, order=order, happened=False, reason="台风天气取消"
        )
    elif state == S.DELIVERED:
        rng = random.Random(f"sjq-delivery:{community.name}:{product.title}")
        services.order_record_delivery(
            user=cadre,
            order=order,
            happened=True,
            audience=rng.randint(40, 200),
            photos=[_photo()],
            note="居民反响热烈",
        )
        services.order_rate(
            user=cadre, order=order, rating=rng.choice((4, 5)), comment="节目精彩，希望再来"
        )
