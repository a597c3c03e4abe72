from django.urls import path

from . import views

app_name = "district"

urlpatterns = [
    path("", views.index, name="index"),
    path("rankings/", views.rankings, name="rankings"),
    path("streets/", views.streets, name="streets"),
    path("reporting/", views.reporting, name="reporting"),
    path("rankings/workbook/", views.workbook, name="workbook"),
    path("white-paper/", views.white_paper, name="white_paper"),
    path("scheme/", views.scheme, name="scheme"),
]
