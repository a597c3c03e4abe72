"""Template helpers of the portal's own pages: `{% load portal %}`."""

from __future__ import annotations

from typing import Any

from django import template

from portal import links, nav, privacy
from portal import table_body as portal_table_body

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
def main_menu(context: template.Context) -> nav.Nav | None:
    """The grouped menu and breadcrumbs of the signed-in user (portal/nav.py)."""
    request = context.get("request")
    # An error page rendered before the authentication middleware ran has no user.
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    return nav.nav_for(user, request.path)


@register.simple_tag(takes_context=True)
def table_body(context: template.Context, table: Any) -> str:
    """A list table's <tbody>, written in Python (portal/table_body.py says why)."""
    return portal_table_body.tbody(table, context)
