"""The activity form's long choice lists written in Python.

A street's form offers every community's facilities, teams and brands (hundreds of options,
each filtered on the page to the community picked). Django draws each option through three
or four included templates: 80 % of the form's time (230 ms for a street of 30 communities).
These widgets keep Django's context (get_context, create_option: the options, their attrs,
what is selected) and write exactly the markup of Django's own templates
(django/forms/widgets/select.html, multiple_input.html and the option templates), which
tests/activities/test_widgets.py checks against them."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from communities.models import Community


def _attrs(attrs: dict[str, Any]) -> str:
    """django/forms/widgets/attrs.html."""
    return "".join(
        f" {conditional_escape(k)}"
        if v is True
        else f' {conditional_escape(k)}="{conditional_escape(v)}"'
        for k, v in attrs.items()
        if v is not False
    )


def _select_option(o: dict[str, Any]) -> str:
    return (
        f'<option value="{conditional_escape(o["value"])}"{_attrs(o["attrs"])}>'
        f"{conditional_escape(o['label'])}</option>\n"
    )


def _input_option(o: dict[str, Any]) -> str:
    """checkbox_option.html, which includes input_option.html, which includes input.html:
    each file ends in a newline, which Django keeps."""
    value = "" if o["value"] is None else f' value="{conditional_escape(o["value"])}"'
    tag = (
        f'<input type="{conditional_escape(o["type"])}" name="{conditional_escape(o["name"])}"'
        f"{value}{_attrs(o['attrs'])}>\n"
    )
    if not o["wrap_label"]:
        return tag + "\n\n"
    target = o["attrs"].get("id")
    label_for = f' for="{conditional_escape(target)}"' if target else ""
    return f"<label{label_for}>{tag} {conditional_escape(o['label'])}</label>\n\n"


class CommunityOptionsMixin:
    """Options carry data-community so a street user's form can hide other communities' rows."""

    def create_option(self, name: str, value: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(name, value, *args, **kwargs)  # type: ignore[misc]
        instance = getattr(value, "instance", None)
        if instance is not None:
            community_id = instance.pk if isinstance(instance, Community) else instance.community_id
            option["attrs"]["data-community"] = community_id
        return option


class CommunityOptionSelect(CommunityOptionsMixin, forms.Select):
    def render(
        self, name: str, value: Any, attrs: dict | None = None, renderer: Any = None
    ) -> SafeString:
        w = self.get_context(name, value, attrs)["widget"]
        out = [f'<select name="{conditional_escape(w["name"])}"{_attrs(w["attrs"])}>']
        for group_name, options, _ in w["optgroups"]:
            if group_name:
                out.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
            for o in options:
                out.append("\n  " + _select_option(o))
            if group_name:
                out.append("\n  </optgroup>")
        out.append("\n</select>")
        return mark_safe("".join(out))  # every value above is escaped


class CommunityOptionCheckboxes(CommunityOptionsMixin, forms.CheckboxSelectMultiple):
    def render(
        self, name: str, value: Any, attrs: dict | None = None, renderer: Any = None
    ) -> SafeString:
        w = self.get_context(name, value, attrs)["widget"]
        target, css = w["attrs"].get("id"), w["attrs"].get("class")
        out = [
            "<div"
            + (f' id="{conditional_escape(target)}"' if target else "")
            + (f' class="{conditional_escape(css)}"' if css else "")
            + ">"
        ]
        for group, options, _ in w["optgroups"]:
            if group:
                out.append(f"\n  <div><label>{conditional_escape(group)}</label>")
            for o in options:
                out.append("<div>\n    " + _input_option(o) + "</div>")
            if group:
                out.append("\n  </div>")
        out.append("\n</div>")
        return mark_safe("".join(out))  # every value above is escaped
