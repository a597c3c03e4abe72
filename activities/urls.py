from django.urls import path

from . import views

app_name = "activities"

urlpatterns = [
    path("", views.ActivityList.as_view(), name="list"),
    path("new/", views.activity_create, name="create"),
    path("queue/", views.VerificationQueue.as_view(), name="queue"),
    path("<int:pk>/", views.activity_detail, name="detail"),
    path("<int:pk>/edit/", views.activity_edit, name="edit"),
    *(
        path(f"<int:pk>/{action}/", views.activity_transition, {"action": action}, name=action)
        for action in views.TRANSITIONS
    ),
    path("files/<int:pk>/", views.archive_file, name="file"),
    path("files/<int:pk>/delete/", views.archive_file_delete, name="file_delete"),
    path("brands/", views.BrandList.as_view(), name="brand_list"),
    path("brands/new/", views.BrandCreate.as_view(), name="brand_create"),
    path("brands/<int:pk>/", views.BrandDetail.as_view(), name="brand_detail"),
    path("brands/<int:pk>/edit/", views.BrandUpdate.as_view(), name="brand_edit"),
]
