"""The demo users, one per role, and their memberships."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model

from communities.admin_scope import ensure_role_groups, sync_role_group
from communities.models import (
    DISTRICT_ROLES,
    Membership,
    Role,
    Street,
)

from .upsert import Loader

if TYPE_CHECKING:
    from django.contrib.auth.models import User as Account


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    full_name: str
    role: str
    community: str | None = None  # short name, cadres only


DEMO_USERS = (
    DemoUser("sjq_admin", "Wenti#Admin2014", "周丽华", Role.STREET_ADMIN),
    DemoUser("sjq_staff", "Wenti#Staff2014", "陈晓东", Role.STREET_STAFF),
    DemoUser("sancha_cadre", "Wenti#Cadre2014", "李秀英", Role.COMMUNITY_ADMIN, "三叉"),
    DemoUser("qiantang_cadre", "Wenti#Cadre2015", "吴海燕", Role.COMMUNITY_ADMIN, "钱塘"),
    DemoUser("sjq_leader", "Wenti#Leader2014", "张国平", Role.LEADER),
    # Issue 18: the district's office (区文化和旅游局), bound to the street's district.
    DemoUser("district_admin", "Wenti#District2014", "孙建华", Role.DISTRICT_ADMIN),
    DemoUser("district_viewer", "Wenti#Viewer2014", "黄志明", Role.DISTRICT_VIEWER),
)


def sync_users(street: Street) -> dict[str, Account]:
    users = {}
    for u in DEMO_USERS:
        user, _ = get_user_model().objects.get_or_create(username=u.username)
        changed = []
        for attr, value in (
            ("first_name", u.full_name),
            ("last_name", ""),
            ("is_active", True),
            ("is_staff", u.role not in DISTRICT_ROLES),  # district users: no admin
        ):
            if getattr(user, attr) != value:
                setattr(user, attr, value)
                changed.append(attr)
        if not user.check_password(u.password):
            user.set_password(u.password)
            changed.append("password")
        if changed:
            user.save()
        users[u.username] = user
    return users


def sync_memberships(
    loader: Loader, street: Street, cid: dict[str, int], users: dict[str, Account]
) -> dict[str, Account]:
    ensure_role_groups()
    loader.sync(
        Membership,
        ("user_id",),
        (
            {
                "user_id": users[u.username].pk,
                "role": u.role,
                "district_id": street.district_id if u.role in DISTRICT_ROLES else None,
                "street_id": None if u.role in DISTRICT_ROLES else street.pk,
                "community_id": cid[u.community] if u.community else None,
            }
            for u in DEMO_USERS
        ),
        Membership.objects.filter(user__in=[users[u.username] for u in DEMO_USERS]),
    )
    for u in DEMO_USERS:
        sync_role_group(users[u.username])
    return users
