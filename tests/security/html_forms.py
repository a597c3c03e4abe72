"""The forms of an HTML page, read with the standard library's parser (no browser needed)."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Field:
    name: str
    tag: str  # input, select or textarea
    type: str = "text"
    value: str = ""
    disabled: bool = False
    required: bool = False
    checked: bool = False
    options: list[str] = field(default_factory=list)  # option values of a select


@dataclass
class Form:
    method: str
    action: str
    fields: list[Field] = field(default_factory=list)

    def names(self) -> set[str]:
        return {f.name for f in self.fields}

    def field(self, name: str) -> Field | None:
        return next((f for f in self.fields if f.name == name), None)


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._textarea: Field | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            self._form = Form(method=a.get("method", "get").lower(), action=a.get("action", ""))
            self.forms.append(self._form)
            return
        if self._form is None:
            return
        flags = {
            "disabled": "disabled" in a,
            "required": "required" in a,
            "checked": "checked" in a,
        }
        if tag == "input" and a.get("name"):
            self._form.fields.append(
                Field(
                    a["name"], "input", a.get("type", "text").lower(), a.get("value", ""), **flags
                )
            )
        elif tag == "select" and a.get("name"):
            self._select = Field(
                a["name"],
                "select",
                "select",
                disabled=flags["disabled"],
                required=flags["required"],
            )
            self._form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            self._select.options.append(a.get("value", ""))
            if "selected" in a:
                self._select.value = a.get("value", "")
        elif tag == "textarea" and a.get("name"):
            self._textarea = Field(
                a["name"],
                "textarea",
                "textarea",
                disabled=flags["disabled"],
                required=flags["required"],
            )
            self._form.fields.append(self._textarea)

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def forms_of(html: str) -> list[Form]:
    parser = _Parser()
    parser.feed(html)
    parser.close()
    return parser.forms
