from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("2fa/setup/", views.otp_setup, name="otp_setup"),
    path("2fa/verify/", views.otp_verify, name="otp_verify"),
    path("2fa/backup-codes/", views.backup_codes, name="backup_codes"),
    path("password/", views.PasswordChange.as_view(), name="password_change"),
    path("users/", views.AccountList.as_view(), name="users"),
    path("users/<int:pk>/reset-2fa/", views.otp_reset, name="otp_reset"),
    path("security-log/", views.SecurityLogList.as_view(), name="security_log"),
]
