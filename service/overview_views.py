"""Pages that read service: the community's volunteer home, star levels and progress,
inactive volunteers, instructors, and the register of certificates with its number check."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from communities import scope
from communities.models import Community
from portal.export import xlsx_response
from teams.models import Volunteer

from . import instructors as instructor_rows
from . import rules, selectors
from .forms import PeriodForm, year_period
from .models import Approval, EntryKind, ServiceCertificate, ServiceEntry


def _year(request: HttpRequest, today: dt.date) -> int:
    raw = request.GET.get("year", "")
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else today.year


def _community(request: HttpRequest) -> Community | None:
    raw = request.GET.get("community", "")
    if not raw.isdigit():
        return None
    return scope.visible_communities(request.user).filter(pk=int(raw)).first()


def _volunteers(request: HttpRequest, year: int) -> QuerySet[Volunteer]:
    rows = scope.scope(Volunteer.objects.all(), request.user)
    if community := _community(request):
        rows = rows.filter(community=community)
    return selectors.with_hours(rows, year).order_by("community__name", "person__code")


def _total(v: Volunteer) -> Decimal:
    return v.verified + v.makeup + v.opening


# ------------------------------------------------------------------ star levels


@login_required
def levels(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    year = _year(request, today)
    rows = []
    for v in _volunteers(request, year):
        total = _total(v)
        star = selectors.star_of(total)
        before = selectors.star_of(v.hours_before_year)
        rows.append((v, total, star, star.level > before.level))
    wanted = request.GET.get("show", "")
    shown = [r for r in rows if r[3]] if wanted == "new" else rows
    if request.GET.get("export") == "xlsx":
        data: list[list[Any]] = [
            [
                "社区",
                "人员编号",
                "姓名",
                "活动服务(小时)",
                "补录(小时)",
                "期初时长(小时)",
                "合计(小时)",
                "待审核(小时)",
                "星级",
                "距下一星级(小时)",
                f"{year}年新晋星级",
            ]
        ]
        data += [
            [
                v.community.name,
                v.person.code,
                v.person.name,
                v.verified,
                v.makeup,
                v.opening,
                total,
                v.pending,
                star.name,
                star.to_next,
                "是" if new else "",
            ]
            for v, total, star, new in shown
        ]
        return xlsx_response(data, title="志愿者星级")
    names = ("未评星", "一星", "二星", "三星", "四星", "五星")
    distribution = [(n, sum(1 for r in rows if r[2].level == i)) for i, n in enumerate(names)]
    context = {
        "rows": shown,
        "year": year,
        "show": wanted,
        "distribution": distribution,
        "thresholds": settings.SERVICE_STAR_HOURS,
        "new_count": sum(1 for r in rows if r[3]),
        "can_issue": scope.can_edit_anything(request.user),
        "period_form": PeriodForm(
            prefix="c", initial=dict(zip(("start", "end"), year_period(year, today), strict=True))
        ),
        "communities": scope.visible_communities(request.user).order_by("name"),
        "community": _community(request),
    }
    return render(request, "service/levels.html", context)


@login_required
def inactive(request: HttpRequest) -> HttpResponse:
    """Volunteers in office with no service (activity or make-up) in the past 12 months."""
    today = timezone.localdate()
    since = _months_before(today, settings.SERVICE_INACTIVE_MONTHS)
    rows = [
        v
        for v in selectors.active_on(_volunteers(request, today.year), today)
        if v.last_service is None or v.last_service < since
    ]
    if request.GET.get("export") == "xlsx":
        data: list[list[Any]] = [
            ["社区", "人员编号", "姓名", "注册日期", "最近服务日期", "累计时长(小时)"]
        ]
        data += [
            [
                v.community.name,
                v.person.code,
                v.person.name,
                v.registered_on,
                v.last_service,
                _total(v),
            ]
            for v in rows
        ]
        return xlsx_response(data, title="不活跃志愿者")
    context = {
        "rows": [(v, _total(v)) for v in rows],
        "since": since,
        "communities": scope.visible_communities(request.user).order_by("name"),
        "community": _community(request),
    }
    return render(request, "service/inactive.html", context)


def _months_before(day: dt.date, months: int) -> dt.date:
    y, m = divmod(day.year * 12 + day.month - 1 - months, 12)
    return dt.date(y, m + 1, min(day.day, 28))


# ------------------------------------------------------------------ instructors


@login_required
def instructors(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    year = _year(request, today)
    communities = scope.visible_communities(request.user)
    if community := _community(request):
        communities = communities.filter(pk=community.pk)
    report = instructor_rows.report(communities, year, today)
    if request.GET.get("export") == "xlsx":
        data: list[list[Any]] = [
            [
                "社区",
                "人员编号",
                "姓名",
                "等级",
                "证书编号",
                "发证日期",
                "失效日期",
                f"{year}年服务次数",
                "近12个月服务次数",
                "证书状态",
                "可申报晋升",
            ]
        ]
        data += [
            [
                r.certificate.community.name,
                r.certificate.person.code,
                r.certificate.person.name,
                r.certificate.level,
                r.certificate.number,
                r.certificate.issued_on,
                r.certificate.expires_on,
                r.services_year,
                r.services_past_year,
                r.expiry,
                "是" if r.due else "",
            ]
            for r in report
        ]
        return xlsx_response(data, title="社会体育指导员服务")
    context = {
        "rows": report,
        "year": year,
        "due_count": sum(1 for r in report if r.due),
        "expiring_count": sum(1 for r in report if r.expiry == instructor_rows.EXPIRING),
        "expired_count": sum(1 for r in report if r.expiry == instructor_rows.EXPIRED),
        "promotion_years": settings.SERVICE_PROMOTION_YEARS,
        "min_services": settings.SERVICE_PROMOTION_MIN_SERVICES,
        "warning_days": settings.SERVICE_EXPIRY_WARNING_DAYS,
        "communities": scope.visible_communities(request.user).order_by("name"),
        "community": _community(request),
    }
    return render(request, "service/instructors.html", context)


# ------------------------------------------------------------------ the volunteer home page


@login_required
def home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    if not scope.visible_communities(request.user).exists():
        raise PermissionDenied("您没有可查看的社区。")
    volunteers = list(_volunteers(request, today.year))
    entries = scope.scope(ServiceEntry.objects.all(), request.user)
    if community := _community(request):
        entries = entries.filter(community=community)
    month = (
        entries.filter(date__year=today.year, date__month=today.month)
        .exclude(kind=EntryKind.OPENING)
        .exclude(approval=Approval.REFUSED)
        .select_related("person", "activity", "community")
        .order_by("-date", "person__code")
    )
    top = sorted(volunteers, key=lambda v: v.year_hours, reverse=True)[:10]
    context = {
        "today": today,
        "month": month,
        "month_people": len({e.person_id for e in month}),
        "year_hours": sum((v.year_hours for v in volunteers), Decimal(0)),
        "last_year_hours": sum((v.last_year_hours for v in volunteers), Decimal(0)),
        "top": [v for v in top if v.year_hours > 0],
        "pending_makeups": entries.filter(kind=EntryKind.MAKEUP, approval=Approval.PENDING).count(),
        "pending_hours": sum((v.pending for v in volunteers), Decimal(0)),
        "volunteer_count": len(volunteers),
        "communities": scope.visible_communities(request.user).order_by("name"),
        "community": community,
    }
    return render(request, "service/home.html", context)


# ------------------------------------------------------------------ certificates


def _certificates(request: HttpRequest) -> QuerySet[ServiceCertificate]:
    return scope.scope(ServiceCertificate.objects.all(), request.user).select_related(
        "person", "community", "issued_by"
    )


@login_required
def certificates(request: HttpRequest) -> HttpResponse:
    rows = _certificates(request).order_by("-issued_at")
    if request.GET.get("export") == "xlsx":
        data: list[list[Any]] = [
            [
                "证明编号",
                "社区",
                "人员编号",
                "姓名",
                "起始日期",
                "截止日期",
                "已认证时长(小时)",
                "开具日期",
                "开具人",
            ]
        ]
        data += [
            [
                c.number,
                c.community.name,
                c.person.code,
                c.person.name,
                c.period_start,
                c.period_end,
                c.total_hours,
                c.issued_on,
                c.issued_by.get_username(),
            ]
            for c in rows
        ]
        return xlsx_response(data, title="志愿服务记录证明登记")
    return render(request, "service/certificates.html", {"rows": rows})


@login_required
def certificate(request: HttpRequest, pk: int) -> HttpResponse:
    cert = scope.get_for_user_or_404(_certificates(request), request.user, pk=pk)
    return render(request, "service/certificate.html", {"cert": cert})


@login_required
def check(request: HttpRequest) -> HttpResponse:
    """Street staff check a number printed on a certificate and see what was certified."""
    if not scope.is_street_user(request.user):
        raise PermissionDenied("只有街道工作人员可以核验证明编号。")
    number = request.GET.get("number", "").strip().upper()[:30]
    found = _certificates(request).filter(number=number).first() if number else None
    street = scope.visible_streets(request.user).order_by("pk").first()
    # The placeholder shows what this street's numbers look like this year.
    example = rules.certificate_number(street.pk if street else 1, timezone.localdate().year, 1)
    return render(
        request, "service/check.html", {"number": number, "cert": found, "example": example}
    )
