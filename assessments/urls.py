from django.urls import path

from . import views

app_name = "assessments"

urlpatterns = [
    path("", views.index, name="index"),
    path("runs/new/", views.run_create, name="run_create"),
    path("runs/<int:pk>/", views.run_detail, name="run"),
    path("runs/<int:pk>/finalise/", views.run_finalise, name="run_finalise"),
    path("runs/<int:pk>/diff/<int:other>/", views.run_diff, name="run_diff"),
    path("results/<int:pk>/", views.result_detail, name="result"),
    path("results/<int:pk>/evidence/<str:code>/", views.evidence, name="evidence"),
    path("schemes/", views.scheme_list, name="scheme_list"),
    path("schemes/<int:pk>/", views.scheme_detail, name="scheme"),
    path("schemes/<int:pk>/copy/", views.scheme_copy, name="scheme_copy"),
    path("schemes/<int:pk>/settings/", views.scheme_settings, name="scheme_settings"),
    path("schemes/<int:pk>/bands/", views.scheme_bands, name="scheme_bands"),
    path("schemes/<int:pk>/manual/new/", views.manual_indicator_add, name="manual_indicator_add"),
    path("schemes/<int:pk>/manual/", views.manual_list, name="manual_list"),
    path("indicators/<int:pk>/edit/", views.indicator_edit, name="indicator_edit"),
    path("indicators/<int:pk>/delete/", views.indicator_delete, name="indicator_delete"),
    path(
        "indicators/<int:pk>/communities/<int:community>/", views.manual_score, name="manual_score"
    ),
    path("manual-files/<int:pk>/", views.manual_file, name="manual_file"),
]
