"""The catalogue of validation rules: codes, what they check, their defaults.

Each record app registers its own rules (activities/checks.py, teams/checks.py,
facilities/checks.py, imported by the app's AppConfig.ready), so imports point down: this
module knows no record app. A rule's check is a plain function of a plain subject and the
street's setting, returning a Chinese message or None; it is tested without a database.

A collector, also registered by the record app, reads one community's records of a period
(a few queries for all of them) and hands back (label, url, subject) triples for the
submission check and the validation report.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

ERROR = "error"
WARNING = "warning"
SEVERITY_LABELS = {ERROR: "错误（阻止保存或报送）", WARNING: "提示（确认后可保存或报送）"}


@dataclass(frozen=True)
class Setting:
    """A street's setting of one rule (the stored row, or the default when there is none)."""

    enabled: bool
    severity: str
    low: Decimal | None = None
    high: Decimal | None = None


Check = Callable[[Any, Setting, dt.date], str | None]


@dataclass(frozen=True)
class Rule:
    code: str
    kind: str  # "activity", "team", "facility": which records it checks
    label: str
    description: str
    check: Check
    severity: str = WARNING
    enabled: bool = True
    low_label: str = ""
    high_label: str = ""
    low: Decimal | None = None
    high: Decimal | None = None

    @property
    def default(self) -> Setting:
        return Setting(self.enabled, self.severity, self.low, self.high)

    @property
    def has_parameters(self) -> bool:
        return bool(self.low_label or self.high_label)


@dataclass(frozen=True)
class Finding:
    code: str
    rule: str  # the rule's label
    severity: str
    message: str
    record: str = ""  # what was checked, e.g. "活动：2026-03-08 三八节游园"
    url: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity == ERROR

    @property
    def severity_label(self) -> str:
        return "错误" if self.is_error else "提示"


Collector = Callable[[int, dt.date, dt.date], Iterable[tuple[str, str, Any]]]

RULES: dict[str, Rule] = {}
COLLECTORS: dict[str, Collector] = {}
KIND_LABELS = {"activity": "活动", "team": "团队", "facility": "设施"}


def number(value: Decimal) -> str:
    """A parameter as people write it: 50000, 0.5 (not 50000.00 or 5E+4)."""
    return f"{value.normalize():f}"


def register(*rules: Rule) -> None:
    for rule in rules:
        RULES[rule.code] = rule


def register_collector(kind: str, collector: Collector) -> None:
    COLLECTORS[kind] = collector


def rules_of(kind: str) -> list[Rule]:
    return [r for r in RULES.values() if r.kind == kind]


def evaluate(
    kind: str,
    subject: Any,
    settings: dict[str, Setting],
    today: dt.date,
    *,
    record: str = "",
    url: str = "",
) -> list[Finding]:
    """The findings of every enabled rule of `kind` on `subject`, errors first."""
    found = []
    for rule in rules_of(kind):
        setting = settings.get(rule.code, rule.default)
        if not setting.enabled:
            continue
        message = rule.check(subject, setting, today)
        if message:
            found.append(Finding(rule.code, rule.label, setting.severity, message, record, url))
    return sorted(found, key=lambda f: not f.is_error)


def split(findings: Iterable[Finding]) -> tuple[list[Finding], list[Finding]]:
    """(errors, warnings)."""
    findings = list(findings)
    return [f for f in findings if f.is_error], [f for f in findings if not f.is_error]
