from django.urls import path

from . import validation, views

app_name = "yearcycle"

urlpatterns = [
    path("", views.board, name="board"),
    path("calendar/", views.calendar_edit, name="calendar"),
    path("submit/<int:community>/<int:year>/<int:number>/", views.submit_period, name="submit"),
    path(
        "validation/<int:community>/<int:year>/<int:number>/",
        validation.report,
        name="validation",
    ),
    path("submissions/<int:pk>/", views.submission_detail, name="submission"),
    *(
        path(
            f"submissions/<int:pk>/{action}/",
            views.submission_action,
            {"action": action},
            name=action,
        )
        for action in views.ACTIONS
    ),
]
