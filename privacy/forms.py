"""Forms of personal-data protection: a stated reason, posted in the body (never the URL)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from . import rules


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="原因",
        max_length=200,
        required=False,  # an empty reason gets the rule's own message, not Django's
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args: Any, example: str = "通知活动变更", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].widget.attrs["placeholder"] = f"如：{example}"

    def clean_reason(self) -> str:
        try:
            return rules.clean_reason(self.cleaned_data.get("reason"))
        except ValidationError as error:
            raise ValidationError(error.messages) from None
