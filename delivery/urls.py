from django.urls import path

from . import order_views, views

app_name = "delivery"

urlpatterns = [
    path("", views.menu, name="menu"),
    path("providers/", views.ProviderList.as_view(), name="provider_list"),
    path("providers/new/", views.provider_form, name="provider_create"),
    path("providers/<int:pk>/", views.ProviderDetail.as_view(), name="provider_detail"),
    path("providers/<int:pk>/edit/", views.provider_form, name="provider_edit"),
    path("products/", views.ProductList.as_view(), name="product_list"),
    path("products/new/", views.product_form, name="product_create"),
    path("products/<int:pk>/", views.ProductDetail.as_view(), name="product_detail"),
    path("products/<int:pk>/edit/", views.product_form, name="product_edit"),
    path("products/<int:pk>/photo/", views.product_photo, name="product_photo"),
    *(
        path(f"products/<int:pk>/{a}/", views.product_action, {"action": a}, name=f"product_{a}")
        for a in ("publish", "withdraw")
    ),
    path("products/<int:pk>/order/", order_views.order_create, name="order_create"),
    path("quotas/", views.quotas, name="quotas"),
    path("orders/", order_views.OrderList.as_view(), name="order_list"),
    path("orders/<int:pk>/", order_views.order_detail, name="order_detail"),
    *(
        path(f"orders/<int:pk>/{a}/", order_views.order_action, {"action": a}, name=f"order_{a}")
        for a in order_views.ACTIONS
    ),
    path("calendar/", order_views.month_calendar, name="calendar"),
    path("statistics/", order_views.statistics, name="statistics"),
]
