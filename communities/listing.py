"""The machinery every list and record page of the portal shares.

A list page is one `ScopedListView` subclass::

    class FacilityList(ScopedListView):
        model = Facility
        table_class = FacilityTable              # a PortalTable subclass
        filterset_class = FacilityFilter         # a PortalFilterSet subclass
        list_select_related = ("community",)     # fixed query count, whatever the row count
        title = "文体设施"                        # heading, sheet and Excel file name
        export_name = "设施"                      # optional shorter file name: 设施_2026-11-22.xlsx
        create_url_name = "facilities:create"    # button shown only to users who may edit

It shows only rows in the user's scope (communities.scope), filters with django-filter,
sorts and paginates (25) with django-tables2, and answers `?export=xlsx` with the same
filtered, scoped rows as an Excel file whose headers are the table's column headers.

Record pages use `ScopedDetailView`, `ScopedCreateView`, `ScopedUpdateView` and
`ScopedDeleteView`: out-of-scope records are 404, writes go through a service function.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any, ClassVar
from urllib.parse import quote

import django_filters
import django_tables2 as tables
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError, models, transaction
from django.db.models import Count, Model, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.forms import Form, HiddenInput, ModelForm, Select
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise, cached_property
from django.utils.safestring import mark_safe
from django.views.generic import DeleteView, DetailView
from django.views.generic.edit import CreateView, UpdateView
from django_filters.views import FilterView
from django_tables2 import RequestConfig, SingleTableMixin
from django_tables2.columns import library

from reports.workbook.xlsx import MAX_ROWS, StreamingWorkbook
from security_log import services as security_log
from security_log.models import Event, Result

from . import integrity, scope
from .models import Community

EMPTY = "—"
PER_PAGE = 25
# The pager counts rows exactly up to this many; beyond it says "超过 100000 条". An exact
# COUNT(*) of a district's 1.5 million activities costs ~60 ms on every page view, and nobody
# pages through 4,000 pages: they filter.
COUNT_CAP = 100_000
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# ---------------------------------------------------------------- personal data


_DIGIT = re.compile(r"\d")


def mask_phone(value: str | None) -> str:
    """Hide the middle of a phone number: "13812345678" -> "138****5678".

    Only digits are masked, so separators stay readable ("0571-87654321" -> "057*-****4321").
    Short numbers keep at most their last 4 digits; under 7 digits nothing is shown.
    """
    if not value:
        return ""
    text = str(value).strip()
    positions = [m.start() for m in _DIGIT.finditer(text)]
    n = len(positions)
    if n >= 11:
        keep = set(positions[:3] + positions[-4:])
    elif n >= 7:
        keep = set(positions[-4:])
    else:
        keep = set()
    hidden = set(positions) - keep
    return "".join("*" if i in hidden else c for i, c in enumerate(text))


# ---------------------------------------------------------------- tables


class PortalTable(tables.Table):
    """Base of every list table. Subclasses write `class Meta(PortalTable.Meta): model = …`."""

    class Meta:
        template_name = "includes/table.html"
        attrs = {"class": "data-table"}
        empty_text = "没有符合条件的记录。"
        default = EMPTY
        per_page = PER_PAGE


@library.register
class IsoDateColumn(tables.DateColumn):
    """Dates as YYYY-MM-DD whatever the browser's language (house rule); every model
    DateField of every portal table gets this column."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("format", "Y-m-d")
        super().__init__(*args, **kwargs)

    @classmethod
    def from_field(cls, field: Any, **kwargs: Any) -> IsoDateColumn | None:
        if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
            return cls(**kwargs)
        return None


@library.register
class IsoDateTimeColumn(tables.DateTimeColumn):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("format", "Y-m-d H:i")
        super().__init__(*args, **kwargs)

    @classmethod
    def from_field(cls, field: Any, **kwargs: Any) -> IsoDateTimeColumn | None:
        if isinstance(field, models.DateTimeField):
            return cls(**kwargs)
        return None


class PhoneColumn(tables.Column):
    """A phone number, masked on screen and in the Excel export alike."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("orderable", False)
        super().__init__(*args, **kwargs)

    def render(self, value: str) -> str:
        return mask_phone(value)


class CappedPaginator(Paginator):
    """A paginator whose count stops at COUNT_CAP (`capped` then says so); pages up to the
    cap work as usual. Under a tables2 table, `object_list` is its BoundRows; the queryset
    under them is counted with a LIMIT, so the database stops at COUNT_CAP + 1 rows."""

    capped = False

    @cached_property
    def count(self) -> int:
        queryset = getattr(getattr(self.object_list, "data", None), "data", None)
        if not isinstance(queryset, QuerySet):
            return len(self.object_list)
        n = queryset.order_by().values("pk")[: COUNT_CAP + 1].count()
        self.capped = n > COUNT_CAP
        return min(n, COUNT_CAP)


# ---------------------------------------------------------------- filters


def _visible_communities(request: HttpRequest | None) -> QuerySet[Community]:
    if request is None:
        return Community.objects.none()
    return scope.visible_communities(request.user).order_by("name")


class YearFilter(django_filters.NumberFilter):
    """年度 of a date field (`lookup_expr="year"`, default) or of a year number (`"exact"`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label", "年度")
        kwargs.setdefault("lookup_expr", "year")
        super().__init__(*args, **kwargs)
        self.extra.setdefault("min_value", 1949)
        self.extra.setdefault("max_value", 2100)
        self.extra.setdefault("error_messages", {"invalid": "请输入四位数年度。"})


class CommunityChoiceIterator(ModelChoiceIterator):
    """The community filter's choices as (pk, name) straight from the database, grouped by
    street when the user sees more than one. A district's operator sees 3,000 communities:
    building a Community instance for each only to print its name cost ~20 ms a page, and
    one long list of names that repeat across streets is hard to use."""

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        rows = self.queryset.order_by("street__name", "street_id", "name").values_list(
            "pk", "name", "street__name"
        )
        groups: dict[str, list[tuple[int, str]]] = {}
        for pk, name, street in rows.iterator(chunk_size=5000):
            groups.setdefault(street, []).append((pk, name))
        if len(groups) == 1:
            yield from next(iter(groups.values()))
        else:
            yield from groups.items()


class CommunityChoiceField(django_filters.fields.ModelChoiceField):
    iterator = CommunityChoiceIterator


class CommunityFilter(django_filters.ModelChoiceFilter):
    field_class = CommunityChoiceField


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


class PortalFilterSet(django_filters.FilterSet):
    """Every list filters by community (only those the user sees) and by free text.

    Subclasses set `search_fields` for `q` (icontains, OR-ed) and may set
    `community_field` (e.g. "team__community") or override `filter_community`.
    """

    community = CommunityFilter(
        label="社区",
        queryset=_visible_communities,
        method="filter_community",
        empty_label="全部社区",
        widget=ManyChoiceSelect,
    )
    q = django_filters.CharFilter(label="关键字", method="filter_q")

    search_fields: ClassVar[tuple[str, ...]] = ("name",)
    community_field: ClassVar[str] = "community"

    @property
    def form(self) -> Any:
        form = super().form
        field = form.fields.get("community")
        if field is not None and not getattr(self, "_community_checked", False):
            self._community_checked = True
            # A cadre sees one community: a choice of one is noise on a phone screen. The
            # filter stays (and still refuses other communities); only its widget is hidden.
            if field.queryset[:2].count() < 2:
                field.widget = HiddenInput()
        return form

    def filter_community(self, queryset: QuerySet, name: str, value: Community) -> QuerySet:
        return queryset.filter(**{self.community_field: value})

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value or not self.search_fields:
            return queryset
        condition = Q()
        for field in self.search_fields:
            condition |= Q(**{f"{field}__icontains": value})
        return queryset.filter(condition)


def related_count(model: type[Model], fk: str) -> Coalesce:
    """How many `model` rows point at the listed row through `fk`, as a subquery. Unlike
    Count() it needs no GROUP BY over the whole list: a sorted page of a district's 30,000
    teams counts the members of its 25 rows only."""
    rows = (
        model._default_manager.filter(**{fk: OuterRef("pk")})
        .order_by()
        .values(fk)
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows), 0)


# ---------------------------------------------------------------- Excel export


def xlsx_response(
    rows: Iterable[list[Any]], *, title: str, sheet: str | None = None
) -> HttpResponse:
    """An .xlsx download of `rows` (first row = headers) named like 设施_2026-11-22.xlsx.

    Written by the workbook export's streaming writer: text typed by users stays text in
    the reader's Excel (a leading "=" is never a live formula) and characters Excel refuses
    are dropped."""
    rows = iter(rows)
    headers = [str(h) for h in next(rows, [])]
    buffer = io.BytesIO()
    with StreamingWorkbook(buffer) as book:
        worksheet = book.add_sheet(_sheet_name(sheet or title), headers)
        for row in rows:
            worksheet.append([_export_value(v) for v in row])
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = attachment_header(
        f"{title}_{timezone.localdate().isoformat()}.xlsx"
    )
    return response


def xlsx_sheets_response(
    sheets: Iterable[tuple[str, Iterable[list[Any]]]], *, title: str
) -> HttpResponse:
    """Like xlsx_response, with several sheets: (sheet name, rows with the headers first)."""
    buffer = io.BytesIO()
    with StreamingWorkbook(buffer) as book:
        for name, rows in sheets:
            rows = iter(rows)
            worksheet = book.add_sheet(_sheet_name(name), [str(h) for h in next(rows, [])])
            for row in rows:
                worksheet.append([_export_value(v) for v in row])
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_TYPE)
    response["Content-Disposition"] = attachment_header(f"{title}.xlsx")
    return response


def _sheet_name(name: str) -> str:
    return re.sub(r"[\[\]:*?/\\]", "_", str(name))[:31] or "Sheet1"


def _export_value(value: Any) -> Any:
    if value == EMPTY or value == "":
        return None
    if isinstance(value, Promise):  # a lazy translation
        return str(value)
    return value


def attachment_header(filename: str) -> str:
    """Content-Disposition with an ASCII fallback and the real name per RFC 5987/6266."""
    fallback = re.sub(r"[^A-Za-z0-9._-]+", "_", filename).strip("_") or "download"
    if not re.search(r"[A-Za-z0-9]", fallback.rsplit(".", 1)[0]):
        fallback = "export" + (("." + filename.rsplit(".", 1)[1]) if "." in filename else "")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"


# ---------------------------------------------------------------- list view


class ScopedListView(LoginRequiredMixin, SingleTableMixin, FilterView):
    """A filtered, sorted, paginated, exportable list of the rows in the user's scope."""

    model: type[Model]
    scope_via: str = "community"
    list_select_related: tuple[str, ...] = ()
    list_prefetch_related: tuple[Any, ...] = ()
    title: str = ""
    export_name: str = ""  # Excel file name stem (设施_2026-11-22.xlsx); defaults to the title
    create_url_name: str | None = None
    template_name = "includes/list_page.html"
    table_pagination = {"per_page": PER_PAGE, "paginator_class": CappedPaginator}

    def get_base_queryset(self) -> QuerySet:
        """All rows before scoping; override to annotate."""
        return self.model._default_manager.all()

    def get_scoped_queryset(self) -> QuerySet:
        return scope.scope(self.get_base_queryset(), self.request.user, via=self.scope_via)

    def get_queryset(self) -> QuerySet:
        qs = self.get_scoped_queryset()
        if self.list_select_related:
            qs = qs.select_related(*self.list_select_related)
        if self.list_prefetch_related:
            qs = qs.prefetch_related(*self.list_prefetch_related)
        return qs

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.GET.get("export") == "xlsx":
            return self.export_xlsx()
        return super().get(request, *args, **kwargs)

    def get_table(self, **kwargs: Any) -> Any:
        table = super().get_table(**kwargs)
        page = getattr(table, "page", None)
        if page is not None:
            # The page's rows are a slice of the queryset; evaluating it here caches the
            # instances that the table then renders, so annotate_page can add to them.
            self.annotate_page(list(page.object_list.data))
        return table

    def annotate_page(self, records: list[Model]) -> None:
        """Add per-row figures to the shown page's records only (override). An annotation
        over the whole list may be computed by the database for every row in scope."""

    def filtered_rows(self) -> QuerySet:
        filterset = self.get_filterset(self.get_filterset_class())
        if not filterset.is_bound or filterset.is_valid():
            return filterset.qs
        return filterset.queryset.none()

    def export_filters(self) -> dict[str, Any]:
        """The filters of an export as the security log keeps them: ids and choices as given,
        free text only as "（已填写）" (it may hold a person's name)."""
        filters = self.get_filterset_class().base_filters
        kept: dict[str, Any] = {}
        for name, values in self.request.GET.lists():
            values = [v for v in values if v]
            if name in ("export", "page") or not values:
                continue
            if name == "sort":
                kept[name] = values[0]
            elif name in filters:
                free_text = isinstance(filters[name], django_filters.CharFilter)
                kept[name] = "（已填写）" if free_text else values
        return kept

    def export_xlsx(self) -> HttpResponse:
        rows = self.filtered_rows()
        total = rows.count()
        name = self.export_name or self.title or str(self.model._meta.verbose_name)
        if total >= MAX_ROWS:  # the header takes a row too
            self.log_export(name, total, Result.REFUSED)
            messages.error(
                self.request,
                f"共 {total:,} 条，超过 Excel 每表 {MAX_ROWS:,} 行的上限，请先筛选（如按社区、年度）再导出。",
            )
            query = self.request.GET.copy()
            query.pop("export", None)
            return HttpResponseRedirect(f"{self.request.path}?{query.urlencode()}")
        table = self.get_table_class()(data=rows, **self.get_table_kwargs())
        RequestConfig(self.request, paginate=False).configure(table)
        response = xlsx_response(table.as_values(), title=name, sheet=self.title or name)
        # Logged once the workbook is built: the log's chain head stays locked from here to
        # the end of the request, so other entries do not wait for the whole export.
        self.log_export(name, total, Result.OK)
        return response

    def log_export(self, name: str, rows: int, result: str) -> None:
        security_log.record(
            Event.EXPORT,
            user=self.request.user,
            request=self.request,
            result=result,
            list=name,
            filters=self.export_filters(),
            rows=rows,
        )

    def can_create(self) -> bool:
        return bool(self.create_url_name) and scope.can_edit_anything(self.request.user)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["title"] = self.title
        context["create_url"] = reverse(self.create_url_name) if self.can_create() else None
        return context


# ---------------------------------------------------------------- record pages


class RecordUrls:
    """The URL names of one kind of record's pages from one prefix: `url_names =
    "teams:volunteer_"` names teams:volunteer_detail, _update, _delete and _list (the delete
    page returns to the list). Set on the per-model mixin the record's views share."""

    url_names: ClassVar[str] = ""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        prefix = cls.__dict__.get("url_names")
        if prefix:
            for page in ("detail", "update", "delete", "list"):
                setattr(cls, f"{page}_url_name", f"{prefix}{page}")


class ScopedObjectMixin(LoginRequiredMixin):
    """Fetch `pk` inside the user's scope (editable scope for writes) or answer 404."""

    model: type[Model]
    scope_via: str = "community"
    editable: bool = False
    object_select_related: tuple[str, ...] = ()
    detail_url_name: str = ""
    list_url_name: str = ""
    request: HttpRequest
    kwargs: dict[str, Any]

    def detail_url(self, obj: Model) -> str:
        return reverse(self.detail_url_name, kwargs={"pk": obj.pk})

    def get_base_queryset(self) -> QuerySet:
        qs = self.model._default_manager.all()
        if self.object_select_related:
            qs = qs.select_related(*self.object_select_related)
        return qs

    def get_scoped_queryset(self) -> QuerySet:
        return scope.scope(
            self.get_base_queryset(), self.request.user, via=self.scope_via, editable=self.editable
        )

    def get_object(self, queryset: QuerySet | None = None) -> Model:
        try:
            return self.get_scoped_queryset().get(pk=self.kwargs["pk"])
        except self.model.DoesNotExist:
            raise Http404("没有找到该记录，或您无权查看。") from None


class ScopedDetailView(ScopedObjectMixin, DetailView):
    """A record page; `can_edit` tells the template whether to offer edit buttons."""

    template_name = "includes/detail_page.html"
    update_url_name: str = ""
    delete_url_name: str = ""

    def user_can_edit(self, obj: Model) -> bool:
        community_id = _community_id(obj, self.scope_via)
        if community_id is None:
            return scope.can_edit_anything(self.request.user)
        return scope.can_edit_community(self.request.user, community_id)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["can_edit"] = can_edit = self.user_can_edit(self.object)
        pk = {"pk": self.object.pk}
        if can_edit and self.update_url_name:
            context["edit_url"] = reverse(self.update_url_name, kwargs=pk)
        if can_edit and self.delete_url_name:
            context["delete_url"] = reverse(self.delete_url_name, kwargs=pk)
        if self.list_url_name:
            context["back_url"] = reverse(self.list_url_name)
        return context


def _community_id(obj: Model, via: str) -> int | None:
    if via == "street" or via.endswith("__street"):
        return None
    *path, last = via.split("__")
    target: Any = obj
    for part in path:
        target = getattr(target, part)
    return getattr(target, f"{last}_id")


class ServiceFormMixin:
    """Save through a service function instead of ModelForm.save.

    `save_service(form)` returns the saved object; a ValidationError it raises is shown on
    the form (field errors next to their fields) and nothing is written. So is a constraint
    the database refuses (IntegrityError): its Chinese message, the service's writes undone.
    """

    success_message: str = "已保存。"
    request: HttpRequest

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()  # type: ignore[misc]
        kwargs["user"] = self.request.user
        return kwargs

    def save_service(self, form: ModelForm) -> Model:
        # Abstract: every create/update view names the service that writes its record.
        raise NotImplementedError(f"{type(self).__name__} must define save_service()")

    def form_valid(self, form: ModelForm) -> HttpResponse:
        try:
            with transaction.atomic():  # a savepoint: the request's transaction stays usable
                self.object = self.save_service(form)
        except ValidationError as error:
            add_errors(form, error)
            return self.form_invalid(form)  # type: ignore[attr-defined]
        except IntegrityError as error:
            form.add_error(None, integrity.explain(error))
            return self.form_invalid(form)  # type: ignore[attr-defined]
        messages.success(self.request, self.success_message)
        return HttpResponseRedirect(self.get_success_url())  # type: ignore[attr-defined]


def add_errors(form: Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: by field where the form has it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class ScopedCreateView(LoginRequiredMixin, ServiceFormMixin, CreateView):
    """Create a record; users who may not edit anything (leaders) get 403."""

    template_name = "includes/form_page.html"
    title: str = ""
    cancel_url_name: str | None = None  # default: the list (list_url_name), if any
    detail_url_name: str = ""
    list_url_name: str = ""

    def get_success_url(self) -> str:
        return reverse(self.detail_url_name, kwargs={"pk": self.object.pk})

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated and not scope.can_edit_anything(request.user):
            raise PermissionDenied("您没有录入权限。")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["title"] = self.title
        cancel = self.cancel_url_name or self.list_url_name
        context["cancel_url"] = reverse(cancel) if cancel else None
        return context


class ScopedUpdateView(ScopedObjectMixin, ServiceFormMixin, UpdateView):
    """Edit a record inside the user's editable scope; anything else is 404."""

    editable = True
    template_name = "includes/form_page.html"
    title: str = ""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["title"] = self.title
        context["cancel_url"] = self.detail_url(self.object)
        return context

    def get_success_url(self) -> str:
        return self.detail_url(self.object)


class ScopedDeleteView(ScopedObjectMixin, DeleteView):
    """Delete through `delete_service(obj)`; a ValidationError is a Chinese refusal, not a 500."""

    editable = True
    template_name = "includes/confirm_delete.html"
    title: str = ""
    success_url_name: str = ""  # default: the list (list_url_name)
    delete_service: ClassVar[Callable[..., None]]

    def blockers(self, obj: Model) -> list[str]:
        """Reasons the record may not be deleted, shown before the user confirms."""
        return []

    def get_success_url(self) -> str:
        return reverse(self.success_url_name or self.list_url_name)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["title"] = self.title
        context["blockers"] = self.blockers(self.object)
        context["cancel_url"] = self.detail_url(self.object)
        return context

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            type(self).delete_service(obj=self.object, user=self.request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(self.request, message)
            return HttpResponseRedirect(self.detail_url(self.object))
        messages.success(self.request, "已删除。")
        return HttpResponseRedirect(self.get_success_url())


# ---------------------------------------------------------------- forms and services


class ScopedModelForm(ModelForm):
    """A ModelForm whose 社区 choices are the communities the user may edit.

    A cadre edits only one community: the field is shown fixed (disabled), so a forged POST
    cannot move a record elsewhere. Leaders have no editable community and see no choices.
    """

    community_field_name: ClassVar[str] = "community"

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        for other in self.fields.values():
            choices = getattr(other, "choices", None)
            if isinstance(choices, list) and choices and choices[0] == ("", "---------"):
                other.choices = [("", "请选择"), *choices[1:]]
        field = self.fields.get(self.community_field_name)
        if field is None:
            return
        communities = list(scope.editable_communities(user).order_by("name"))
        field.queryset = Community.objects.filter(pk__in=[c.pk for c in communities])
        field.empty_label = "请选择社区"
        if len(communities) == 1:
            field.initial = communities[0].pk
            field.disabled = True
            if not self.instance.pk:
                setattr(self.instance, self.community_field_name, communities[0])


def ensure_can_edit(user: Any, community: Community | int | None) -> None:
    """Services call this before writing: a record may only be saved into an editable community."""
    if community is None:
        raise ValidationError({"community": "请选择社区。"})
    if not scope.can_edit_community(user, community):
        raise ValidationError({"community": "您无权编辑该社区的记录。"})


def today() -> dt.date:
    return timezone.localdate()
