"""The demo's complete years assessed and finalised (定稿) as the street admin would."""

from __future__ import annotations

from typing import TYPE_CHECKING

from assessments.models import Run, RunStatus
from assessments.runs import finalise_run, run_assessment
from communities.models import Street

from .timeline import Timeline
from .upsert import SyncCount

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def finalise_complete_years(street: Street, admin: User, timeline: Timeline) -> SyncCount:
    """One finalised run per complete year; a year already finalised is left alone (its
    figures and PDF are frozen with it).
    A finalised run cannot be changed, so it carries the time of loading as its 定稿 time."""
    tally = SyncCount("考核定稿")
    for year in timeline.complete_years:
        if Run.objects.filter(street=street, year=year, status=RunStatus.FINAL).exists():
            tally.unchanged += 1
            continue
        run = run_assessment(street=street, year=year, user=admin)
        finalise_run(run=run, user=admin)
        tally.created += 1
    return tally
