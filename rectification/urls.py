from django.urls import path

from . import views

app_name = "rectification"

urlpatterns = [
    path("", views.task_list, name="list"),
    path("issue/<int:indicator>/", views.issue, name="issue"),
    path("<int:pk>/", views.detail, name="detail"),
    *(
        path(f"<int:pk>/{action}/", views.act, {"action": action}, name=action)
        for action in ("answer", "return", "accept")
    ),
]
