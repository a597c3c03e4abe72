"""Admin for schemes (editable data), and read-only views of runs and manual scores.

Runs and manual scores are written by assessments/services.py only (a finalised run never
changes), so the admin shows them without add/change/delete.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from communities.admin_scope import ReadOnlyInline, ScopedAdminMixin, ScopedInlineMixin

from . import metrics, rules
from .models import (
    BonusLevel,
    Card,
    CommunityResult,
    GradeBand,
    Indicator,
    ManualScore,
    Run,
    Scheme,
)

INDICATOR_FIELDS = (
    "order",
    "code",
    "name",
    "card",
    "points",
    "metric",
    "rule",
    "params",
    "is_manual",
    "letter_grades",
)


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = INDICATOR_FIELDS

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("is_manual") or data.get("points") is None:
            return data
        if data.get("metric") not in metrics.METRICS:
            self.add_error("metric", "统计口径不存在，可选：" + "、".join(metrics.METRICS))
        errors = rules.check_params(data.get("rule", ""), data.get("params") or {}, data["points"])
        if errors:
            self.add_error("params", errors)
        return data


class CardInline(ScopedInlineMixin, admin.TabularInline):
    model = Card
    extra = 0


class IndicatorInline(ScopedInlineMixin, admin.TabularInline):
    model = Indicator
    form = IndicatorForm
    extra = 0
    fields = INDICATOR_FIELDS

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "card":
            scheme_id = (
                request.resolver_match.kwargs.get("object_id") if request.resolver_match else None
            )
            kwargs["queryset"] = Card.objects.filter(scheme_id=scheme_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class GradeBandInline(ScopedInlineMixin, admin.TabularInline):
    model = GradeBand
    extra = 0


class BonusLevelInline(ScopedInlineMixin, admin.TabularInline):
    model = BonusLevel
    extra = 0


@admin.register(Scheme)
class SchemeAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    scope_via = "street"
    list_display = ("street", "year", "name", "bonus_cap", "updated_at")
    list_filter = ("year",)
    list_select_related = ("street",)
    inlines = (CardInline, IndicatorInline, GradeBandInline, BonusLevelInline)


class CommunityResultInline(ReadOnlyInline):
    model = CommunityResult
    fields = (
        "rank",
        "community_name",
        "cards",
        "bonus",
        "deduction",
        "veto",
        "total",
        "grade",
        "error",
    )
    ordering = ("rank", "community_name")


@admin.register(Run)
class RunAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    scope_via = "street"
    list_display = (
        "street",
        "year",
        "version",
        "as_of",
        "status",
        "complete",
        "created_by",
        "created_at",
    )
    list_filter = ("year", "status")
    list_select_related = ("street", "created_by")
    exclude = ("scheme_snapshot",)
    inlines = (CommunityResultInline,)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Run | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Run | None = None) -> bool:
        return False


@admin.register(ManualScore)
class ManualScoreAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    list_display = (
        "indicator",
        "community",
        "year",
        "self_score",
        "assessor_score",
        "letter_grade",
        "scored_by",
    )
    list_filter = ("year",)
    list_select_related = ("indicator", "community", "scored_by")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: ManualScore | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: ManualScore | None = None) -> bool:
        return False
