"""Forms of the assessment pages. They only parse input; the services validate and write."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils import timezone

from communities import scope
from communities.models import AwardLevel
from portal.uploads import ACCEPT_ANY, check_upload
from teams.models import InstructorLevel

from . import rules
from .models import Indicator, LetterGrade, Scheme

if TYPE_CHECKING:
    from communities.scope import User

POINTS = {"max_digits": 6, "decimal_places": 2, "min_value": Decimal("0")}


def _date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RunForm(forms.Form):
    street = forms.ModelChoiceField(label="街道", queryset=None, empty_label=None)
    year = forms.IntegerField(label="考核年度", min_value=2000, max_value=2100)
    as_of = forms.DateField(
        label="截至日期",
        required=False,
        widget=_date_widget(),
        help_text="留空为年末（12月31日）；年度未结束时可填今天，得到临时结果。",
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["street"].queryset = scope.visible_streets(user)
        self.fields["year"].initial = timezone.localdate().year


class YearForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)


class NewSchemeForm(YearForm):
    street = forms.ModelChoiceField(label="街道", queryset=None, empty_label=None)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["street"].queryset = scope.visible_streets(user)


class SelfScoreForm(forms.Form):
    self_score = forms.DecimalField(label="自评分", **POINTS)
    self_note = forms.CharField(
        label="自评说明", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    evidence = forms.FileField(
        label="佐证材料",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ANY}),
    )

    def clean_evidence(self) -> Any:
        f = self.cleaned_data.get("evidence")
        return check_upload(f) if f else None


class AssessForm(forms.Form):
    assessor_score = forms.DecimalField(label="考评分", required=False, **POINTS)
    letter_grade = forms.ChoiceField(
        label="考评等级", required=False, choices=[("", "—"), *LetterGrade.choices]
    )
    assessor_note = forms.CharField(
        label="考评意见", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, letters: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A letter-graded item takes a letter, any other a number: show only the one that counts.
        del self.fields["assessor_score" if letters else "letter_grade"]


def _text(d: Decimal) -> str:
    return format(d.normalize(), "f")


class IndicatorForm(forms.Form):
    """Name, points and the rule's parameters as typed fields (never raw JSON)."""

    name = forms.CharField(label="指标名称", max_length=100)
    points = forms.DecimalField(
        label="分值", max_digits=6, decimal_places=2, min_value=Decimal("0.01")
    )

    def __init__(self, *args: Any, indicator: Indicator, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        params = indicator.params or {}
        self.fields["name"].initial = indicator.name
        self.fields["points"].initial = indicator.points
        rule = rules.RULES.get(indicator.rule)
        for p in rule.params if rule else ():
            if p.kind == "integer":
                field: forms.Field = forms.IntegerField(label=p.label, min_value=1)
            else:
                field = forms.DecimalField(
                    label=p.label, max_digits=12, decimal_places=6, min_value=Decimal("0")
                )
            field.initial = params.get(p.name)
            self.fields[f"param_{p.name}"] = field
        for n, item in enumerate(params.get("items", [])):
            self.fields[f"item_{n}"] = forms.DecimalField(
                label=f"分项分值：{item['label']}", initial=item.get("points"), **POINTS
            )
        if "min_level" in params:
            self.fields["param_min_level"] = forms.ChoiceField(
                label="最低等级", choices=InstructorLevel.choices, initial=params["min_level"]
            )
        for letter, percent in (params.get("letters") or {}).items():
            self.fields[f"letter_{letter}"] = forms.DecimalField(
                label=f"等级{letter}得分比例(%)",
                initial=percent,
                max_digits=5,
                decimal_places=2,
                min_value=Decimal("0"),
                max_value=Decimal("100"),
            )

    def params(self) -> dict[str, Any]:
        """The indicator's params with the edited values (other keys kept as they were)."""
        params = dict(self.indicator.params or {})
        data = self.cleaned_data
        for key, value in data.items():
            if key.startswith("param_"):
                name = key.removeprefix("param_")
                params[name] = value if isinstance(value, int | str) else _text(value)
        if "items" in params:
            params["items"] = [
                {**item, "points": _text(data[f"item_{n}"])}
                for n, item in enumerate(params["items"])
            ]
        if "letters" in params:
            params["letters"] = {k: _text(data[f"letter_{k}"]) for k in params["letters"]}
        return params


class ManualIndicatorForm(forms.Form):
    card = forms.ModelChoiceField(label="记分卡", queryset=None, empty_label=None)
    code = forms.CharField(
        label="指标代码", max_length=10, help_text="例如 A12、C1；同一方案内不能重复。"
    )
    name = forms.CharField(label="指标名称", max_length=100)
    points = forms.DecimalField(
        label="分值", max_digits=6, decimal_places=2, min_value=Decimal("0.01")
    )
    letter_grades = forms.BooleanField(
        label="按等级 A/B/C/D 评分（100%/66%/33%/0%）", required=False
    )

    def __init__(self, *args: Any, scheme: Scheme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["card"].queryset = scheme.cards.all()


class BandForm(forms.Form):
    name = forms.CharField(label="等次", max_length=20, required=False)
    min_total = forms.DecimalField(
        label="最低总分", max_digits=7, decimal_places=2, min_value=Decimal("0"), required=False
    )


BandFormSet = forms.formset_factory(BandForm, extra=2)


class SchemeSettingsForm(forms.Form):
    bonus_cap = forms.DecimalField(label="加分上限", **POINTS)
    cadre_basic_years = forms.IntegerField(
        label="干部任职满几年须持证（期限一）", min_value=0, max_value=50
    )
    cadre_basic_level = forms.ChoiceField(
        label="期限一须达到的等级", choices=InstructorLevel.choices
    )
    cadre_senior_years = forms.IntegerField(
        label="干部任职满几年须持高等级证（期限二）", min_value=0, max_value=50
    )
    cadre_senior_level = forms.ChoiceField(
        label="期限二须达到的等级", choices=InstructorLevel.choices
    )

    def __init__(self, *args: Any, scheme: Scheme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        bonus = {b.level: b.points for b in scheme.bonus_levels.all()}
        for level, label in AwardLevel.choices:
            self.fields[f"bonus_{level}"] = forms.DecimalField(
                label=f"{label}获奖每项加分", initial=bonus.get(level, Decimal(0)), **POINTS
            )
        for name in (
            "bonus_cap",
            "cadre_basic_years",
            "cadre_basic_level",
            "cadre_senior_years",
            "cadre_senior_level",
        ):
            self.fields[name].initial = getattr(scheme, name)

    def bonus_levels(self) -> dict[str, Decimal]:
        return {level: self.cleaned_data[f"bonus_{level}"] for level in AwardLevel.values}
