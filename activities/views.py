"""Pages of 活动 (record, 五有 files, workflow, 待审核), 品牌 and 配送.

Every record is fetched through communities.scope: out of scope is 404. Writes go through
activities.services; a refusal there (wrong state, locked, no reason) comes back as a
Chinese message on the page the user came from.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from PIL import Image, ImageOps

from checks.registry import Finding, evaluate
from checks.selectors import settings_for
from communities import scope
from communities.pages import ScopedCreateView, ScopedDetailView, ScopedListView, ScopedUpdateView
from portal.dates import today
from portal.pages import add_errors
from portal.tables import related_count
from security_log.models import Event
from security_log.services import record as log_event

from . import checks as activity_checks
from . import services
from .filters import ActivityFilter, BrandFilter, QueueFilter
from .forms import FORM_SUGGESTIONS, ActivityForm, BrandForm, ReasonForm
from .models import (
    Activity,
    ActivityStatus,
    ActivityTransition,
    ArchiveFile,
    ArchiveSlot,
    Brand,
    waiting_since,
)
from .tables import ActivityTable, BrandTable, QueueTable, status_badge

S = ActivityStatus
THUMB_SIZE = (480, 480)


def _errors(error: ValidationError | PermissionDenied) -> list[str]:
    if isinstance(error, ValidationError):
        return error.messages
    return [str(error) or "您没有权限执行此操作。"]


def _next_url(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _activity_or_404(request: HttpRequest, pk: int) -> Activity:
    return scope.get_for_user_or_404(
        Activity.objects.select_related("community", "community__street"), request.user, pk=pk
    )


# ------------------------------------------------------------------ list and detail


class ActivityList(ScopedListView):
    model = Activity
    table_class = ActivityTable
    filterset_class = ActivityFilter
    list_select_related = ("community",)
    title = "文体活动"
    create_url_name = "activities:create"
    template_name = "activities/activity_list.html"


class VerificationQueue(ScopedListView):
    """待审核 across the verifier's communities, the longest waiting first."""

    model = Activity
    table_class = QueueTable
    filterset_class = QueueFilter
    list_select_related = ("community",)
    title = "待审核活动"
    template_name = "activities/queue.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.user.is_authenticated and not scope.can_verify(request.user):
            raise PermissionDenied("只有街道工作人员可以审核活动。")
        return super().dispatch(request, *args, **kwargs)

    def get_base_queryset(self) -> QuerySet:
        return Activity.objects.filter(status=S.PENDING).annotate(waiting_since=waiting_since())

    def get_scoped_queryset(self) -> QuerySet:
        return scope.scope(self.get_base_queryset(), self.request.user, editable=True)


@login_required
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = scope.get_for_user_or_404(
        Activity.objects.select_related(
            "community", "location", "brand", "created_by"
        ).prefetch_related(
            "teams",
            "partners",
            Prefetch("files", queryset=ArchiveFile.objects.order_by("uploaded_at", "pk")),
            Prefetch(
                "transitions",
                queryset=ActivityTransition.objects.select_related("by").order_by("at", "pk"),
            ),
        ),
        request.user,
        pk=pk,
    )
    user = request.user
    may_edit_community = scope.can_edit_community(user, activity.community_id)
    verifier = scope.can_verify(user) and may_edit_community
    edit_error = services.content_edit_error(user, activity, may_edit_community=may_edit_community)
    files = list(activity.files.all())
    slots = [
        {
            "slot": slot,
            "marked": getattr(activity, Activity.archive_field(slot.value)),
            "files": [f for f in files if f.slot == slot.value],
        }
        for slot in ArchiveSlot
    ]
    context = {
        "activity": activity,
        "status_badge": status_badge(activity),
        "slots": slots,
        "transitions": list(activity.transitions.all()),
        "can_edit": edit_error is None,
        "edit_error": edit_error if may_edit_community else None,
        "can_submit": may_edit_community and activity.status in (S.DRAFT, S.RETURNED),
        "can_review": verifier and activity.status == S.PENDING,
        "can_reopen": verifier and activity.status == S.VERIFIED,
        "reason_form": ReasonForm(),
        # What the validation rules find, computed live, for whoever verifies it.
        "rule_findings": _rule_findings(activity) if verifier else [],
    }
    return render(request, "activities/activity_detail.html", context)


def _rule_findings(activity: Activity) -> list[Finding]:
    settings_ = settings_for(activity.community.street_id)
    return evaluate("activity", activity_checks.subject_of(activity), settings_, today())


# ------------------------------------------------------------------ record and edit


@login_required
def activity_create(request: HttpRequest) -> HttpResponse:
    if not scope.editable_communities(request.user).exists():
        raise PermissionDenied("您没有录入活动的权限。")
    form = ActivityForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        activity = _save(
            request,
            form,
            lambda: services.activity_create(
                user=request.user, community=form.cleaned_data["community"], **form.service_kwargs()
            ),
        )
        if activity is not None:
            return HttpResponseRedirect(activity.get_absolute_url())
    return _render_form(
        request, form, title="录入活动", cancel_url=reverse("activities:list"), can_submit=True
    )


@login_required
def activity_edit(request: HttpRequest, pk: int) -> HttpResponse:
    activity = _activity_or_404(request, pk)
    error = services.content_edit_error(request.user, activity)
    if error:
        messages.error(request, error)
        return HttpResponseRedirect(activity.get_absolute_url())
    form = ActivityForm(
        request.POST or None, request.FILES or None, instance=activity, user=request.user
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = _save(
                request,
                form,
                lambda: services.activity_update(
                    activity=activity, user=request.user, **form.service_kwargs()
                ),
            )
        except PermissionDenied as error:
            # Someone verified it while the form was open.
            messages.error(request, str(error))
            return HttpResponseRedirect(activity.get_absolute_url())
        if saved is not None:
            return HttpResponseRedirect(saved.get_absolute_url())
    files = list(ArchiveFile.objects.filter(activity=activity).order_by("uploaded_at", "pk"))
    return _render_form(
        request,
        form,
        title=f"修改活动：{activity.name}",
        cancel_url=activity.get_absolute_url(),
        activity=activity,
        existing={slot: [f for f in files if f.slot == slot] for slot in ArchiveSlot.values},
        can_submit=activity.status in (S.DRAFT, S.RETURNED),
    )


def _save(
    request: HttpRequest, form: ActivityForm, write: Callable[[], Activity]
) -> Activity | None:
    """Run `write`, then submit if that button was pressed: both happen or neither does."""
    try:
        with transaction.atomic():
            activity = write()
            if "submit" in request.POST:
                activity = services.activity_submit(activity=activity, user=request.user)
    except ValidationError as error:
        add_errors(form, error)
        return None
    messages.success(request, _saved_message(activity, submitted="submit" in request.POST))
    return activity


def _render_form(request: HttpRequest, form: ActivityForm, **context: Any) -> HttpResponse:
    context.update(
        form=form,
        form_suggestions=FORM_SUGGESTIONS,
        max_upload_mb=settings.ARCHIVE_MAX_UPLOAD_SIZE // (1024 * 1024),
    )
    return render(request, "activities/activity_form.html", context)


def _saved_message(activity: Activity, *, submitted: bool) -> str:
    if submitted:
        return f"活动“{activity.name}”已保存并提交审核。"
    if activity.status == S.DRAFT:
        return f"活动“{activity.name}”已保存为草稿，尚未提交审核。"
    if activity.status == S.RETURNED:
        return f"活动“{activity.name}”已保存，尚未重新提交审核。"
    return f"活动“{activity.name}”已保存。"


# ------------------------------------------------------------------ workflow


# The workflow buttons: URL name -> (service, whether it takes a reason, what to tell the user).
TRANSITIONS: dict[str, tuple[Callable[..., Activity], bool, str]] = {
    "submit": (services.activity_submit, False, "已提交审核"),
    "verify": (services.activity_verify, False, "已审核通过"),
    "return": (services.activity_return, True, "已退回"),
    "reopen": (services.activity_reopen, True, "已重新打开，退回社区修改"),
}


@require_POST
@login_required
def activity_transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    service, takes_reason, done = TRANSITIONS[action]
    activity = _activity_or_404(request, pk)
    kwargs = {"reason": request.POST.get("reason", "")} if takes_reason else {}
    try:
        activity = service(activity=activity, user=request.user, **kwargs)
    except (ValidationError, PermissionDenied) as error:
        for message in _errors(error):
            messages.error(request, message)
    else:
        messages.success(request, f"活动“{activity.name}”{done}。")
    return HttpResponseRedirect(_next_url(request, activity.get_absolute_url()))


# ------------------------------------------------------------------ files


def _file_or_404(request: HttpRequest, pk: int) -> ArchiveFile:
    return scope.get_for_user_or_404(
        ArchiveFile.objects.select_related("activity"),
        request.user,
        via="activity__community",
        pk=pk,
    )


@login_required
def archive_file(request: HttpRequest, pk: int) -> HttpResponse:
    """Stream an archive file to a user whose scope covers its activity (else 404).

    Images open inline (and as thumbnails with ?thumb=1); anything else downloads. The
    browser is told not to guess types and not to run anything in the response.
    """
    record = _file_or_404(request, pk)
    response: HttpResponse | None = None
    if record.is_image and request.GET.get("thumb"):
        response = _thumbnail(record)
    if response is None:
        log_event(Event.DOWNLOAD, user=request.user, request=request, file="archive", pk=pk)
        response = FileResponse(
            record.file.open("rb"),
            content_type=record.content_type,
            as_attachment=not record.is_image,
            filename=record.original_name,
        )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    response["Cache-Control"] = "private, max-age=3600"
    return response


def _thumbnail(record: ArchiveFile) -> HttpResponse | None:
    # Phone photos are several MB; pages show a small JPEG made on the fly instead.
    try:
        with record.file.open("rb") as fh, Image.open(fh) as im:
            im.draft("RGB", THUMB_SIZE)
            small = ImageOps.exif_transpose(im)
            small.thumbnail(THUMB_SIZE)
            buffer = io.BytesIO()
            small.convert("RGB").save(buffer, "JPEG", quality=80)
    except (OSError, ValueError, Image.DecompressionBombError):
        return None
    return HttpResponse(buffer.getvalue(), content_type="image/jpeg")


@require_POST
@login_required
def archive_file_delete(request: HttpRequest, pk: int) -> HttpResponse:
    record = _file_or_404(request, pk)
    activity = record.activity
    try:
        activity = services.archive_detach(archive_file=record, user=request.user)
    except (ValidationError, PermissionDenied) as error:
        for message in _errors(error):
            messages.error(request, message)
    else:
        text = f"已删除文件“{record.original_name}”。"
        if not getattr(activity, Activity.archive_field(record.slot)):
            text += f"“{record.get_slot_display()}”已无文件，该项已标为缺少；如有纸质档案，请在修改页勾选。"
        messages.success(request, text)
    return HttpResponseRedirect(_next_url(request, activity.get_absolute_url()))


# ------------------------------------------------------------------ 品牌


class BrandList(ScopedListView):
    model = Brand
    table_class = BrandTable
    filterset_class = BrandFilter
    list_select_related = ("community",)
    title = "品牌项目"
    create_url_name = "activities:brand_create"
    template_name = "activities/brand_list.html"

    def get_base_queryset(self) -> QuerySet:
        return Brand.objects.annotate(activity_count=related_count(Activity, "brand"))


class BrandDetail(ScopedDetailView):
    model = Brand
    object_select_related = ("community",)
    template_name = "activities/brand_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        brand = self.object
        context["activities"] = list(
            Activity.objects.filter(brand=brand).order_by("-date", "name")[:200]
        )
        context["rows"] = [
            ("社区", brand.community),
            ("类别", brand.get_category_display()),
            ("认定年度", brand.recognised_year),
            ("认定单位", brand.recognised_by),
            ("撤销年度", brand.revoked_year),
            ("简介", brand.description),
        ]
        return context


class BrandCreate(ScopedCreateView):
    model = Brand
    form_class = BrandForm
    title = "登记品牌项目"
    cancel_url_name = "activities:brand_list"
    detail_url_name = "activities:brand_detail"
    success_message = "品牌项目已保存。"

    def save_service(self, form: BrandForm) -> Brand:
        return services.brand_create(
            user=self.request.user,
            community=form.cleaned_data["community"],
            **form.service_kwargs(),
        )


class BrandUpdate(ScopedUpdateView):
    model = Brand
    form_class = BrandForm
    object_select_related = ("community",)
    title = "修改品牌项目"
    detail_url_name = "activities:brand_detail"
    success_message = "品牌项目已保存。"

    def save_service(self, form: BrandForm) -> Brand:
        return services.brand_update(
            brand=self.object, user=self.request.user, **form.service_kwargs()
        )
