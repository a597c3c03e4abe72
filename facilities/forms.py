"""Forms of 文体设施 and 提升工程; saving goes through facilities.services."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

from checks.forms import RuleCheckedMixin
from communities.forms import ScopedModelForm
from portal.uploads import check_upload

from .checks import FacilitySubject
from .models import Facility, Ownership, ProjectStatus, UpgradeProject

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
IMAGE_TYPES = {"image/jpeg": "JPG", "image/png": "PNG", "image/webp": "WEBP"}
AGREEMENT_TYPES = {"application/pdf": "PDF", **IMAGE_TYPES}


def date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def validate_upload(
    upload: Any, *, allowed: dict[str, str], max_bytes: int = MAX_UPLOAD_BYTES
) -> None:
    """Judge a file by its bytes (not its name): the type must be allowed and the size small.

    The content goes through the archive's checks (pixel bombs, polyglots, renamed
    executables), and the stored name is random: the user's file name never becomes a path.
    """
    if not isinstance(upload, UploadedFile):
        return  # the file already stored on the record, unchanged
    if upload.size > max_bytes:
        raise ValidationError(f"文件不能超过 {max_bytes // (1024 * 1024)} MB。")
    wrong_type = f"文件格式不支持，请上传 {'、'.join(dict.fromkeys(allowed.values()))} 文件。"
    try:
        checked = check_upload(upload)
    except ValidationError as error:
        if error.code == "type":
            raise ValidationError(wrong_type) from None
        raise
    if checked.content_type not in allowed:
        raise ValidationError(wrong_type)
    upload.name = f"{uuid.uuid4().hex}{checked.extension}"


class FacilityFilesMixin:
    """Photo and agreement checks, shared by the portal's form and the admin's."""

    cleaned_data: dict[str, Any]

    def clean_photo(self) -> Any:
        photo = self.cleaned_data.get("photo")
        validate_upload(photo, allowed=IMAGE_TYPES)
        return photo

    def clean_agreement(self) -> Any:
        agreement = self.cleaned_data.get("agreement")
        validate_upload(agreement, allowed=AGREEMENT_TYPES)
        return agreement


class FacilityAdminForm(FacilityFilesMixin, forms.ModelForm):
    """The admin is a second door to the same files: the same checks apply (the admin's
    fieldsets add the other fields)."""

    class Meta:
        model = Facility
        fields = ("photo", "agreement")


class FacilityForm(RuleCheckedMixin, FacilityFilesMixin, ScopedModelForm):
    rule_kind = "facility"

    class Meta:
        model = Facility
        fields = (
            "community",
            "name",
            "kind",
            "area",
            "sets",
            "status",
            "opened_on",
            "ownership",
            "partner_unit",
            "agreement",
            "free_open",
            "photo",
            "note",
        )
        widgets = {"opened_on": date_input(), "note": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "photo": "JPG、PNG 或 WEBP 图片，不超过 5 MB。",
            "agreement": "PDF 或图片，不超过 5 MB；共建共享设施请上传共建协议。",
            "sets": "健身路径等按套计的设施填写。",
        }

    def clean_area(self) -> Any:
        area = self.cleaned_data.get("area")
        if area is not None and area < 0:
            raise ValidationError("面积不能为负数。")
        return area

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if (
            data.get("ownership") == Ownership.SHARED
            and not (data.get("partner_unit") or "").strip()
        ):
            self.add_error("partner_unit", "共建共享的设施须填写共建单位。")
        community = data.get("community") or getattr(self.instance, "community", None)
        if community is not None:
            subject = FacilitySubject(data.get("name") or "", data.get("area"))
            self.check_rules(subject, community.street_id)
        return data


class UpgradeProjectForm(ScopedModelForm):
    class Meta:
        model = UpgradeProject
        fields = ("community", "name", "planned_year", "status", "completed_on", "investment")
        widgets = {"completed_on": date_input()}

    def clean_investment(self) -> Any:
        investment = self.cleaned_data.get("investment")
        if investment is not None and investment < 0:
            raise ValidationError("投资不能为负数。")
        return investment

    def clean_planned_year(self) -> int | None:
        year = self.cleaned_data.get("planned_year")
        if year is not None and not 1990 <= year <= 2100:
            raise ValidationError("计划年度须是 1990–2100 之间的四位数年份。")
        return year

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        status, completed_on = data.get("status"), data.get("completed_on")
        if status == ProjectStatus.DONE and not completed_on:
            self.add_error("completed_on", "已完成的工程须填写完成日期。")
        if status != ProjectStatus.DONE and completed_on:
            self.add_error("completed_on", "工程尚未完成，不能填写完成日期。")
        return data
