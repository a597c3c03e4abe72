"""The results an annual report prints, in the engine's one shape (outcomes.CommunityOutcome
and IndicatorOutcome) whether they come from a stored run (its frozen rows read back with
CommunityResult.outcome) or from an assessment computed now."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import F, Prefetch

from . import services
from .models import IndicatorResult, Run
from .outcomes import CommunityOutcome


def run_results(run: Run, community_ids: Iterable[int] | None = None) -> list[CommunityOutcome]:
    """The run's frozen rows, by rank then name (unscorable communities last): two queries."""
    qs = run.results.all()
    if community_ids is not None:
        qs = qs.filter(community_id__in=list(community_ids))
    qs = qs.prefetch_related(
        Prefetch("indicators", queryset=IndicatorResult.objects.order_by("order", "code"))
    ).order_by(F("rank").asc(nulls_last=True), "community_name")
    return [r.outcome(r.indicators.all()) for r in qs]


def assessment_results(a: services.Assessment) -> list[CommunityOutcome]:
    """An assessment computed now (nothing stored), in the same shape."""
    return list(a.communities)
