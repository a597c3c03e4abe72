"""The demo's complete years assessed and finalised (定稿) as the street admin would."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.utils import timezone

from assessments.models import Run, RunStatus
from assessments.runs import finalise_run, run_assessment
from communities.models import Street

from .timeline import Timeline
from .upsert import SyncCount, at_time

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def finalise_complete_years(street: Street, admin: User, timeline: Timeline) -> SyncCount:
    """One finalised run per complete year; a year already finalised is left alone (its
    figures and PDF are frozen with it). Each is dated as the street would have done it: run
    on 15 January of the next year, finalised on the 20th (or today, if that is earlier)."""
    tally = SyncCount("考核定稿")
    for year in timeline.complete_years:
        if Run.objects.filter(street=street, year=year, status=RunStatus.FINAL).exists():
            tally.unchanged += 1
            continue
        run = run_assessment(street=street, year=year, user=admin)
        finalise_run(run=run, user=admin)
        now = timezone.now()
        Run.objects.filter(pk=run.pk).update(
            created_at=min(at_time(dt.date(year + 1, 1, 15), 10), now),
            finalised_at=min(at_time(dt.date(year + 1, 1, 20), 16), now),
        )
        tally.created += 1
    return tally
