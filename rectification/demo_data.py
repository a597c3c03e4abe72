"""The demo street's rectifications (idempotent: a second run changes nothing).

Relative to `as_of`: from the previous year's finalised assessment, two tasks are open in
as_of's year — one issued three weeks ago and waiting for the community's answer, one
answered five days ago and waiting for the street's check — and one task from the year
before that was answered and accepted (销号) in the previous year.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from assessments.models import IndicatorResult, RunStatus
from communities.models import Community, Membership, Role, Street

from .models import Rectification, Status, Step


def _user(street: Street, role: str, community: Community | None = None) -> User | None:
    m = Membership.objects.filter(street=street, role=role, community=community)
    first = m.select_related("user").order_by("pk").first()
    return first.user if first else None


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime(day.year, day.month, day.day, hour))


def _gaps(street: Street, year: int) -> list[IndicatorResult]:
    """The finalised year's indicator lines that fell short, the largest shortfall first."""
    rows = IndicatorResult.objects.filter(
        result__run__street=street,
        result__run__year=year,
        result__run__status=RunStatus.FINAL,
        points__isnull=False,
    ).select_related("result")
    short = [r for r in rows if r.points < r.max_points]
    return sorted(short, key=lambda r: (r.points - r.max_points, r.result.community_id, r.pk))


def _task(
    source: IndicatorResult,
    *,
    issuer: User,
    requirement: str,
    issued: dt.date,
    deadline: dt.date,
) -> Rectification:
    task = Rectification.objects.create(
        community_id=source.result.community_id,
        year=source.result.run.year,
        source=source,
        indicator=f"{source.code} {source.name}",
        requirement=requirement,
        deadline=deadline,
        responsible="社区书记",
        issued_by=issuer,
    )
    Rectification.objects.filter(pk=task.pk).update(issued_at=_at(issued))
    step = Step.objects.create(rectification=task, action="issue", by=issuer, note=requirement)
    Step.objects.filter(pk=step.pk).update(at=_at(issued))
    return task


def _answer(task: Rectification, cadre: User, day: dt.date, note: str) -> None:
    Rectification.objects.filter(pk=task.pk).update(status=Status.ANSWERED, answer=note)
    step = Step.objects.create(rectification=task, action="answer", by=cadre, note=note)
    Step.objects.filter(pk=step.pk).update(at=_at(day, 15))


def _accept(task: Rectification, checker: User, day: dt.date) -> None:
    Rectification.objects.filter(pk=task.pk).update(status=Status.ACCEPTED, closed_at=_at(day))
    step = Step.objects.create(
        rectification=task, action="accept", by=checker, note="核查属实，予以销号。"
    )
    Step.objects.filter(pk=step.pk).update(at=_at(day))


@transaction.atomic
def load(street: Street, as_of: dt.date) -> None:
    if Rectification.objects.filter(community__street=street).exists():
        return
    checker = _user(street, Role.STREET_STAFF) or _user(street, Role.STREET_ADMIN)
    last, before = _gaps(street, as_of.year - 1), _gaps(street, as_of.year - 2)
    if checker is None or len(last) < 2 or not before:
        return

    def cadre_of(source: IndicatorResult) -> User:
        community = source.result.community
        return _user(street, Role.COMMUNITY_ADMIN, community) or checker

    waiting, answered = last[0], next(r for r in last[1:] if r.pk != last[0].pk)
    _task(
        waiting,
        issuer=checker,
        requirement=f"{waiting.gap or '该项未达标'}。请制定整改措施，按期补齐并上传佐证。",
        issued=as_of - dt.timedelta(days=21),
        deadline=as_of + dt.timedelta(days=30),
    )
    task = _task(
        answered,
        issuer=checker,
        requirement=f"{answered.gap or '该项未达标'}。请补齐台账并说明整改情况。",
        issued=as_of - dt.timedelta(days=40),
        deadline=as_of + dt.timedelta(days=10),
    )
    _answer(
        task, cadre_of(answered), as_of - dt.timedelta(days=5), "已补齐台账，整改情况见说明及附件。"
    )

    old = before[0]
    prev = dt.date(as_of.year - 1, 4, 1)
    task = _task(
        old,
        issuer=checker,
        requirement=f"{old.gap or '该项未达标'}。请于期限内整改到位。",
        issued=prev,
        deadline=prev + dt.timedelta(days=60),
    )
    _answer(task, cadre_of(old), prev + dt.timedelta(days=45), "已按要求整改到位。")
    _accept(task, checker, prev + dt.timedelta(days=52))
