"""文体设施 and 提升工程 pages: list (filter, sort, export), detail, create, edit, delete."""

from __future__ import annotations

import os
from typing import Any

from django.contrib.auth.decorators import login_required
from django.forms import ModelForm
from django.http import FileResponse, Http404, HttpRequest

from communities import scope
from communities.pages import (
    ScopedCreateView,
    ScopedDeleteView,
    ScopedDetailView,
    ScopedListView,
    ScopedUpdateView,
)
from portal.pages import RecordUrls
from security_log.models import Event
from security_log.services import record as log_event

from . import services
from .filters import FacilityFilter, UpgradeProjectFilter
from .forms import FacilityForm, UpgradeProjectForm
from .models import Facility, UpgradeProject
from .tables import FacilityTable, UpgradeProjectTable


class FacilityList(ScopedListView):
    model = Facility
    table_class = FacilityTable
    filterset_class = FacilityFilter
    list_select_related = ("community",)
    title = "文体设施"
    export_name = "设施"
    create_url_name = "facilities:create"


class FacilityMixin(RecordUrls):
    model = Facility
    object_select_related = ("community",)
    url_names = "facilities:"


class FacilityDetail(FacilityMixin, ScopedDetailView):
    template_name = "facilities/facility_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        f = self.object
        context["rows"] = [
            ("社区", f.community),
            ("设施类型", f.kind),
            ("面积(平方米)", f.area),
            ("数量(套)", f.sets),
            ("状态", f.status),
            ("启用日期", f.opened_on),
            ("产权", f.ownership),
            ("共建单位", f.partner_unit),
            ("免费开放", "是" if f.free_open else "否"),
            ("备注", f.note),
        ]
        context["activity_count"] = f.activities.count()
        return context


class FacilityCreate(FacilityMixin, ScopedCreateView):
    form_class = FacilityForm
    title = "新增文体设施"
    success_message = "设施已保存。"

    def save_service(self, form: ModelForm) -> Facility:
        return services.facility_save(facility=form.instance, user=self.request.user)


class FacilityUpdate(FacilityMixin, ScopedUpdateView):
    form_class = FacilityForm
    title = "编辑文体设施"
    success_message = "设施已保存。"

    def save_service(self, form: ModelForm) -> Facility:
        return services.facility_save(facility=form.instance, user=self.request.user)


class FacilityDelete(FacilityMixin, ScopedDeleteView):
    title = "删除文体设施"
    delete_service = services.facility_delete

    def blockers(self, obj: Facility) -> list[str]:
        return services.facility_delete_blockers(obj)


FILE_FIELDS = {"photo", "agreement"}


@login_required
def facility_file(request: HttpRequest, pk: int, field: str) -> FileResponse:
    """Photos and agreements are not public: they are streamed only to users who see the facility."""
    if field not in FILE_FIELDS:
        raise Http404
    facility = scope.get_for_user_or_404(Facility.objects.all(), request.user, pk=pk)
    stored = getattr(facility, field)
    if not stored:
        raise Http404("没有上传文件。")
    log_event(Event.DOWNLOAD, user=request.user, request=request, file=f"facility.{field}", pk=pk)
    return FileResponse(
        stored.open("rb"),
        as_attachment=field == "agreement",
        filename=os.path.basename(stored.name),
    )


class ProjectList(ScopedListView):
    model = UpgradeProject
    table_class = UpgradeProjectTable
    filterset_class = UpgradeProjectFilter
    list_select_related = ("community",)
    title = "提升工程"
    create_url_name = "facilities:project_create"


class ProjectMixin(RecordUrls):
    model = UpgradeProject
    object_select_related = ("community",)
    url_names = "facilities:project_"


class ProjectDetail(ProjectMixin, ScopedDetailView):
    template_name = "facilities/project_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        p = self.object
        context["rows"] = [
            ("社区", p.community),
            ("计划年度", p.planned_year),
            ("状态", p.status),
            ("完成日期", p.completed_on),
            ("投资(万元)", p.investment),
        ]
        return context


class ProjectCreate(ProjectMixin, ScopedCreateView):
    form_class = UpgradeProjectForm
    title = "新增提升工程"
    success_message = "提升工程已保存。"

    def save_service(self, form: ModelForm) -> UpgradeProject:
        return services.project_save(project=form.instance, user=self.request.user)


class ProjectUpdate(ProjectMixin, ScopedUpdateView):
    form_class = UpgradeProjectForm
    title = "编辑提升工程"
    success_message = "提升工程已保存。"

    def save_service(self, form: ModelForm) -> UpgradeProject:
        return services.project_save(project=form.instance, user=self.request.user)


class ProjectDelete(ProjectMixin, ScopedDeleteView):
    title = "删除提升工程"
    delete_service = services.project_delete
