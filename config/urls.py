from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.db import transaction
from django.urls import include, path

from home import views as home_views

admin.site.site_header = "社区文体工作平台 · 管理后台"
admin.site.site_title = "社区文体工作平台"
admin.site.index_title = "数据管理"

urlpatterns = [
    path("", home_views.home, name="home"),
    path("help/", home_views.help_index, name="help"),
    path("help/<slug:role>/", home_views.help_role, name="help_role"),
    # Not one transaction: checking the password (PBKDF2, ~0.5 s) must not hold SQLite's
    # write lock; its few writes (session, last sign-in, failed attempts) commit one by one.
    path(
        "login/",
        transaction.non_atomic_requests(auth_views.LoginView.as_view()),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("account/", include("accounts.urls")),
    path("admin/", admin.site.urls),
    path("facilities/", include("facilities.urls")),
    path("teams/", include("teams.urls")),
    path("privacy/", include("privacy.urls")),
    path("activities/", include("activities.urls")),
    path("evidence/", include("evidence.urls")),
    path("delivery/", include("delivery.urls")),
    path("service/", include("service.urls")),
    path("assessments/", include("assessments.urls")),
    path("reports/pdf/", include("reports.pdf_urls")),
    path("reports/", include("reports.urls")),
    path("dashboard/", include("dashboard.urls")),
    path("district/", include("district.urls")),
    path("search/", include("search.urls")),
    path("yearcycle/", include("yearcycle.urls")),
    path("checks/", include("checks.urls")),
    path("rectification/", include("rectification.urls")),
    path("inbox/", include("inbox.urls")),
]
