"""A district admin's writes on its streets' accounts: create, deactivate, reset a password.

Each checks the actor may manage the account (policy.district_may_manage), validates, then
writes and logs in one transaction (a failure to log undoes the write)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest

from communities import scope
from communities.models import Community, Membership, Street
from security_log.models import Event
from security_log.services import record

from . import policy

User = get_user_model()


def _may_manage(
    actor: AbstractBaseUser, target: AbstractBaseUser, membership: Membership | None
) -> bool:
    mine = scope.membership_of(actor)
    return policy.district_may_manage(
        actor_role=mine.role if mine else None,
        actor_district_id=mine.district_id if mine else None,
        actor_id=actor.pk,
        target_id=target.pk,
        target_is_superuser=target.is_superuser,
        target_role=membership.role if membership else None,
        target_district_id=membership.street.district_id
        if membership and membership.street_id
        else None,
    )


def managed_account(actor: AbstractBaseUser, pk: int) -> AbstractBaseUser | None:
    """The account `pk` if the actor may manage it, else None (the page answers 404)."""
    target = User.objects.filter(pk=pk).first()
    if target is None:
        return None
    membership = Membership.objects.select_related("street").filter(user=target).first()
    return target if _may_manage(actor, target, membership) else None


def create_account(
    actor: AbstractBaseUser,
    *,
    username: str,
    password: str,
    role: str,
    street: Street,
    community: Community | None,
    request: HttpRequest | None = None,
) -> AbstractBaseUser:
    """A new account with a street role on a street of the actor's district."""
    mine = scope.membership_of(actor)
    district_id = mine.district_id if mine else None
    if not policy.district_may_manage(
        actor_role=mine.role if mine else None,
        actor_district_id=district_id,
        actor_id=actor.pk,
        target_id=0,
        target_is_superuser=False,
        target_role=role,
        target_district_id=street.district_id,
    ):
        raise ValidationError("您无权在该街道创建这一角色的账号。")
    if role == "community_admin" and (community is None or community.street_id != street.pk):
        raise ValidationError({"community": "社区管理员须选择该街道的一个社区。"})
    if role != "community_admin":
        community = None
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": "该账号名已被使用。"})
    user = User(username=username)
    validate_password(password, user)
    with transaction.atomic():
        user.set_password(password)
        user.save()
        Membership.objects.create(user=user, role=role, street=street, community=community)
        record(
            Event.ACCOUNT_CREATED,
            user=actor,
            request=request,
            street_id=street.pk,
            target_user_id=user.pk,
            role=role,
            community_id=community.pk if community else None,
        )
    return user


def deactivate_account(
    actor: AbstractBaseUser, target: AbstractBaseUser, *, request: HttpRequest | None = None
) -> None:
    """The account can no longer sign in; its records and history stay."""
    if managed_account(actor, target.pk) is None:
        raise ValidationError("您无权停用该账号。")
    if not target.is_active:
        raise ValidationError("该账号已停用。")
    with transaction.atomic():
        target.is_active = False
        target.save(update_fields=["is_active"])
        record(
            Event.ACCOUNT_DEACTIVATED,
            user=actor,
            request=request,
            street_id=policy.street_id_of(target),
            target_user_id=target.pk,
        )


def reset_password(
    actor: AbstractBaseUser,
    target: AbstractBaseUser,
    password: str,
    *,
    request: HttpRequest | None = None,
) -> None:
    """A new password given by the district admin (the user changes it at the next sign-in
    as the password policy asks)."""
    if managed_account(actor, target.pk) is None:
        raise ValidationError("您无权重置该账号的密码。")
    validate_password(password, target)
    with transaction.atomic():
        target.set_password(password)
        target.save()
        record(
            Event.PASSWORD_RESET,
            user=actor,
            request=request,
            street_id=policy.street_id_of(target),
            target_user_id=target.pk,
        )
