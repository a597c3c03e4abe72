"""The validation rules over a community's period: the report page (with its Excel export)
and the check the submit page runs (errors block, warnings need a confirming tick)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from checks.registry import Finding, split
from checks.selectors import period_findings
from communities import scope
from communities.models import Community
from portal.dates import today
from portal.export import xlsx_response
from reporting import rules
from reporting.services import calendar_for

CONFIRM = "confirm_warnings"
CONFIRM_LABEL = "已核对以上提示，仍然报送"


def findings_of(community: Community, period: rules.Period) -> list[Finding]:
    return period_findings(community.street_id, community.pk, period.start, period.end, today())


def refusal(findings: list[Finding], confirmed: bool) -> str | None:
    """Why a submission with these findings may not go ahead, or None when it may."""
    errors, warnings = split(findings)
    if errors:
        return f"本期有{len(errors)}项错误，须先改正才能报送（见下方校验结果）。"
    if warnings and not confirmed:
        return f"本期有{len(warnings)}条提示，请核对后勾选“{CONFIRM_LABEL}”再报送。"
    return None


def summary_lines(findings: list[Finding]) -> list[str]:
    """The warnings a submission carries in its summary, for the street's checker."""
    return [f"{f.record}：{f.message}" for f in findings if not f.is_error]


@login_required
def report(request: HttpRequest, community: int, year: int, number: int) -> HttpResponse:
    """Every finding of the enabled rules on one community's period."""
    target = (
        scope.visible_communities(request.user).select_related("street").filter(pk=community)
    ).first()
    if target is None:
        raise Http404("没有找到该社区。")
    cadence = calendar_for(target.street_id).cadence
    if not 1 <= number <= rules.periods_per_year(cadence) or not 2000 <= year <= 2100:
        raise Http404("没有该期间。")
    period = rules.Period(year, number, cadence)
    findings = findings_of(target, period)
    if request.GET.get("export") == "xlsx":
        rows = [["级别", "规则", "记录", "问题"]]
        rows += [[f.severity_label, f.rule, f.record, f.message] for f in findings]
        return xlsx_response(rows, title=f"校验结果_{target.name}_{period.label}", sheet="校验结果")
    errors, warnings = split(findings)
    return render(
        request,
        "yearcycle/validation.html",
        {
            "community": target,
            "period": period,
            "findings": findings,
            "errors": errors,
            "warnings": warnings,
            "may_submit": scope.can_edit_community(request.user, target.pk),
        },
    )
