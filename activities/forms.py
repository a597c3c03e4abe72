"""Forms of the activities pages. They only collect and shape input; services write."""

from __future__ import annotations

from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

from checks.forms import RuleCheckedMixin
from communities.forms import ScopedModelForm
from communities.models import Community
from facilities.models import Facility
from portal.dates import today
from portal.uploads import ACCEPT_ANY, ACCEPT_IMAGES, CheckedUpload, check_upload
from teams.models import Team

from . import checks
from .models import Activity, ActivityScale, ArchiveSlot, Brand
from .services import BRAND_FIELDS, CONTENT_FIELDS
from .widgets import CommunityOptionCheckboxes, CommunityOptionSelect

if TYPE_CHECKING:
    from communities.scope import User

# Suggestions for 形式; the field stays free text because communities name forms their way.
FORM_SUGGESTIONS = (
    "文艺演出",
    "讲座",
    "培训",
    "展览",
    "比赛",
    "健身活动",
    "读书活动",
    "电影放映",
    "节庆活动",
    "志愿服务",
    "广场舞",
    "书画活动",
)


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class ArchiveFilesField(forms.FileField):
    """Several files for one 五有 slot; each is checked by content, errors name the file."""

    widget = MultipleFileInput

    def __init__(self, *, accept: str, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs.update({"accept": accept, "multiple": True})

    def clean(self, data: Any, initial: Any = None) -> list[CheckedUpload]:
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        checked: list[CheckedUpload] = []
        errors: list[str] = []
        for f in files:
            if not f:
                continue
            try:
                checked.append(check_upload(f))
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return checked


class NamedChoicesMixin:
    """Shows the bare name when only one community is on offer, else "社区 · 名称"."""

    with_community = False

    def label_from_instance(self, obj: Any) -> str:
        return str(obj) if self.with_community else obj.name


class NamedChoiceField(NamedChoicesMixin, forms.ModelChoiceField):
    pass


class NamedMultipleChoiceField(NamedChoicesMixin, forms.ModelMultipleChoiceField):
    pass


class ActivityForm(RuleCheckedMixin, ScopedModelForm):
    """The one form to record or correct an activity, files included.

    A cadre's community is fixed; street staff pick one of theirs when creating (then the
    facility/team/brand lists show every community's rows, filtered on the page by a small
    script and re-checked by the service). An existing activity never changes community.
    """

    location = NamedChoiceField(
        label="活动地点",
        queryset=Facility.objects.none(),
        required=False,
        widget=CommunityOptionSelect,
        empty_label="（不选）",
    )
    teams = NamedMultipleChoiceField(
        label="组织团队",
        queryset=Team.objects.none(),
        required=False,
        widget=CommunityOptionCheckboxes,
    )
    brand = NamedChoiceField(
        label="所属品牌",
        queryset=Brand.objects.none(),
        required=False,
        widget=CommunityOptionSelect,
        empty_label="（不属于品牌）",
    )
    partners = forms.ModelMultipleChoiceField(
        label="走亲社区",
        queryset=Community.objects.none(),
        required=False,
        widget=CommunityOptionCheckboxes,
        help_text="只能选择同一街道的其他社区。",
    )

    class Meta:
        model = Activity
        fields = [
            "community",
            "name",
            "date",
            "category",
            "form",
            "scale",
            "participants",
            "location",
            "teams",
            "brand",
            "is_exchange",
            "partners",
            "description",
            "has_plan",
            "has_arrangement",
            "has_material",
            "has_image",
            "has_summary",
        ]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "category": forms.RadioSelect,
            "form": forms.TextInput(attrs={"list": "activity-forms", "autocomplete": "off"}),
            "participants": forms.NumberInput(attrs={"min": 0, "inputmode": "numeric"}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "is_exchange": (
                "文化走亲：与同一街道的其他社区互访、联合举办的文体活动。主办社区和下面勾选的"
                "走亲社区都计入考核 A6“文化走亲”（每年不少于 2 次）。"
            ),
        }

    # Shown under the “五有”档案 heading: what the five items are and what they count for.
    rule_kind = "activity"

    five_items_help = (
        "“五有”指一项活动的五类档案：计划（活动方案）、安排（通知、分工）、资料（宣传、签到等）、"
        "影像（现场照片或视频）、总结。五类齐全的活动计入考核 A10“活动台账五有”；"
        "只有纸质档案的，勾选“纸质档案”。"
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        self.fields["category"].choices = [c for c in self.fields["category"].choices if c[0]]
        self.fields["scale"].choices = [("", "（未定）"), *ActivityScale.choices]
        if self.instance.pk:
            community_ids = [self.instance.community_id]
            self.fields["community"].queryset = Community.objects.filter(
                pk=self.instance.community_id
            )
            self.fields["community"].initial = self.instance.community_id
            self.fields["community"].disabled = True
        else:
            self.fields["date"].initial = today
            community_ids = list(self.fields["community"].queryset.values_list("pk", flat=True))
        self.fixed_community = len(community_ids) == 1
        self._limit_choices(community_ids)
        for slot in ArchiveSlot:
            accept = ACCEPT_IMAGES if slot == ArchiveSlot.IMAGE else ACCEPT_ANY
            self.fields[f"files_{slot.value}"] = ArchiveFilesField(
                label=f"{slot.label}文件", accept=accept
            )
            self.fields[Activity.archive_field(slot.value)].label = "有纸质档案"

    def _limit_choices(self, community_ids: list[int]) -> None:
        instance = self.instance if self.instance.pk else None
        many = not self.fixed_community
        # Dissolved teams and revoked brands are not offered, except those already chosen.
        current_teams = list(instance.teams.values_list("pk", flat=True)) if instance else []
        teams = Team.objects.filter(community_id__in=community_ids).filter(
            Q(dissolved_on__isnull=True) | Q(dissolved_on__gt=today()) | Q(pk__in=current_teams)
        )
        brands = Brand.objects.filter(community_id__in=community_ids).filter(
            Q(revoked_year__isnull=True) | Q(pk=getattr(instance, "brand_id", None))
        )
        streets = Community.objects.filter(pk__in=community_ids).values("street_id")
        partners = Community.objects.filter(street_id__in=streets).order_by("name")
        if self.fixed_community:
            partners = partners.exclude(pk=community_ids[0])
        for name, qs in (
            ("location", Facility.objects.filter(community_id__in=community_ids)),
            ("teams", teams),
            ("brand", brands),
        ):
            field = self.fields[name]
            field.queryset = _ordered(qs.select_related("community"))
            field.with_community = many
        self.fields["partners"].queryset = partners

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("is_exchange"):
            data["partners"] = []
        community = data.get("community") or getattr(self.instance, "community", None)
        if community is not None and not self.errors:
            self.check_rules(self.rule_subject(data, community.pk), community.street_id)
        return data

    def rule_subject(self, data: dict[str, Any], community_id: int) -> checks.ActivitySubject:
        """The input as the validation rules see it (the 五有 slots include new files)."""
        submitting = "submit" in self.data or self.instance.status in checks.VERIFICATION_LEVEL
        fields = [Activity.archive_field(s) for s in ArchiveSlot.values]
        flags = SimpleNamespace(**{f: data.get(f) for f in fields})
        return checks.ActivitySubject(
            name=data.get("name") or "",
            date=data.get("date"),
            scale=data.get("scale") or "",
            participants=data.get("participants"),
            archive=checks.archive_of(flags, self.uploads()),
            for_verification=submitting,
            same_day_names=checks.same_day_names(community_id, data.get("date"), self.instance.pk),
        )

    def uploads(self) -> dict[str, list[CheckedUpload]]:
        return {slot: self.cleaned_data.get(f"files_{slot}") or [] for slot in ArchiveSlot.values}

    def service_kwargs(self) -> dict[str, Any]:
        """Keyword arguments for services.activity_create/activity_update."""
        data = self.cleaned_data
        kwargs: dict[str, Any] = {name: data[name] for name in CONTENT_FIELDS}
        kwargs["teams"] = list(data.get("teams") or [])
        kwargs["partners"] = list(data.get("partners") or [])
        kwargs["uploads"] = self.uploads()
        return kwargs

    def slot_rows(self) -> list[dict[str, Any]]:
        """(slot, file field, paper flag) for the template's 五有 block."""
        return [
            {
                "slot": slot,
                "files": self[f"files_{slot.value}"],
                "paper": self[Activity.archive_field(slot.value)],
            }
            for slot in ArchiveSlot
        ]


def _ordered(qs: QuerySet) -> QuerySet:
    return qs.order_by("community__name", "name")


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="原因",
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        error_messages={"required": "请填写原因。"},
    )


class BrandForm(ScopedModelForm):
    class Meta:
        model = Brand
        fields = ["community", *BRAND_FIELDS]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, user=user, **kwargs)
        if self.instance.pk:
            # A brand stays with the community that was recognised for it.
            self.fields["community"].queryset = Community.objects.filter(
                pk=self.instance.community_id
            )
            self.fields["community"].disabled = True
        else:
            self.fields["recognised_year"].initial = today().year

    def service_kwargs(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in BRAND_FIELDS}
