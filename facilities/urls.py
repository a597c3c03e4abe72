from django.urls import path

from . import views

app_name = "facilities"

urlpatterns = [
    path("", views.FacilityList.as_view(), name="list"),
    path("new/", views.FacilityCreate.as_view(), name="create"),
    path("<int:pk>/", views.FacilityDetail.as_view(), name="detail"),
    path("<int:pk>/edit/", views.FacilityUpdate.as_view(), name="update"),
    path("<int:pk>/delete/", views.FacilityDelete.as_view(), name="delete"),
    path("<int:pk>/file/<str:field>/", views.facility_file, name="file"),
    path("projects/", views.ProjectList.as_view(), name="project_list"),
    path("projects/new/", views.ProjectCreate.as_view(), name="project_create"),
    path("projects/<int:pk>/", views.ProjectDetail.as_view(), name="project_detail"),
    path("projects/<int:pk>/edit/", views.ProjectUpdate.as_view(), name="project_update"),
    path("projects/<int:pk>/delete/", views.ProjectDelete.as_view(), name="project_delete"),
]
