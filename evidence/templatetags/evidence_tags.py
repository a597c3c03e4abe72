"""The photo check inside other apps' pages, without those apps importing this one:

{% load evidence_tags %}
{% photo_flags activity %}          activity page: flags side by side, explain (street)
{% form_photo_warning activity %}   the community's activity form: a gentle warning
{% pending_photo_flags %}           verification queue: pending activities with flags
{% photo_flag_counts street year [communities] %} street dashboard: flagged / explained per community
"""

from __future__ import annotations

from typing import Any

from django import template

from activities.models import Activity
from communities.models import Community, Street

from .. import selectors, services
from ..forms import ExplainForm

register = template.Library()


@register.inclusion_tag("evidence/_activity_flags.html", takes_context=True)
def photo_flags(context: dict[str, Any], activity: Activity) -> dict[str, Any]:
    request = context["request"]
    flags = selectors.flags_of(activity, request.user)
    return {
        "activity": activity,
        "flags": flags,
        "street_view": services.can_explain(request.user, activity),
        "form": ExplainForm(),
        "next": request.get_full_path(),
        "tolerance": services.tolerance_days(),
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("evidence/_form_warning.html", takes_context=True)
def form_photo_warning(context: dict[str, Any], activity: Activity | None) -> dict[str, Any]:
    if not getattr(activity, "pk", None):
        return {"flags": None}
    flags = selectors.flags_of(activity, context["request"].user)
    return {"flags": flags, "tolerance": services.tolerance_days()}


@register.inclusion_tag("evidence/_queue_flags.html", takes_context=True)
def pending_photo_flags(context: dict[str, Any]) -> dict[str, Any]:
    return {"rows": selectors.pending_flagged(context["request"].user)}


@register.inclusion_tag("evidence/_dashboard_counts.html")
def photo_flag_counts(
    street: Street, year: int | None, communities: list[Community] | None = None
) -> dict[str, Any]:
    """`communities`: the street's, by name, when the page has read them already."""
    counts = selectors.street_flag_counts(street, year, communities)
    return {"counts": counts, "year": year, "any": any(c.flagged for c in counts)}
