"""Forms of the 报表中心. Choices come from communities.scope, so a form never offers a
street or run outside the user's scope (and a posted one outside it is invalid)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.utils import timezone

from assessments import selectors
from assessments.models import Run
from communities import scope

if TYPE_CHECKING:
    from communities.scope import User


class UploadForm(forms.Form):
    file = forms.FileField(
        label="标准数据工作簿（.xlsx）",
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    def clean_file(self) -> Any:
        file = self.cleaned_data["file"]
        limit = settings.WORKBOOK_MAX_SIZE
        if file.size > limit:
            raise forms.ValidationError(f"文件超过 {limit / (1024 * 1024):g} MB，拒绝导入")
        return file


def _year_field() -> forms.IntegerField:
    return forms.IntegerField(label="年度", min_value=2000, max_value=2100)


class _StreetYearForm(forms.Form):
    street = forms.ModelChoiceField(label="街道", queryset=None, empty_label=None)
    year = _year_field()

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["street"].queryset = scope.visible_streets(user).order_by("name")
        self.fields["year"].initial = timezone.localdate().year

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        if year > timezone.localdate().year:
            raise forms.ValidationError("年度不能晚于今年。")
        return year


class AnnualForm(_StreetYearForm):
    """One street; a superuser may leave it at 全部街道."""

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, user=user, prefix="annual", **kwargs)
        if user.is_superuser:
            street = self.fields["street"]
            street.required = False
            street.empty_label = "全部街道"


class YearbookForm(_StreetYearForm):
    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, user=user, prefix="yearbook", **kwargs)


class RunChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, run: Run) -> str:
        return f"{run.street.name} {run.year}年 第{run.version}版（{run.get_status_display()}）"


class NoticesForm(forms.Form):
    run = RunChoiceField(label="考核版本", queryset=None, empty_label=None)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, prefix="notices", **kwargs)
        self.fields["run"].queryset = selectors.runs_for(user)
