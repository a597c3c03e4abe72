from django.urls import path

from . import overview_views, views

app_name = "service"

urlpatterns = [
    path("", overview_views.home, name="home"),
    path("activities/<int:pk>/", views.activity_service, name="activity"),
    path("volunteers/<int:pk>/", views.volunteer, name="volunteer"),
    path("makeups/", views.makeups, name="makeups"),
    path("makeups/<int:pk>/decide/", views.makeup_decide, name="makeup_decide"),
    path("makeups/<int:pk>/withdraw/", views.makeup_withdraw, name="makeup_withdraw"),
    path("levels/", overview_views.levels, name="levels"),
    path("inactive/", overview_views.inactive, name="inactive"),
    path("instructors/", overview_views.instructors, name="instructors"),
    path("certificates/", overview_views.certificates, name="certificates"),
    path("certificates/<int:pk>/", overview_views.certificate, name="certificate"),
    path("certificates/check/", overview_views.check, name="check"),
]
