"""Forms of 队伍建设; saving goes through teams.services."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError

from checks.forms import RuleCheckedMixin
from communities import scope
from communities.forms import ScopedModelForm
from portal.privacy import mask_phone

from .checks import TeamSubject
from .models import Cadre, Certificate, Gender, Person, Team, TeamHonour, Volunteer
from .services import PersonData

if TYPE_CHECKING:
    from communities.scope import User

PHONE = re.compile(r"^[0-9+()\- ]{5,30}$")
GENDER_CHOICES = [("", "—"), *Gender.choices]


def date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def check_phone(value: str) -> str:
    value = (value or "").strip()
    if value and not PHONE.match(value):
        raise ValidationError("请输入正确的联系电话（数字，可含 - 和空格）。")
    return value


class MaskedPhoneMixin:
    """PIPL: an edit form shows the stored phone masked (138****5678) like every screen;
    sent back unchanged, the stored number is kept. Only a newly typed number is checked."""

    PHONE_HELP = "为保护个人信息，已隐去中间四位；不修改则保留原号码。"

    def mask_phone_field(self) -> None:
        phone = getattr(self.instance, "phone", "")
        if self.instance.pk and phone:
            self.initial["phone"] = mask_phone(phone)
            self.fields["phone"].help_text = self.PHONE_HELP

    def clean_phone(self) -> str:
        value = (self.cleaned_data.get("phone") or "").strip()
        stored = self.instance.phone if self.instance.pk else ""
        if stored and value == mask_phone(stored):
            return stored
        return check_phone(value)


def check_not_before(form: forms.Form, start: str, end: str, message: str) -> None:
    first, last = form.cleaned_data.get(start), form.cleaned_data.get(end)
    if first and last and last < first:
        form.add_error(end, message)


class PersonFieldsForm(forms.Form):
    """Who: found by 人员编号 in the street, created with these details when new."""

    person_code = forms.CharField(label="人员编号", max_length=50)
    person_name = forms.CharField(
        label="姓名",
        max_length=50,
        required=False,
        help_text="已登记的人员可只填人员编号；新人员须填姓名。",
    )
    person_gender = forms.ChoiceField(label="性别", choices=GENDER_CHOICES, required=False)
    person_birth_year = forms.IntegerField(
        label="出生年份", required=False, min_value=1900, max_value=2100
    )
    person_phone = forms.CharField(label="联系电话", max_length=30, required=False)

    PERSON_FIELDS = (
        "person_code",
        "person_name",
        "person_gender",
        "person_birth_year",
        "person_phone",
    )

    def clean_person_code(self) -> str:
        code = self.cleaned_data["person_code"].strip()
        if not code:
            raise ValidationError("请填写人员编号。")
        return code

    def clean_person_phone(self) -> str:
        return check_phone(self.cleaned_data.get("person_phone", ""))

    def person_data(self) -> PersonData:
        d = self.cleaned_data
        return PersonData(
            code=d["person_code"],
            name=(d.get("person_name") or "").strip(),
            gender=d.get("person_gender") or "",
            birth_year=d.get("person_birth_year"),
            phone=d.get("person_phone") or "",
        )


class PersonRefModelForm(PersonFieldsForm, ScopedModelForm):
    """A record about a person: the person is chosen when creating and fixed afterwards."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            for name in self.PERSON_FIELDS:
                del self.fields[name]
        self.order_fields(["community", *self.PERSON_FIELDS])


class PersonForm(MaskedPhoneMixin, forms.ModelForm):
    gender = forms.ChoiceField(label="性别", choices=GENDER_CHOICES, required=False)

    class Meta:
        model = Person
        fields = ("code", "name", "gender", "birth_year", "phone")

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.mask_phone_field()
        if not self.instance.pk:
            streets = list(scope.visible_streets(user))
            if len(streets) == 1:
                self.instance.street = streets[0]
            else:  # superusers see several streets and must choose
                self.fields["street"] = forms.ModelChoiceField(
                    label="街道", queryset=scope.visible_streets(user), empty_label="请选择街道"
                )
                self.order_fields(["street", "code"])

    def clean_code(self) -> str:
        return self.cleaned_data["code"].strip()

    def clean_birth_year(self) -> int | None:
        year = self.cleaned_data.get("birth_year")
        if year is not None and not 1900 <= year <= 2100:
            raise ValidationError("出生年份须是四位数年份。")
        return year

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("street"):
            self.instance.street = data["street"]
        code = data.get("code")
        street_id = self.instance.street_id
        if code and street_id:
            clash = Person.objects.filter(street_id=street_id, code=code).exclude(
                pk=self.instance.pk
            )
            if clash.exists():
                self.add_error("code", "该人员编号已被使用。")
        return data


class TeamForm(RuleCheckedMixin, MaskedPhoneMixin, ScopedModelForm):
    rule_kind = "team"

    class Meta:
        model = Team
        fields = (
            "community",
            "name",
            "category",
            "project",
            "leader",
            "phone",
            "founded_on",
            "dissolved_on",
        )
        widgets = {"founded_on": date_input(), "dissolved_on": date_input()}
        help_texts = {"dissolved_on": "团队解散后填写；解散的团队保留在记录中。"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.mask_phone_field()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        check_not_before(self, "founded_on", "dissolved_on", "解散日期不能早于成立日期。")
        community = data.get("community") or getattr(self.instance, "community", None)
        if community is not None:
            # A new team's members are added after it is saved: only an existing one is checked.
            members = self.instance.memberships.count() if self.instance.pk else None
            dissolved = bool(data.get("dissolved_on"))
            subject = TeamSubject(data.get("name") or "", members, dissolved)
            self.check_rules(subject, community.street_id)
        return data


class MemberAddForm(PersonFieldsForm):
    joined_on = forms.DateField(label="加入日期", required=False, widget=date_input())


class HonourForm(forms.ModelForm):
    class Meta:
        model = TeamHonour
        fields = ("year", "title", "awarded_by")
        widgets = {
            "year": forms.NumberInput(attrs={"placeholder": "如 2024"}),
            "title": forms.TextInput(attrs={"placeholder": f"如：{TeamHonour.EXCELLENT}"}),
        }

    def clean_year(self) -> int:
        year = self.cleaned_data["year"]
        if not 1990 <= year <= 2100:
            raise ValidationError("年度须是 1990–2100 之间的四位数年份。")
        return year

    def clean_title(self) -> str:
        return self.cleaned_data["title"].strip()


class VolunteerForm(PersonRefModelForm):
    class Meta:
        model = Volunteer
        fields = ("community", "registered_on", "left_on")
        widgets = {"registered_on": date_input(), "left_on": date_input()}
        help_texts = {"registered_on": "未填写注册日期的志愿者不计入在册人数。"}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        check_not_before(self, "registered_on", "left_on", "退出日期不能早于注册日期。")
        return data


class CertificateForm(PersonRefModelForm):
    class Meta:
        model = Certificate
        fields = ("community", "level", "number", "sport", "issued_on", "expires_on")
        widgets = {"issued_on": date_input(), "expires_on": date_input()}
        help_texts = {
            "issued_on": "未填写发证日期的证书视为无效。",
            "expires_on": "长期有效可不填。",
        }

    def clean_number(self) -> str:
        return self.cleaned_data["number"].strip()

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        check_not_before(self, "issued_on", "expires_on", "失效日期不能早于发证日期。")
        return data


class CadreForm(PersonRefModelForm):
    class Meta:
        model = Cadre
        fields = ("community", "post", "appointed_on", "left_on")
        widgets = {"appointed_on": date_input(), "left_on": date_input()}

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        check_not_before(self, "appointed_on", "left_on", "离任日期不能早于任职日期。")
        return data


class _MaskedAdminForm(MaskedPhoneMixin, forms.ModelForm):
    """The Django admin's change form of a record with a phone: masked as on every screen."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.mask_phone_field()


class PersonAdminForm(_MaskedAdminForm):
    class Meta:
        model = Person
        fields = ("street", "code", "name", "gender", "birth_year", "phone")


class TeamAdminForm(_MaskedAdminForm):
    class Meta:
        model = Team
        fields = (
            "community",
            "name",
            "category",
            "project",
            "leader",
            "phone",
            "founded_on",
            "dissolved_on",
        )
