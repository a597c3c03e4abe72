from django.urls import path

from . import dashboard_views

app_name = "dashboard"

urlpatterns = [
    path("", dashboard_views.index, name="index"),
    path("communities/<int:pk>/", dashboard_views.community, name="community"),
]
