"""List and record pages, whatever the records and whoever may see them.

A list page filters with django-filter, sorts and paginates (25) with django-tables2, and
answers `?export=xlsx` with the same filtered rows as an Excel file whose headers are the
table's column headers. Record pages show, create, edit and delete one record, writing
through a service function.

Which rows a user may see and change is not this module's business: each page asks its
access hooks (`get_scoped_queryset`, `user_may_create`, `user_can_edit`), which the
records' own layer fills in (communities.pages does with communities.scope). A page that
forgets them fails loudly instead of showing everything.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

import django_filters
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model, QuerySet
from django.forms import Form, ModelForm
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.views.generic import DeleteView, DetailView
from django.views.generic.edit import CreateView, UpdateView
from django_filters.views import FilterView
from django_tables2 import RequestConfig, SingleTableMixin

from . import integrity
from .export import xlsx_response
from .tables import PER_PAGE, CappedPaginator
from .xlsx import MAX_ROWS

# ---------------------------------------------------------------- list view


class ListPage(LoginRequiredMixin, SingleTableMixin, FilterView):
    """A filtered, sorted, paginated, exportable list of the rows the user may see."""

    model: type[Model]
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
        """The rows of get_base_queryset() this user may see (access hook)."""
        raise NotImplementedError(f"{type(self).__name__} must say which rows a user may see")

    def user_may_create(self) -> bool:
        """Whether this user may create records at all (access hook)."""
        raise NotImplementedError(f"{type(self).__name__} must say who may create records")

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
        """The filters of an export as a log may keep them: ids and choices as given, free
        text only as "（已填写）" (it may hold a person's name)."""
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

    def log_export(self, name: str, rows: int, refused: bool) -> None:
        """Called once per export (refused or given); the scoped pages log it."""

    def export_xlsx(self) -> HttpResponse:
        rows = self.filtered_rows()
        total = rows.count()
        name = self.export_name or self.title or str(self.model._meta.verbose_name)
        if total >= MAX_ROWS:  # the header takes a row too
            self.log_export(name, total, refused=True)
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
        # Logged once the workbook is built: a log that locks its chain head from here to
        # the end of the request does not make other entries wait for the whole export.
        self.log_export(name, total, refused=False)
        return response

    def can_create(self) -> bool:
        return bool(self.create_url_name) and self.user_may_create()

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


class RecordMixin(LoginRequiredMixin):
    """Fetch `pk` among the rows the user may see (may change, for writes) or answer 404."""

    model: type[Model]
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
        """The rows of get_base_queryset() this user may see, or change when `editable`
        (access hook)."""
        raise NotImplementedError(f"{type(self).__name__} must say which rows a user may see")

    def get_object(self, queryset: QuerySet | None = None) -> Model:
        try:
            return self.get_scoped_queryset().get(pk=self.kwargs["pk"])
        except self.model.DoesNotExist:
            raise Http404("没有找到该记录，或您无权查看。") from None


class DetailPage(RecordMixin, DetailView):
    """A record page; `can_edit` tells the template whether to offer edit buttons."""

    template_name = "includes/detail_page.html"
    update_url_name: str = ""
    delete_url_name: str = ""

    def user_can_edit(self, obj: Model) -> bool:
        """Whether this user may change `obj` (access hook)."""
        raise NotImplementedError(f"{type(self).__name__} must say who may edit a record")

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


class CreatePage(LoginRequiredMixin, ServiceFormMixin, CreateView):
    """Create a record; users who may not create anything (leaders) get 403."""

    template_name = "includes/form_page.html"
    title: str = ""
    cancel_url_name: str | None = None  # default: the list (list_url_name), if any
    detail_url_name: str = ""
    list_url_name: str = ""

    def user_may_create(self) -> bool:
        """Whether this user may create records at all (access hook)."""
        raise NotImplementedError(f"{type(self).__name__} must say who may create records")

    def get_success_url(self) -> str:
        return reverse(self.detail_url_name, kwargs={"pk": self.object.pk})

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated and not self.user_may_create():
            raise PermissionDenied("您没有录入权限。")
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["title"] = self.title
        cancel = self.cancel_url_name or self.list_url_name
        context["cancel_url"] = reverse(cancel) if cancel else None
        return context


class UpdatePage(RecordMixin, ServiceFormMixin, UpdateView):
    """Edit a record the user may change; anything else is 404."""

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


class DeletePage(RecordMixin, DeleteView):
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
