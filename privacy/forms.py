"""Forms of personal-data protection: a stated reason, posted in the body (never the URL)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from . import rules


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="原因",
        max_length=200,
        required=False,  # an empty reason gets the rule's own message, not Django's
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "如：通知活动变更"}),
    )

    def clean_reason(self) -> str:
        try:
            return rules.clean_reason(self.cleaned_data.get("reason"))
        except ValidationError as error:
            raise ValidationError(error.messages) from None
