from django import template
from django.utils.safestring import SafeString

from delivery import tables
from delivery.models import Order, Product

register = template.Library()


@register.simple_tag
def order_badge(order: Order) -> SafeString:
    return tables.order_badge(order)


@register.simple_tag
def product_badge(product: Product) -> SafeString:
    return tables.product_badge(product)
