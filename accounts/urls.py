from django.urls import path

from . import district_views, views

app_name = "accounts"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("2fa/setup/", views.otp_setup, name="otp_setup"),
    path("2fa/verify/", views.otp_verify, name="otp_verify"),
    path("2fa/backup-codes/", views.backup_codes, name="backup_codes"),
    path("password/", views.PasswordChange.as_view(), name="password_change"),
    path("users/", views.AccountList.as_view(), name="users"),
    path("users/<int:pk>/reset-2fa/", views.otp_reset, name="otp_reset"),
    path("district/", district_views.DistrictAccountList.as_view(), name="district_accounts"),
    path("district/new/", district_views.district_account_create, name="district_account_create"),
    path(
        "district/<int:pk>/password/",
        district_views.district_account_password,
        name="district_account_password",
    ),
    path(
        "district/<int:pk>/deactivate/",
        district_views.district_account_deactivate,
        name="district_account_deactivate",
    ),
    path("security-log/", views.SecurityLogList.as_view(), name="security_log"),
]
