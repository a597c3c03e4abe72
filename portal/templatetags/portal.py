"""Template helpers of the portal's own pages: `{% load portal %}`."""

from __future__ import annotations

from typing import Any

from django import template

from portal import links, privacy

register = template.Library()


@register.simple_tag
def url_if(name: str, *args: Any, **kwargs: Any) -> str:
    """Like {% url %} but "" when the URL name does not exist (yet): menus of optional apps.

    {% url_if "activities:list" as u %}{% if u %}<a href="{{ u }}">活动</a>{% endif %}

    Several names may be given as "a:x|a:y": the first that resolves wins.
    """
    return links.url_if(name, *args, **kwargs)


@register.filter
def mask_phone(value: str | None) -> str:
    return privacy.mask_phone(value)


@register.simple_tag(takes_context=True)
def nav_active(context: template.Context, prefix: str, *deeper: str) -> str:
    """'current' when the request path is under `prefix` but under none of the `deeper`
    menu URLs (设施 /facilities/ is not current on 提升工程 /facilities/projects/)."""
    request = context.get("request")
    if request is None or not prefix:
        return ""
    path = request.path
    if prefix == "/":
        return "current" if path == "/" else ""
    if not path.startswith(prefix) or any(d and path.startswith(d) for d in deeper):
        return ""
    return "current"
