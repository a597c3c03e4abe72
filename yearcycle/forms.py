from django import forms

from reporting.models import ReportingCalendar


class CalendarForm(forms.ModelForm):
    class Meta:
        model = ReportingCalendar
        fields = ["cadence", "deadline_day", "require_approval_to_finalise"]
