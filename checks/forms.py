"""The entry check every record form runs, and the form of one rule's setting."""

from __future__ import annotations

from typing import Any

from django import forms

from portal.dates import today

from .registry import SEVERITY_LABELS, Finding, evaluate, split
from .selectors import settings_for

CONFIRM = "confirm_warnings"
CONFIRM_LABEL = "已核对，仍然保存"


class RuleCheckedMixin:
    """For a record form: `check_rules` at the end of clean() runs the street's enabled rules.

    An error becomes a form error (nothing is saved). Warnings add the checkbox
    “已核对，仍然保存” carrying them as its errors; ticked, the form saves.
    """

    rule_kind = ""

    @property
    def confirm_field(self) -> forms.BoundField | None:
        """The confirming checkbox, once warnings asked for it (for hand-made templates)."""
        form: forms.BaseForm = self  # type: ignore[assignment]
        return form[CONFIRM] if CONFIRM in form.fields else None

    def check_rules(self, subject: Any, street_id: int | None) -> list[Finding]:
        form: forms.BaseForm = self  # type: ignore[assignment]
        if form.errors or street_id is None:
            return []
        findings = evaluate(self.rule_kind, subject, settings_for(street_id), today())
        errors, warnings = split(findings)
        for finding in errors:
            form.add_error(None, finding.message)
        if errors or not warnings or form.data.get(CONFIRM):
            return findings
        form.fields[CONFIRM] = forms.BooleanField(label=CONFIRM_LABEL, required=False)
        form.add_error(
            None,
            f"有{len(warnings)}条提示需要核对：见“{CONFIRM_LABEL}”处，核对无误请勾选后再保存。",
        )
        form.add_error(
            CONFIRM,
            [f"提示：{w.message}" for w in warnings]
            + [f"请核对以上提示；确认无误请勾选“{CONFIRM_LABEL}”后再保存。"],
        )
        return findings


class RuleSettingForm(forms.Form):
    enabled = forms.BooleanField(label="启用", required=False)
    severity = forms.ChoiceField(
        label="级别", choices=list(SEVERITY_LABELS.items()), widget=forms.RadioSelect
    )
    low = forms.DecimalField(label="下限", required=False, min_value=0, max_digits=12)
    high = forms.DecimalField(label="上限", required=False, min_value=0, max_digits=12)

    def __init__(self, *args: Any, rule: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", rule.code)
        super().__init__(*args, **kwargs)
        self.rule = rule
        if rule.has_parameters:
            self.fields["low"].label = rule.low_label
            self.fields["high"].label = rule.high_label
        else:
            del self.fields["low"], self.fields["high"]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        low, high = data.get("low"), data.get("high")
        if low is not None and high is not None and low > high:
            self.add_error("high", f"{self.rule.high_label}不能小于{self.rule.low_label}。")
        return data
