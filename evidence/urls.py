from django.urls import path

from . import views

app_name = "evidence"

urlpatterns = [
    path("", views.ReuseReport.as_view(), name="report"),
    path("flags/<int:pk>/explain/", views.flag_explain, name="explain"),
]
