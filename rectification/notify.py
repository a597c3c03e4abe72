"""Who hears of each step in their inbox: the community's cadres, or the street's checkers."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from communities.recipients import cadres_of, checkers_of
from inbox import services as inbox
from inbox.models import Kind

from .models import Rectification


def url(task: Rectification) -> str:
    return reverse("rectification:detail", args=[task.pk])


def step(task: Rectification, action: str, note: str = "") -> None:
    c = task.community
    if action == "answer":
        users, kind = checkers_of(c.street_id), Kind.RECTIFICATION_ANSWERED
        title = f"{c.name}已答复整改任务“{task.indicator}”，待验收"
    else:
        users = cadres_of([c.pk]).get(c.pk, [])
        kind, title = {
            "issue": (Kind.RECTIFICATION_ISSUED, f"新的整改任务：{task.indicator}"),
            "return": (Kind.RECTIFICATION_RETURNED, f"整改任务“{task.indicator}”被退回"),
            "accept": (Kind.RECTIFICATION_ISSUED, f"整改任务“{task.indicator}”已验收销号"),
        }[action]
    body = note or task.requirement
    inbox.post(users, kind=kind, title=title, body=body, url=url(task))


def overdue(today: dt.date) -> int:
    """One item per overdue task to its cadres and the street's checkers (posted once)."""
    tasks = Rectification.objects.filter(
        status__in=("issued", "returned"), deadline__lt=today
    ).select_related("community")
    posted = 0
    for task in tasks:
        c = task.community
        users = [*cadres_of([c.pk]).get(c.pk, []), *checkers_of(c.street_id)]
        posted += len(
            inbox.post(
                users,
                kind=Kind.RECTIFICATION_OVERDUE,
                title=f"{c.name}整改任务“{task.indicator}”已逾期（期限{task.deadline:%Y-%m-%d}）",
                url=url(task),
                key=f"rect-overdue-{task.pk}",
            )
        )
    return posted
