"""Second-factor devices hold secret keys: they are not edited in the admin. A user sets
theirs up on 账号安全, and a street admin or the operator resets it on 账号与双因素 (logged)."""

from django.contrib import admin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

for model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
