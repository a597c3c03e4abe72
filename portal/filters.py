"""Filters of the list pages: free-text search, 年度, and a fast <select> for long lists."""

from __future__ import annotations

import html
from typing import Any, ClassVar

import django_filters
from django.db.models import Q, QuerySet
from django.forms import Select
from django.forms.utils import flatatt
from django.utils.safestring import mark_safe


class YearFilter(django_filters.NumberFilter):
    """年度 of a date field (`lookup_expr="year"`, default) or of a year number (`"exact"`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label", "年度")
        kwargs.setdefault("lookup_expr", "year")
        super().__init__(*args, **kwargs)
        self.extra.setdefault("min_value", 1949)
        self.extra.setdefault("max_value", 2100)
        self.extra.setdefault("error_messages", {"invalid": "请输入四位数年度。"})


class ManyChoiceSelect(Select):
    """A <select> whose options are written in Python. Django renders every <option>
    through a template, about 0.1 ms each (and format_html about 15 µs): a third of a
    second per page for the 3,000 communities a district's operator sees in the community
    filter. Choices may be grouped: (group label, [(value, label), ...]) becomes <optgroup>."""

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> str:
        chosen = set(self.format_value(value))

        def option(key: Any, label: Any) -> str:
            key = str(key)
            selected = " selected" if key in chosen else ""
            return (
                f'<option value="{html.escape(key)}"{selected}>{html.escape(str(label))}</option>'
            )

        parts = []
        for key, label in self.choices:
            if isinstance(label, (list, tuple)):
                inner = "".join(option(k, lab) for k, lab in label)
                parts.append(f'<optgroup label="{html.escape(key)}">{inner}</optgroup>')
            else:
                parts.append(option(key, label))
        attributes = flatatt(self.build_attrs(self.attrs, attrs))
        return mark_safe(
            f'<select name="{html.escape(name)}"{attributes}>{"".join(parts)}</select>'
        )


class SearchFilterSet(django_filters.FilterSet):
    """Free text `q` over `search_fields` (icontains, OR-ed)."""

    q = django_filters.CharFilter(label="关键字", method="filter_q")

    search_fields: ClassVar[tuple[str, ...]] = ("name",)

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value or not self.search_fields:
            return queryset
        condition = Q()
        for field in self.search_fields:
            condition |= Q(**{f"{field}__icontains": value})
        return queryset.filter(condition)
