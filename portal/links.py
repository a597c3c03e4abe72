"""Links to pages that may not exist (yet): menus and alerts of optional apps."""

from __future__ import annotations

from typing import Any

from django.urls import NoReverseMatch, reverse


def url_if(name: str, *args: Any, **kwargs: Any) -> str:
    """The URL of `name` with these arguments, or "" when the URL name does not exist.

    Several names may be given as "a:x|a:y": the first that resolves wins.
    """
    for candidate in name.split("|"):
        try:
            return reverse(candidate.strip(), args=args or None, kwargs=kwargs or None)
        except NoReverseMatch:
            continue
    return ""
