"""队伍建设 pages: teams with rosters and honours, persons, volunteers and their service,
instructors' certificates, and cadres with their certificate deadlines.

Over 500 lines because 队伍建设 has five record kinds with list, detail and form pages each;
every page is a few lines on the shared scoped pages (communities.pages)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch, QuerySet
from django.forms import ModelForm
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from communities import scope
from communities.pages import (
    ScopedCreateView,
    ScopedDeleteView,
    ScopedDetailView,
    ScopedListView,
    ScopedUpdateView,
)
from portal.dates import today
from portal.pages import RecordUrls, add_errors
from portal.privacy import mask_phone
from portal.tables import related_count

from . import selectors, services
from .filters import CadreFilter, CertificateFilter, PersonFilter, TeamFilter, VolunteerFilter
from .forms import (
    CadreForm,
    CertificateForm,
    HonourForm,
    MemberAddForm,
    PersonForm,
    TeamForm,
    VolunteerForm,
)
from .models import Cadre, Certificate, Person, Team, TeamMember, Volunteer
from .tables import CadreTable, CertificateTable, PersonTable, TeamTable, VolunteerTable


class ActionDetailView(ScopedDetailView):
    """A record page whose small forms (add a member, add an hour entry…) post back to it.

    POST takes `action`; the record is fetched in the *editable* scope, so a leader or an
    out-of-scope user gets 404. A failed form re-renders the page with its errors.
    """

    actions: dict[str, str] = {}

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        self.editable = True
        self.object = self.get_object()
        handler = self.actions.get(request.POST.get("action", ""))
        if handler is None:
            raise Http404("未知操作。")
        response = getattr(self, handler)()
        if response is not None:
            return response
        return HttpResponseRedirect(self.detail_url(self.object))


# ---------------------------------------------------------------- teams


class TeamList(ScopedListView):
    model = Team
    table_class = TeamTable
    filterset_class = TeamFilter
    list_select_related = ("community",)
    title = "文体团队"
    create_url_name = "teams:create"

    def get_base_queryset(self) -> QuerySet:
        return Team.objects.annotate(member_count=related_count(TeamMember, "team"))


class TeamMixin(RecordUrls):
    model = Team
    object_select_related = ("community", "community__street")
    url_names = "teams:"


class TeamDetail(TeamMixin, ActionDetailView):
    template_name = "teams/team_detail.html"
    actions = {
        "add_member": "add_member",
        "remove_member": "remove_member",
        "add_honour": "add_honour",
        "delete_honour": "delete_honour",
    }

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        team = self.object
        context["rows"] = [
            ("社区", team.community),
            ("类别", team.category),
            ("项目", team.project),
            ("负责人", team.leader),
            ("联系电话", mask_phone(team.phone)),
            ("成立日期", team.founded_on),
            ("解散日期", team.dissolved_on),
        ]
        context["roster"] = team.memberships.select_related("person").order_by("person__code")
        context["honours"] = team.honours.order_by("-year", "title")
        context.setdefault("member_form", MemberAddForm(prefix="m"))
        context.setdefault("honour_form", HonourForm(prefix="h"))
        return context

    def add_member(self) -> HttpResponse | None:
        form = MemberAddForm(self.request.POST, prefix="m")
        if form.is_valid():
            try:
                row = services.roster_add(
                    team=self.object,
                    user=self.request.user,
                    person=form.person_data(),
                    joined_on=form.cleaned_data["joined_on"],
                )
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(
                    self.request, f"已将 {row.person.name}（{row.person.code}）加入花名册。"
                )
                return None
        return self.render_to_response(self.get_context_data(member_form=form))

    def remove_member(self) -> None:
        member = (
            self.object.memberships.select_related("person", "team")
            .filter(pk=self.request.POST.get("member"))
            .first()
        )
        if member is None:
            raise Http404("花名册中没有该成员。")
        services.roster_remove(member=member, user=self.request.user)
        messages.success(self.request, f"已将 {member.person.name} 移出花名册。")

    def add_honour(self) -> HttpResponse | None:
        form = HonourForm(self.request.POST, prefix="h")
        if form.is_valid():
            try:
                services.honour_add(team=self.object, user=self.request.user, **form.cleaned_data)
            except ValidationError as error:
                add_errors(form, error)
            else:
                messages.success(self.request, "荣誉已添加。")
                return None
        return self.render_to_response(self.get_context_data(honour_form=form))

    def delete_honour(self) -> None:
        honour = (
            self.object.honours.select_related("team")
            .filter(pk=self.request.POST.get("honour"))
            .first()
        )
        if honour is None:
            raise Http404("没有该荣誉记录。")
        services.honour_delete(honour=honour, user=self.request.user)
        messages.success(self.request, "荣誉已删除。")


class TeamCreate(TeamMixin, ScopedCreateView):
    form_class = TeamForm
    title = "新增文体团队"
    success_message = "团队已保存。"

    def save_service(self, form: ModelForm) -> Team:
        return services.team_save(team=form.instance, user=self.request.user)


class TeamUpdate(TeamMixin, ScopedUpdateView):
    form_class = TeamForm
    title = "编辑文体团队"
    success_message = "团队已保存。"

    def save_service(self, form: ModelForm) -> Team:
        return services.team_save(team=form.instance, user=self.request.user)


class TeamDelete(TeamMixin, ScopedDeleteView):
    title = "删除文体团队"
    delete_service = services.team_delete

    def blockers(self, obj: Team) -> list[str]:
        return services.team_delete_blockers(obj)


# ---------------------------------------------------------------- persons


class PersonScopeMixin:
    """Persons belong to a street; a cadre sees those linked to their community."""

    model = Person
    scope_via = "street"
    request: HttpRequest
    editable = False

    def get_scoped_queryset(self) -> QuerySet:
        user = self.request.user
        persons = (
            selectors.editable_persons(user) if self.editable else selectors.visible_persons(user)
        )
        return persons.select_related("street")


class PersonList(PersonScopeMixin, ScopedListView):
    template_name = "teams/person_list.html"
    table_class = PersonTable
    filterset_class = PersonFilter
    title = "人员"
    create_url_name = "teams:person_create"

    def link_flags(self) -> dict[str, Any]:
        return selectors.person_link_flags(scope.visible_communities(self.request.user))

    def filtered_rows(self) -> QuerySet:
        # The Excel export: every row needs its flags, which the database computes best
        # for the whole list at once.
        return super().filtered_rows().annotate(**self.link_flags())

    def annotate_page(self, records: list[Person]) -> None:
        # On screen only the page's 25 persons need their flags: asked for those ids, the
        # database looks each up by index. Annotated over the whole list it hashes every
        # certificate and cadre of the district first (≈50 ms for a district's operator).
        flags = self.link_flags()
        rows = (
            Person.objects.filter(pk__in=[r.pk for r in records])
            .annotate(**flags)
            .values_list("pk", *flags)
        )
        found = {pk: values for pk, *values in rows}
        for record in records:
            for name, value in zip(flags, found.get(record.pk, ()), strict=False):
                setattr(record, name, value)

    def can_create(self) -> bool:
        return selectors.can_create_persons(self.request.user)


class PersonMixin(RecordUrls, PersonScopeMixin):
    url_names = "teams:person_"


class PersonDetail(PersonMixin, ScopedDetailView):
    template_name = "teams/person_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        p = self.object
        communities = scope.visible_communities(self.request.user)
        context["rows"] = [
            ("街道", p.street),
            ("性别", p.gender),
            ("出生年份", p.birth_year),
            ("联系电话", mask_phone(p.phone)),  # PIPL: revealed only through privacy
        ]
        context["memberships"] = p.team_memberships.filter(
            team__community__in=communities
        ).select_related("team", "team__community")
        context["volunteer"] = Volunteer.objects.filter(person=p, community__in=communities).first()
        context["certificates"] = p.certificates.filter(community__in=communities).select_related(
            "community"
        )
        context["cadre_posts"] = p.cadre_posts.filter(community__in=communities).select_related(
            "community"
        )
        return context


class PersonCreate(PersonMixin, ScopedCreateView):
    form_class = PersonForm
    title = "新增人员"
    success_message = "人员已保存。"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated and not selectors.can_create_persons(request.user):
            raise PermissionDenied("社区管理员请在团队花名册、志愿者、指导员或干部页面登记人员。")
        return super().dispatch(request, *args, **kwargs)

    def save_service(self, form: ModelForm) -> Person:
        return services.person_save(person=form.instance, user=self.request.user)


class PersonUpdate(PersonMixin, ScopedUpdateView):
    form_class = PersonForm
    title = "编辑人员"
    success_message = "人员已保存。"

    def save_service(self, form: ModelForm) -> Person:
        return services.person_save(person=form.instance, user=self.request.user)


class PersonDelete(PersonMixin, ScopedDeleteView):
    title = "删除人员"
    delete_service = services.person_delete

    def blockers(self, obj: Person) -> list[str]:
        return services.person_delete_blockers(obj)


# ---------------------------------------------------------------- volunteers


class VolunteerList(ScopedListView):
    model = Volunteer
    table_class = VolunteerTable
    filterset_class = VolunteerFilter
    list_select_related = ("community", "person")
    title = "文体志愿者"
    create_url_name = "teams:volunteer_create"


class VolunteerMixin(RecordUrls):
    model = Volunteer
    object_select_related = ("community", "community__street", "person")
    url_names = "teams:volunteer_"


class VolunteerDetail(VolunteerMixin, ActionDetailView):
    template_name = "teams/volunteer_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        v = self.object
        context["rows"] = [
            ("社区", v.community),
            ("人员编号", v.person.code),
            ("性别", v.person.gender),
            ("联系电话", mask_phone(v.person.phone)),
            ("注册日期", v.registered_on),
            ("退出日期", v.left_on),
            ("服务时长(小时)", v.service_hours),
        ]
        context["person_url"] = reverse("teams:person_detail", args=[v.person_id])
        return context


class VolunteerCreate(VolunteerMixin, ScopedCreateView):
    form_class = VolunteerForm
    title = "登记文体志愿者"
    success_message = "志愿者已登记。"

    def save_service(self, form: VolunteerForm) -> Volunteer:
        return services.volunteer_register(
            volunteer=form.instance, user=self.request.user, person=form.person_data()
        )


class VolunteerUpdate(VolunteerMixin, ScopedUpdateView):
    form_class = VolunteerForm
    title = "编辑文体志愿者"
    success_message = "志愿者已保存。"

    def save_service(self, form: ModelForm) -> Volunteer:
        return services.volunteer_save(volunteer=form.instance, user=self.request.user)


class VolunteerDelete(VolunteerMixin, ScopedDeleteView):
    title = "删除文体志愿者"
    delete_service = services.volunteer_delete

    def blockers(self, obj: Volunteer) -> list[str]:
        return services.volunteer_delete_blockers(obj)


# ---------------------------------------------------------------- instructors' certificates


class CertificateList(ScopedListView):
    model = Certificate
    table_class = CertificateTable
    filterset_class = CertificateFilter
    list_select_related = ("community", "person")
    title = "社会体育指导员"
    create_url_name = "teams:certificate_create"


class CertificateMixin(RecordUrls):
    model = Certificate
    object_select_related = ("community", "community__street", "person")
    url_names = "teams:certificate_"


class CertificateDetail(CertificateMixin, ScopedDetailView):
    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        c = self.object
        context["rows"] = [
            ("社区", c.community),
            ("人员", c.person),
            ("联系电话", mask_phone(c.person.phone)),
            ("等级", c.level),
            ("证书编号", c.number),
            ("指导项目", c.sport),
            ("发证日期", c.issued_on),
            ("失效日期", c.expires_on),
            ("今日有效", "有效" if selectors.certificate_valid_at(c, today()) else "无效"),
        ]
        return context


class CertificateCreate(CertificateMixin, ScopedCreateView):
    form_class = CertificateForm
    title = "登记指导员证书"
    success_message = "证书已登记。"

    def save_service(self, form: CertificateForm) -> Certificate:
        return services.certificate_save(
            certificate=form.instance, user=self.request.user, person=form.person_data()
        )


class CertificateUpdate(CertificateMixin, ScopedUpdateView):
    form_class = CertificateForm
    title = "编辑指导员证书"
    success_message = "证书已保存。"

    def save_service(self, form: ModelForm) -> Certificate:
        return services.certificate_save(certificate=form.instance, user=self.request.user)


class CertificateDelete(CertificateMixin, ScopedDeleteView):
    title = "删除指导员证书"
    delete_service = services.certificate_delete


# ---------------------------------------------------------------- cadres


class CadreList(ScopedListView):
    model = Cadre
    table_class = CadreTable
    filterset_class = CadreFilter
    list_select_related = ("community", "person")
    list_prefetch_related = (Prefetch("person__certificates"),)
    title = "文体干部"
    create_url_name = "teams:cadre_create"


class CadreMixin(RecordUrls):
    model = Cadre
    object_select_related = ("community", "community__street", "person")
    url_names = "teams:cadre_"


class CadreDetail(CadreMixin, ScopedDetailView):
    template_name = "teams/cadre_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        c = self.object
        certificates = list(
            c.person.certificates.select_related("community").order_by("-issued_on")
        )
        deadline = selectors.cadre_deadline(c, certificates, today())
        context["rows"] = [
            ("社区", c.community),
            ("人员", c.person),
            ("联系电话", mask_phone(c.person.phone)),
            ("职务", c.post),
            ("任职日期", c.appointed_on),
            ("离任日期", c.left_on),
            ("持证期限", deadline.label),
        ]
        context["deadline"] = deadline
        context["certificates"] = [
            (cert, selectors.certificate_valid_at(cert, today())) for cert in certificates
        ]
        return context


class CadreCreate(CadreMixin, ScopedCreateView):
    form_class = CadreForm
    title = "登记文体干部"
    success_message = "干部已登记。"

    def save_service(self, form: CadreForm) -> Cadre:
        return services.cadre_save(
            cadre=form.instance, user=self.request.user, person=form.person_data()
        )


class CadreUpdate(CadreMixin, ScopedUpdateView):
    form_class = CadreForm
    title = "编辑文体干部"
    success_message = "干部已保存。"

    def save_service(self, form: ModelForm) -> Cadre:
        return services.cadre_save(cadre=form.instance, user=self.request.user)


class CadreDelete(CadreMixin, ScopedDeleteView):
    title = "删除文体干部"
    delete_service = services.cadre_delete
