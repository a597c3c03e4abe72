"""Reads of the validation rules: a street's settings, the findings of a period."""

from __future__ import annotations

import datetime as dt

from .models import ValidationRule
from .registry import COLLECTORS, RULES, Finding, Setting, evaluate


def settings_for(street_id: int) -> dict[str, Setting]:
    """Every registered rule's setting for the street: its stored row or the default. One query."""
    stored = {
        r.code: Setting(r.enabled, r.severity, r.low, r.high)
        for r in ValidationRule.objects.filter(street_id=street_id)
    }
    return {code: stored.get(code, rule.default) for code, rule in RULES.items()}


def period_findings(
    street_id: int, community_id: int, start: dt.date, end: dt.date, today: dt.date
) -> list[Finding]:
    """Every finding of the enabled rules on a community's records of [start, end].

    One query for the settings plus each collector's few, whatever the number of records."""
    settings = settings_for(street_id)
    findings: list[Finding] = []
    for kind, collect in COLLECTORS.items():
        for record, url, subject in collect(community_id, start, end):
            findings.extend(evaluate(kind, subject, settings, today, record=record, url=url))
    return sorted(findings, key=lambda f: not f.is_error)
