from django.urls import path

from . import views

app_name = "teams"


def crud(prefix: str, name: str, views_: tuple) -> list:
    """list, new, detail, edit, delete URLs of one record type."""
    lst, create, detail, update, delete = views_
    return [
        path(f"{prefix}", lst.as_view(), name=f"{name}list"),
        path(f"{prefix}new/", create.as_view(), name=f"{name}create"),
        path(f"{prefix}<int:pk>/", detail.as_view(), name=f"{name}detail"),
        path(f"{prefix}<int:pk>/edit/", update.as_view(), name=f"{name}update"),
        path(f"{prefix}<int:pk>/delete/", delete.as_view(), name=f"{name}delete"),
    ]


urlpatterns = [
    *crud(
        "",
        "",
        (views.TeamList, views.TeamCreate, views.TeamDetail, views.TeamUpdate, views.TeamDelete),
    ),
    *crud(
        "persons/",
        "person_",
        (
            views.PersonList,
            views.PersonCreate,
            views.PersonDetail,
            views.PersonUpdate,
            views.PersonDelete,
        ),
    ),
    *crud(
        "volunteers/",
        "volunteer_",
        (
            views.VolunteerList,
            views.VolunteerCreate,
            views.VolunteerDetail,
            views.VolunteerUpdate,
            views.VolunteerDelete,
        ),
    ),
    *crud(
        "instructors/",
        "certificate_",
        (
            views.CertificateList,
            views.CertificateCreate,
            views.CertificateDetail,
            views.CertificateUpdate,
            views.CertificateDelete,
        ),
    ),
    *crud(
        "cadres/",
        "cadre_",
        (
            views.CadreList,
            views.CadreCreate,
            views.CadreDetail,
            views.CadreUpdate,
            views.CadreDelete,
        ),
    ),
]
