"""Forms of the service pages. They only parse input; the services validate and write."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django import forms
from django.http import QueryDict

from .models import ServiceRole
from .services import Mark


def parse_marks(data: QueryDict) -> tuple[list[Mark], list[str]]:
    """The ticked rows of the mark form: each row's own hours, or the default for all."""
    errors: list[str] = []
    default = _hours(data.get("default_hours", ""))
    marks = []
    for raw in data.getlist("person"):
        if not raw.isdigit():
            errors.append("所选人员无效。")
            continue
        own = data.get(f"hours-{raw}", "").strip()
        hours = _hours(own) if own else default
        if hours is None:
            errors.append("请为每位勾选的人员填写服务时长（或填写统一时长）。")
            continue
        role = data.get(f"role-{raw}", ServiceRole.VOLUNTEER)
        marks.append(Mark(int(raw), role, hours))
    return marks, sorted(set(errors))


def _hours(text: str) -> Decimal | None:
    try:
        value = Decimal(text.strip())
    except (InvalidOperation, ValueError):
        return None
    return value.quantize(Decimal("0.1")) if value.is_finite() else None


class MakeupForm(forms.Form):
    date = forms.DateField(label="服务日期", widget=forms.DateInput(attrs={"type": "date"}))
    hours = forms.DecimalField(label="时长(小时)", max_digits=4, decimal_places=1, min_value=0.1)
    content = forms.CharField(label="服务内容", max_length=200)
    reason = forms.CharField(
        label="补录原因",
        max_length=200,
        error_messages={"required": "补录须填写原因（如：活动时未登记、系统上线前的服务）。"},
    )


class DecideForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", "批准"), ("refuse", "不批准")])
    reason = forms.CharField(label="不批准原因", max_length=200, required=False)


class PeriodForm(forms.Form):
    start = forms.DateField(label="起始日期", widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label="截止日期", widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict:
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError("起始日期不能晚于截止日期。")
        return data


def year_period(year: int, today: dt.date) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), min(dt.date(year, 12, 31), today)
