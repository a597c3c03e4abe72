from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("persons/<int:pk>/phone/", views.reveal_person, name="reveal_person"),
    path("teams/<int:pk>/phone/", views.reveal_team, name="reveal_team"),
    path("persons/<int:pk>/anonymise/", views.anonymise, name="anonymise"),
    path("retention/", views.RetentionList.as_view(), name="retention"),
]
