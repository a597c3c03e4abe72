"""Writes of 队伍建设. Each checks the user's scope, validates, and saves in one transaction.

Persons are found by 人员编号 within the record's street and created when new, so a roster,
a volunteer register, a certificate and a cadre post of one human share one Person.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction

from communities import scope
from communities.models import Street
from communities.scope import ensure_can_edit

from .models import (
    Cadre,
    Certificate,
    Person,
    Team,
    TeamHonour,
    TeamMember,
    Volunteer,
)
from .selectors import editable_persons

if TYPE_CHECKING:
    from communities.scope import User


@dataclass(frozen=True)
class PersonData:
    code: str
    name: str = ""
    gender: str = ""
    birth_year: int | None = None
    phone: str = ""


def person_for_code(*, street: Street, data: PersonData) -> Person:
    """The street's person with this 人员编号, or a new one; a different 姓名 is an error.

    The error does not name the registered person: the user may not be allowed to see them.
    """
    person = Person.objects.filter(street=street, code=data.code).first()
    if person is not None:
        if data.name and data.name != person.name:
            raise ValidationError(
                {"person_name": f"人员编号 {data.code} 已登记为其他姓名，请核对编号或姓名。"}
            )
        return person
    if not data.name:
        raise ValidationError(
            {"person_name": f"人员编号 {data.code} 尚未登记，请填写姓名以新建人员。"}
        )
    person = Person(
        street=street,
        code=data.code,
        name=data.name,
        gender=data.gender,
        birth_year=data.birth_year,
        phone=data.phone,
    )
    person.full_clean()
    person.save()
    return person


# ---------------------------------------------------------------- persons


@transaction.atomic
def person_save(*, person: Person, user: User) -> Person:
    if (
        not scope.can_edit_anything(user)
        or not scope.visible_streets(user).filter(pk=person.street_id).exists()
    ):
        raise ValidationError("您无权编辑该人员。")
    if person.pk and not editable_persons(user).filter(pk=person.pk).exists():
        raise ValidationError("您无权编辑该人员。")
    person.full_clean()
    person.save()
    return person


def person_delete_blockers(person: Person) -> list[str]:
    reasons = []
    if person.team_memberships.exists():
        reasons.append("该人员在团队花名册中。")
    if Volunteer.objects.filter(person=person).exists():
        reasons.append("该人员已登记为志愿者。")
    if person.certificates.exists():
        reasons.append("该人员持有指导员证书记录。")
    if person.cadre_posts.exists():
        reasons.append("该人员有文体干部任职记录。")
    return reasons


@transaction.atomic
def person_delete(*, obj: Person, user: User) -> None:
    if not editable_persons(user).filter(pk=obj.pk).exists():
        raise ValidationError("您无权删除该人员。")
    blockers = person_delete_blockers(obj)
    if blockers:
        raise ValidationError(blockers)
    obj.delete()


# ---------------------------------------------------------------- teams, rosters, honours


@transaction.atomic
def team_save(*, team: Team, user: User) -> Team:
    ensure_can_edit(user, team.community_id)
    team.full_clean()
    team.save()
    return team


def team_delete_blockers(team: Team) -> list[str]:
    reasons = []
    if n := team.memberships.count():
        reasons.append(f"花名册中有 {n} 名成员。")
    if n := team.honours.count():
        reasons.append(f"团队有 {n} 项荣誉记录。")
    if n := team.activities.count():
        reasons.append(f"团队组织过 {n} 次活动。")
    if reasons:
        reasons.append("不再活动的团队请填写解散日期，记录会保留。")
    return reasons


@transaction.atomic
def team_delete(*, obj: Team, user: User) -> None:
    ensure_can_edit(user, obj.community_id)
    blockers = team_delete_blockers(obj)
    if blockers:
        raise ValidationError(blockers)
    obj.delete()


@transaction.atomic
def roster_add(
    *, team: Team, user: User, person: PersonData, joined_on: dt.date | None = None
) -> TeamMember:
    ensure_can_edit(user, team.community_id)
    member = person_for_code(street=team.community.street, data=person)
    if TeamMember.objects.filter(team=team, person=member).exists():
        raise ValidationError({"person_code": f"{member.name}（{member.code}）已在花名册中。"})
    row = TeamMember(team=team, person=member, joined_on=joined_on)
    row.full_clean()
    row.save()
    return row


@transaction.atomic
def roster_remove(*, member: TeamMember, user: User) -> None:
    ensure_can_edit(user, member.team.community_id)
    member.delete()


@transaction.atomic
def honour_add(
    *, team: Team, user: User, year: int, title: str, awarded_by: str = ""
) -> TeamHonour:
    ensure_can_edit(user, team.community_id)
    if TeamHonour.objects.filter(team=team, year=year, title=title).exists():
        raise ValidationError({"title": f"该团队 {year} 年已有“{title}”荣誉。"})
    honour = TeamHonour(team=team, year=year, title=title, awarded_by=awarded_by)
    honour.full_clean()
    honour.save()
    return honour


@transaction.atomic
def honour_delete(*, honour: TeamHonour, user: User) -> None:
    ensure_can_edit(user, honour.team.community_id)
    honour.delete()


# ---------------------------------------------------------------- volunteers and service hours


@transaction.atomic
def volunteer_register(*, volunteer: Volunteer, user: User, person: PersonData) -> Volunteer:
    ensure_can_edit(user, volunteer.community_id)
    volunteer.person = person_for_code(street=volunteer.community.street, data=person)
    if Volunteer.objects.filter(person=volunteer.person).exists():
        raise ValidationError({"person_code": f"人员编号 {person.code} 已登记为志愿者。"})
    volunteer.full_clean()
    volunteer.save()
    return volunteer


@transaction.atomic
def volunteer_save(*, volunteer: Volunteer, user: User) -> Volunteer:
    ensure_can_edit(user, volunteer.community_id)
    volunteer.full_clean()
    volunteer.save()
    return volunteer


def volunteer_delete_blockers(volunteer: Volunteer) -> list[str]:
    if n := volunteer.person.service_entries.count():
        return [f"该志愿者有 {n} 条服务记录。离开的志愿者请填写退出日期。"]
    return []


@transaction.atomic
def volunteer_delete(*, obj: Volunteer, user: User) -> None:
    ensure_can_edit(user, obj.community_id)
    blockers = volunteer_delete_blockers(obj)
    if blockers:
        raise ValidationError(blockers)
    obj.delete()


# ---------------------------------------------------------------- instructors and cadres


@transaction.atomic
def certificate_save(
    *, certificate: Certificate, user: User, person: PersonData | None = None
) -> Certificate:
    ensure_can_edit(user, certificate.community_id)
    if person is not None:
        certificate.person = person_for_code(street=certificate.community.street, data=person)
    certificate.full_clean()
    certificate.save()
    return certificate


@transaction.atomic
def certificate_delete(*, obj: Certificate, user: User) -> None:
    ensure_can_edit(user, obj.community_id)
    obj.delete()


@transaction.atomic
def cadre_save(*, cadre: Cadre, user: User, person: PersonData | None = None) -> Cadre:
    ensure_can_edit(user, cadre.community_id)
    if person is not None:
        cadre.person = person_for_code(street=cadre.community.street, data=person)
    clash = Cadre.objects.filter(
        community_id=cadre.community_id,
        person=cadre.person,
        post=cadre.post,
        appointed_on=cadre.appointed_on,
    ).exclude(pk=cadre.pk)
    if clash.exists():
        raise ValidationError(
            {"appointed_on": "该人员在本社区同一职务、同一任职日期的记录已存在。"}
        )
    cadre.full_clean()
    cadre.save()
    return cadre


@transaction.atomic
def cadre_delete(*, obj: Cadre, user: User) -> None:
    ensure_can_edit(user, obj.community_id)
    obj.delete()
