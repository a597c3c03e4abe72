"""点单配送: the street centre's menu of products, yearly quotas, orders and their delivery.

Providers and products belong to a street (the centre publishes one menu); quotas and orders
belong to a community. State changes of an order go through delivery/services.py, which logs
each one as an OrderEvent; nothing else assigns Order.status.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from activities.models import Activity, ActivityCategory
from communities.models import Community, Street


class ProviderKind(models.TextChoices):
    CENTRE = "街道文化中心", "街道文化中心"
    PARTNER = "共建单位", "共建单位"
    ORGANISATION = "社会组织", "社会组织"
    OTHER = "其他", "其他"


class Provider(models.Model):
    """Who delivers: the street centre, a partner unit (university, school, army), an NGO."""

    street = models.ForeignKey(
        Street, verbose_name="街道", on_delete=models.PROTECT, related_name="providers"
    )
    name = models.CharField("单位名称", max_length=100)
    kind = models.CharField(
        "单位类型", max_length=10, choices=ProviderKind.choices, default=ProviderKind.CENTRE
    )
    contact = models.CharField("联系人", max_length=50, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    address = models.CharField("地址", max_length=200, blank=True)
    note = models.TextField("备注", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "配送单位"
        verbose_name_plural = "配送单位"
        ordering = ["street", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["street", "name"],
                name="provider_unique_name",
                violation_error_code="provider_unique_name",
                violation_error_message="本街道已有同名的配送单位。",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ProductKind(models.TextChoices):
    BOOKS = "图书", "图书"
    EXHIBITION = "展览", "展览"
    SHOW = "演出", "演出"
    LECTURE = "讲座", "讲座"
    TRAINING = "培训", "培训"
    FILM = "电影", "电影"
    VENUE = "场馆开放", "场馆开放"
    OTHER = "其他", "其他"


class Season(models.IntegerChoices):
    """When a product is on the menu: the whole year or one quarter."""

    YEAR = 0, "全年"
    Q1 = 1, "一季度"
    Q2 = 2, "二季度"
    Q3 = 3, "三季度"
    Q4 = 4, "四季度"


class ProductStatus(models.TextChoices):
    DRAFT = "draft", "未发布"
    PUBLISHED = "published", "已发布"
    WITHDRAWN = "withdrawn", "已下架"


def product_photo_to(instance: Product, filename: str) -> str:
    import uuid
    from pathlib import PurePath

    return f"delivery/products/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()[:10]}"


class Product(models.Model):
    """One item of the menu for one year (a product offered again next year is a new row,
    so this year's history never changes when next year's menu is drawn up)."""

    street = models.ForeignKey(
        Street, verbose_name="街道", on_delete=models.PROTECT, related_name="delivery_products"
    )
    provider = models.ForeignKey(
        Provider, verbose_name="提供单位", on_delete=models.PROTECT, related_name="products"
    )
    kind = models.CharField("配送类别", max_length=10, choices=ProductKind.choices)
    category = models.CharField(
        "活动类别",
        max_length=10,
        choices=ActivityCategory.choices,
        default=ActivityCategory.CULTURE,
        help_text="配送完成后生成的社区活动记入文化或体育。",
    )
    title = models.CharField("产品名称", max_length=200)
    description = models.TextField("内容简介", blank=True)
    duration_minutes = models.PositiveIntegerField("时长(分钟)", default=90)
    audience_size = models.PositiveIntegerField("适宜人数", null=True, blank=True)
    year = models.PositiveSmallIntegerField("年度")
    season = models.PositiveSmallIntegerField("配送时段", choices=Season.choices, default=0)
    sessions = models.PositiveIntegerField("全年可配送场次", default=1)
    unit_price = models.DecimalField("单价(元)", max_digits=10, decimal_places=2, default=0)
    photo = models.FileField("图片", upload_to=product_photo_to, max_length=200, blank=True)
    status = models.CharField(
        "状态", max_length=10, choices=ProductStatus.choices, default=ProductStatus.DRAFT
    )
    withdraw_reason = models.CharField("下架原因", max_length=200, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "配送产品"
        verbose_name_plural = "配送产品"
        ordering = ["-year", "kind", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["street", "year", "provider", "title"],
                name="product_unique_title",
                violation_error_code="product_unique_title",
                violation_error_message="该单位本年度已有同名的配送产品。",
            ),
            models.CheckConstraint(
                condition=Q(season__gte=0, season__lte=4),
                name="product_season",
                violation_error_code="product_season",
                violation_error_message="配送时段只能是全年或一至四季度。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}（{self.provider}）"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("delivery:product_detail", args=[self.pk])


class Quota(models.Model):
    """配送额度: how many orders (and optionally how much money) a community has in a year."""

    community = models.ForeignKey(
        Community, verbose_name="社区", on_delete=models.CASCADE, related_name="delivery_quotas"
    )
    year = models.PositiveSmallIntegerField("年度")
    orders = models.PositiveIntegerField("点单次数")
    budget = models.DecimalField("预算(元)", max_digits=12, decimal_places=2, null=True, blank=True)
    rule = models.CharField("设定方式", max_length=20, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "配送额度"
        verbose_name_plural = "配送额度"
        ordering = ["-year", "community"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "year"],
                name="quota_unique_year",
                violation_error_code="quota_unique_year",
                violation_error_message="该社区本年度已有配送额度。",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.community} {self.year}年 {self.orders}次"


class OrderStatus(models.TextChoices):
    ORDERED = "ordered", "待确认"
    CONFIRMED = "confirmed", "已排期"
    DECLINED = "declined", "已拒绝"
    CANCELLED = "cancelled", "已取消"
    DELIVERED = "delivered", "已配送"
    NOT_DELIVERED = "not_delivered", "未配送"


# Orders that take a quota place and a session of the product.
ACTIVE_STATUSES = (OrderStatus.ORDERED, OrderStatus.CONFIRMED, OrderStatus.DELIVERED)


class Order(models.Model):
    community = models.ForeignKey(
        Community, verbose_name="社区", on_delete=models.PROTECT, related_name="delivery_orders"
    )
    product = models.ForeignKey(
        Product, verbose_name="配送产品", on_delete=models.PROTECT, related_name="orders"
    )
    year = models.PositiveSmallIntegerField("年度")
    preferred_date = models.DateField("希望日期")
    preferred_start = models.TimeField("希望开始时间", null=True, blank=True)
    alternative_date = models.DateField("备选日期", null=True, blank=True)
    note = models.TextField("点单备注", blank=True)
    status = models.CharField(
        "状态", max_length=15, choices=OrderStatus.choices, default=OrderStatus.ORDERED
    )
    scheduled_date = models.DateField("配送日期", null=True, blank=True)
    scheduled_start = models.TimeField("开始时间", null=True, blank=True)
    scheduled_end = models.TimeField("结束时间", null=True, blank=True)
    reason = models.TextField("原因", blank=True)
    quantity = models.PositiveIntegerField("数量/场次", default=1)
    audience = models.PositiveIntegerField("受益人数", null=True, blank=True)
    delivery_note = models.TextField("配送情况", blank=True)
    activity = models.OneToOneField(
        Activity,
        verbose_name="社区活动",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="delivery_order",
    )
    rating = models.PositiveSmallIntegerField("评分", null=True, blank=True)
    rating_comment = models.TextField("评价", blank=True)
    rated_at = models.DateTimeField("评价时间", null=True, blank=True)
    legacy_distribution_id = models.PositiveIntegerField("原配送记录编号", null=True, blank=True)
    ordered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="点单人",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("点单时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = "配送订单"
        verbose_name_plural = "配送订单"
        ordering = ["-preferred_date", "community"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="order_rating_1_to_5",
                violation_error_code="order_rating_1_to_5",
                violation_error_message="评分必须是 1 到 5 的整数。",
            ),
        ]
        indexes = [models.Index(fields=["community", "year", "status"], name="order_scope_year")]

    def __str__(self) -> str:
        return f"{self.community} · {self.product.title} · {self.date:%Y-%m-%d}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("delivery:order_detail", args=[self.pk])

    @property
    def date(self):  # noqa: ANN201 — a date
        return self.scheduled_date or self.preferred_date


class OrderEvent(models.Model):
    """One step of an order: who moved it, when, and why (reschedules and refusals say why)."""

    order = models.ForeignKey(
        Order, verbose_name="订单", on_delete=models.CASCADE, related_name="events"
    )
    from_status = models.CharField("原状态", max_length=15, choices=OrderStatus.choices, blank=True)
    to_status = models.CharField("新状态", max_length=15, choices=OrderStatus.choices)
    action = models.CharField("操作", max_length=20)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="操作人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField("时间", auto_now_add=True)
    reason = models.TextField("原因", blank=True)

    class Meta:
        verbose_name = "订单记录"
        verbose_name_plural = "订单记录"
        ordering = ["order", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.order}: {self.action}"
