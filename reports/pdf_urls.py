from django.urls import path

from . import pdf_views

app_name = "pdf"

urlpatterns = [
    path("runs/<int:pk>/annual.pdf", pdf_views.annual_run, name="annual"),
    path("annual/<int:street_id>/<int:year>.pdf", pdf_views.annual_year, name="annual_year"),
    path("runs/<int:pk>/notices/<int:community_id>.pdf", pdf_views.notice, name="notice"),
    path("yearbook/<int:street_id>/<int:year>.pdf", pdf_views.yearbook_pdf, name="yearbook"),
    path(
        "service-certificates/<int:pk>.pdf",
        pdf_views.service_certificate,
        name="service_certificate",
    ),
]
