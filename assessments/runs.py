"""Runs: a computed assessment stored as a versioned Run (草稿), finalised (定稿), compared.

Writes validate and save inside transaction.atomic(); nothing half-written. A run keeps the
scheme's snapshot and, per community and indicator, the outcome with its evidence ids.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from communities import scope
from communities.models import Street
from reporting import locks

from . import default_scheme
from .engine import evaluate, resolve_as_of
from .models import CommunityResult, FinalisedError, IndicatorResult, Run, RunStatus
from .outcomes import Assessment
from .scheme import SchemeSpec

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def check_street_user(user: User | None, street: Street, allowed: bool, action: str) -> None:
    if user is None:
        return  # the command line: whoever runs manage.py owns the data
    if not allowed or not scope.visible_streets(user).filter(pk=street.pk).exists():
        raise PermissionDenied(f"您无权{action}。")


def run_assessment(
    *, street: Street, year: int, user: User | None, as_of: dt.date | None = None
) -> Run:
    """Compute and store a new version (草稿) of the street's assessment for year Y."""
    return run_and_outcome(street=street, year=year, user=user, as_of=as_of)[0]


def run_and_outcome(
    *, street: Street, year: int, user: User | None, as_of: dt.date | None = None
) -> tuple[Run, Assessment]:
    """run_assessment, also handing back the computed Assessment (for the command line)."""
    check_street_user(user, street, user is not None and scope.can_verify(user), "运行考核")
    as_of = resolve_as_of(year, as_of)
    with transaction.atomic():
        scheme = default_scheme.ensure_scheme(street, year)
        data = default_scheme.snapshot(scheme)
        assessment = evaluate(street, year, as_of, SchemeSpec.of(data))
        # Lock the street so that two people running at once get distinct versions
        # (PostgreSQL refuses FOR UPDATE together with an aggregate).
        Street.objects.select_for_update().filter(pk=street.pk).first()
        latest = Run.objects.filter(street=street, year=year).aggregate(v=Max("version"))["v"]
        run = Run.objects.create(
            street=street,
            year=year,
            version=(latest or 0) + 1,
            as_of=as_of,
            provisional=assessment.provisional,
            scheme=scheme,
            scheme_name=scheme.name,
            scheme_snapshot=data,
            complete=assessment.complete,
            missing=assessment.missing,
            created_by=user,
        )
        results = CommunityResult.objects.bulk_create(
            CommunityResult(
                run=run,
                community_id=c.community_id,
                community_name=c.name,
                population=c.population,
                population_year=c.population_year,
                cards={k: str(v) for k, v in c.cards.items()},
                bonus=c.bonus,
                bonus_ids=c.bonus_ids,
                deduction=c.deduction,
                deduction_ids=c.deduction_ids,
                veto=c.veto,
                total=c.total,
                grade=c.grade,
                grade_gap=c.grade_gap,
                rank=c.rank,
                complete=c.complete,
                error=c.error,
            )
            for c in assessment.communities
        )
        IndicatorResult.objects.bulk_create(
            IndicatorResult(
                result=result,
                code=i.code,
                name=i.name,
                card=i.card,
                order=i.order,
                is_manual=i.is_manual,
                value=i.value,
                target=i.target,
                points=i.points,
                max_points=i.max_points,
                evidence={"model": i.evidence_model, "ids": list(i.evidence_ids)},
                detail=i.detail,
                gap=i.gap,
            )
            for result, c in zip(results, assessment.communities, strict=True)
            for i in c.indicators
        )
    return run, assessment


def finalise_run(*, run: Run, user: User | None) -> Run:
    """定稿: freeze a complete run for good (street admin only)."""
    if user is None or not scope.can_administer(user):
        raise PermissionDenied("只有街道管理员可以定稿。")
    check_street_user(user, run.street, True, "定稿该考核")
    with transaction.atomic():
        run = Run.objects.select_for_update().get(pk=run.pk)
        if run.is_final:
            raise FinalisedError("该考核已经定稿。")
        if run.provisional:
            raise ValidationError("临时考核（截至日期早于年末）不能定稿。")
        if not run.complete:
            raise ValidationError("还有人工指标未评分，不能定稿。")
        if run.results.exclude(error="").exists():
            raise ValidationError("有社区无法计分（如缺少常住人口），不能定稿。")
        required, open_periods = locks.finalise_blocked(run.street_id, run.year)
        if required and open_periods:
            raise ValidationError(
                f"按报送日历设置，定稿前每个期间都须审核通过；尚有{len(open_periods)}个期间未审核"
                f"（如{'、'.join(open_periods[:3])}）。"
            )
        run.status = RunStatus.FINAL
        run.finalised_by = user
        run.finalised_at = timezone.now()
        run.save()
    return run


@dataclass
class IndicatorDiff:
    code: str
    name: str
    old: Decimal | None
    new: Decimal | None

    @property
    def delta(self) -> Decimal | None:
        if self.old is None or self.new is None:
            return None
        return self.new - self.old


@dataclass
class CommunityDiff:
    community_id: int
    name: str
    old: CommunityResult | None
    new: CommunityResult | None
    indicators: list[IndicatorDiff]

    @property
    def total_delta(self) -> Decimal | None:
        if self.old is None or self.new is None or self.old.total is None or self.new.total is None:
            return None
        return self.new.total - self.old.total

    @property
    def changed(self) -> bool:
        if self.old is None or self.new is None:
            return True
        fields = ("total", "grade", "rank", "bonus", "deduction", "veto", "error")
        return bool(self.indicators) or any(
            getattr(self.old, f) != getattr(self.new, f) for f in fields
        )


def _results(run: Run) -> dict[int, CommunityResult]:
    return {r.community_id: r for r in run.results.prefetch_related("indicators")}


def compare_runs(old: Run, new: Run) -> list[CommunityDiff]:
    """Per community, what differs between two runs: totals, grade, rank and the indicators
    whose points changed (an indicator only in one run shows None on the other side)."""
    before, after = _results(old), _results(new)
    diffs = []
    for cid in sorted(
        set(before) | set(after), key=lambda c: (after.get(c) or before[c]).community_name
    ):
        o, n = before.get(cid), after.get(cid)
        o_ind = {i.code: i for i in o.indicators.all()} if o else {}
        n_ind = {i.code: i for i in n.indicators.all()} if n else {}
        changed = []
        for code in sorted(
            set(o_ind) | set(n_ind), key=lambda c: ((n_ind.get(c) or o_ind[c]).order, c)
        ):
            op = o_ind[code].points if code in o_ind else None
            np_ = n_ind[code].points if code in n_ind else None
            if op != np_ or (code in o_ind) != (code in n_ind):
                changed.append(IndicatorDiff(code, (n_ind.get(code) or o_ind[code]).name, op, np_))
        diff = CommunityDiff(cid, (n or o).community_name, o, n, changed)
        if diff.changed:
            diffs.append(diff)
    return diffs
