"""Forms of 点单配送: providers, products, quotas, orders and each step of an order."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from activities.forms import ArchiveFilesField
from communities.models import Community
from portal.uploads import CheckedUpload, check_upload

from . import rules
from .models import Product, Provider
from .services import PRODUCT_FIELDS, PROVIDER_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class ProviderForm(forms.ModelForm):
    class Meta:
        model = Provider
        fields = list(PROVIDER_FIELDS)
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, user: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)

    def service_kwargs(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in PROVIDER_FIELDS}


class ProductForm(forms.ModelForm):
    photo_upload = forms.FileField(
        label="产品图片",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/*"}),
    )

    class Meta:
        model = Product
        fields = list(PRODUCT_FIELDS)
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, providers: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = providers
        self.fields["provider"].empty_label = None if providers.exists() else "请先登记配送单位"

    def clean_photo_upload(self) -> CheckedUpload | None:
        upload = self.cleaned_data.get("photo_upload")
        if not upload:
            return None
        checked = check_upload(upload)
        if not checked.content_type.startswith("image/"):
            raise ValidationError("产品图片只接受 JPG、PNG 图片。")
        return checked

    def service_kwargs(self) -> dict[str, Any]:
        values = {name: self.cleaned_data[name] for name in PRODUCT_FIELDS}
        values["photo"] = self.cleaned_data.get("photo_upload")
        return values


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="下架原因", max_length=200, error_messages={"required": "请填写下架原因。"}
    )


class QuotaForm(forms.Form):
    """The bulk form: a rule and a total, or a number per community (人工设定)."""

    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    rule = forms.ChoiceField(
        label="分配方式", choices=list(rules.QuotaRule.LABELS.items()), widget=forms.RadioSelect
    )
    total = forms.IntegerField(label="总次数", min_value=0, required=False)
    budget_per_order = forms.DecimalField(
        label="每次预算(元)",
        min_value=0,
        decimal_places=2,
        required=False,
        help_text="填写后，各社区预算 = 额度次数 × 每次预算；不填则不设预算。",
    )

    def __init__(
        self,
        *args: Any,
        communities: list[Community],
        initial_orders: dict[int, int],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.communities = communities
        for c in communities:
            self.fields[f"c{c.pk}"] = forms.IntegerField(
                label=c.name, min_value=0, required=False, initial=initial_orders.get(c.pk)
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("rule") == rules.QuotaRule.MANUAL:
            data["manual"] = {c.pk: data.get(f"c{c.pk}") or 0 for c in self.communities}
        elif data.get("total") is None and "rule" in data:
            self.add_error("total", "按规则分配时请填写总次数。")
        return data

    def community_fields(self) -> list[Any]:
        return [self[f"c{c.pk}"] for c in self.communities]


class OrderForm(forms.Form):
    preferred_date = forms.DateField(label="希望日期", widget=DATE)
    preferred_start = forms.TimeField(label="希望开始时间", required=False, widget=TIME)
    alternative_date = forms.DateField(label="备选日期", required=False, widget=DATE)
    note = forms.CharField(
        label="备注",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="如场地、对象、需要配合的事项。",
    )


class ScheduleForm(forms.Form):
    date = forms.DateField(label="配送日期", widget=DATE)
    start = forms.TimeField(label="开始时间", required=False, widget=TIME)
    reason = forms.CharField(
        label="改期原因", max_length=1000, error_messages={"required": "请填写改期原因。"}
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="原因",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "请填写原因。"},
    )


class DeliveryForm(forms.Form):
    happened = forms.TypedChoiceField(
        label="配送是否进行",
        choices=[("1", "已进行"), ("0", "未进行")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        initial="1",
    )
    audience = forms.IntegerField(label="受益人数", min_value=1, required=False)
    photos = ArchiveFilesField(label="现场照片", accept="image/*")
    note = forms.CharField(
        label="配送情况", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    reason = forms.CharField(label="未进行的原因", required=False, max_length=1000)


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        label="评分",
        choices=[(str(n), f"{n} 分") for n in range(5, 0, -1)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label="评价", required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


def month_choices() -> list[tuple[str, str]]:
    return [("", "全部月份")] + [(str(m), f"{m}月") for m in range(1, 13)]


def parse_year(value: str | None, default: int) -> int:
    try:
        year = int(value or default)
    except ValueError:
        return default
    return year if 2000 <= year <= 2100 else default


def parse_month(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and 1 <= int(value) <= 12 else None


def today_year() -> int:
    from django.utils import timezone

    return timezone.localdate().year
