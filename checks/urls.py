from django.urls import path

from . import views

app_name = "checks"

urlpatterns = [
    path("", views.rule_settings, name="settings"),
]
