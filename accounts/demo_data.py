"""The demo district's 区县账号: accounts the district admin created for the district's two
synthetic streets (a street admin, a staff member, a community's cadre), so that the district
accounts page lists more than the demo street's own users.

    accounts_demo.load(street, as_of=date.today())

Written through the real service (accounts.services.create_account, as the district admin:
its checks and the security log apply); idempotent (an existing username is left as it is).
as_of is accepted for the demo's common signature: accounts do not depend on the date.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.db import transaction

from communities.models import Community, Membership, Role, Street

from . import services

# (username, password, full name, role, street, community or None)
ACCOUNTS = (
    ("caihe_admin", "Wenti#Caihe2014", "王芳", Role.STREET_ADMIN, "采荷街道", None),
    ("caihe_staff", "Wenti#Caihe2015", "刘洋", Role.STREET_STAFF, "采荷街道", None),
    ("jiubao_cadre", "Wenti#Jiubao2014", "赵敏", Role.COMMUNITY_ADMIN, "九堡街道", "九堡社区"),
)


def load(street: Street, as_of: dt.date) -> None:
    """The accounts of ACCOUNTS on the streets of `street`'s district (loaded before by
    district.demo_data), created by the district's first admin."""
    admin = (
        Membership.objects.filter(
            role=Role.DISTRICT_ADMIN, district_id=street.district_id, district__isnull=False
        )
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if admin is None:
        raise ValueError(f"{street}所在区县没有区县管理员，无法写入演示账号。")
    User = get_user_model()
    with transaction.atomic():
        for username, password, full_name, role, street_name, community_name in ACCOUNTS:
            if User.objects.filter(username=username).exists():
                continue
            target = Street.objects.get(name=street_name, district_id=street.district_id)
            community = (
                Community.objects.get(street=target, name=community_name)
                if community_name
                else None
            )
            user = services.create_account(
                admin.user,
                username=username,
                password=password,
                role=role,
                street=target,
                community=community,
            )
            User.objects.filter(pk=user.pk).update(first_name=full_name)
