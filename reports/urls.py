from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("template.xlsx", views.template, name="template"),
    path("export/", views.export, name="export"),
    path("import/", views.import_upload, name="import"),
    path("annual/", views.annual, name="annual"),
    path("notices/", views.notices, name="notices"),
    path("yearbook/", views.yearbook, name="yearbook"),
    path("service-certificates/", views.service_certificates, name="service_certificates"),
    path("jobs/<int:pk>/", views.job_detail, name="job"),
    path("jobs/<int:pk>/confirm/", views.job_confirm, name="job_confirm"),
    path("jobs/<int:pk>/cancel/", views.job_cancel, name="job_cancel"),
    path("jobs/<int:pk>/download/", views.job_download, name="job_download"),
]
