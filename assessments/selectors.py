"""Reads of the assessment pages, all through communities.scope.

A run is visible to users of its street; inside it, each user sees only the results of the
communities in their scope (a cadre: their own). The records behind a number (evidence) are
fetched by their stored ids and scoped again, so a page never shows a row outside the scope.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.db.models import F, Q, QuerySet
from django.urls import reverse

from communities import scope

from .models import CommunityResult, ManualScore, Run, Scheme

if TYPE_CHECKING:
    from communities.scope import User


def runs_for(user: User) -> QuerySet[Run]:
    return scope.scope(
        Run.objects.select_related("street", "created_by", "finalised_by"), user, via="street"
    ).order_by("street__name", "-year", "-version")


def run_or_404(user: User, pk: int) -> Run:
    return scope.get_for_user_or_404(
        Run.objects.select_related("street", "created_by", "finalised_by", "scheme"),
        user,
        via="street",
        pk=pk,
    )


def results_for(run: Run, user: User) -> QuerySet[CommunityResult]:
    return scope.scope(run.results.all(), user).order_by(
        F("rank").asc(nulls_last=True), "community_name"
    )


def result_or_404(user: User, pk: int) -> CommunityResult:
    return scope.get_for_user_or_404(
        CommunityResult.objects.select_related("run", "run__street", "community"), user, pk=pk
    )


def schemes_for(user: User) -> QuerySet[Scheme]:
    return scope.scope(Scheme.objects.select_related("street"), user, via="street").order_by(
        "street__name", "-year", "district_scheme"
    )


def scheme_or_404(user: User, pk: int) -> Scheme:
    return scope.get_for_user_or_404(
        Scheme.objects.select_related("street"), user, via="street", pk=pk
    )


# --- evidence --------------------------------------------------------------------------------


def _d(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


Column = tuple[str, Callable[[Any], str]]


@dataclass(frozen=True)
class EvidenceSpec:
    title: str
    columns: tuple[Column, ...]
    select_related: tuple[str, ...] = ()
    # Records credited to a community without belonging to it (文化走亲 partners).
    extra_scope: Callable[[QuerySet, Any], Q] | None = None
    link: Callable[[Any], str] | None = None


def _five(a: Any) -> str:
    slots = (
        ("计划", a.has_plan),
        ("安排", a.has_arrangement),
        ("资料", a.has_material),
        ("影像", a.has_image),
        ("总结", a.has_summary),
    )
    missing = [name for name, ok in slots if not ok]
    return "齐全" if not missing else "缺" + "、".join(missing)


def _partner_scope(qs: QuerySet, user: User) -> Q:
    return Q(partner_links__community__in=scope.visible_communities(user))


def _activity_link(a: Any) -> str:
    try:
        return reverse("activities:detail", args=[a.pk])
    except Exception:  # the activities pages are optional for this page
        return ""


EVIDENCE: dict[str, EvidenceSpec] = {
    "facilities.facility": EvidenceSpec(
        "文体设施",
        (
            ("设施名称", lambda o: o.name),
            ("设施类型", lambda o: o.kind),
            ("面积(平方米)", lambda o: _d(o.area)),
            ("数量(套)", lambda o: _d(o.sets)),
            ("状态", lambda o: o.status),
            ("启用日期", lambda o: _d(o.opened_on)),
            ("产权", lambda o: o.ownership),
            ("免费开放", lambda o: _d(o.free_open)),
        ),
    ),
    "teams.team": EvidenceSpec(
        "文体团队",
        (
            ("团队名称", lambda o: o.name),
            ("类别", lambda o: o.category),
            ("成立日期", lambda o: _d(o.founded_on)),
            ("解散日期", lambda o: _d(o.dissolved_on)),
        ),
    ),
    "teams.volunteer": EvidenceSpec(
        "文体志愿者",
        (
            ("人员编号", lambda o: o.person.code),
            ("姓名", lambda o: o.person.name),
            ("注册日期", lambda o: _d(o.registered_on)),
            ("退出日期", lambda o: _d(o.left_on)),
        ),
        ("person",),
    ),
    "teams.certificate": EvidenceSpec(
        "社会体育指导员证书",
        (
            ("人员编号", lambda o: o.person.code),
            ("姓名", lambda o: o.person.name),
            ("等级", lambda o: o.level),
            ("证书编号", lambda o: o.number),
            ("发证日期", lambda o: _d(o.issued_on)),
            ("失效日期", lambda o: _d(o.expires_on)),
        ),
        ("person",),
    ),
    "teams.cadre": EvidenceSpec(
        "文体干部",
        (
            ("人员编号", lambda o: o.person.code),
            ("姓名", lambda o: o.person.name),
            ("职务", lambda o: o.post),
            ("任职日期", lambda o: _d(o.appointed_on)),
            ("离任日期", lambda o: _d(o.left_on)),
        ),
        ("person",),
    ),
    "activities.activity": EvidenceSpec(
        "文体活动",
        (
            ("活动名称", lambda o: o.name),
            ("主办社区", lambda o: o.community.name),
            ("活动日期", lambda o: _d(o.date)),
            ("类别", lambda o: o.category),
            ("规模", lambda o: _d(o.scale)),
            ("文化走亲", lambda o: _d(o.is_exchange)),
            ("审核状态", lambda o: o.get_status_display()),
            ("五有", _five),
        ),
        ("community",),
        _partner_scope,
        _activity_link,
    ),
    "activities.brand": EvidenceSpec(
        "品牌项目",
        (
            ("品牌名称", lambda o: o.name),
            ("类别", lambda o: o.category),
            ("认定年度", lambda o: _d(o.recognised_year)),
            ("撤销年度", lambda o: _d(o.revoked_year)),
        ),
    ),
    "communities.starrating": EvidenceSpec(
        "星级评定",
        (
            ("年度", lambda o: _d(o.year)),
            ("星级", lambda o: _d(o.stars)),
            ("评定单位", lambda o: _d(o.rated_by)),
        ),
    ),
    "communities.award": EvidenceSpec(
        "获奖",
        (
            ("年度", lambda o: _d(o.year)),
            ("获奖名称", lambda o: o.name),
            ("级别", lambda o: o.level),
        ),
    ),
    "communities.deduction": EvidenceSpec(
        "扣分",
        (
            ("年度", lambda o: _d(o.year)),
            ("事项", lambda o: o.item),
            ("扣分", lambda o: _d(o.points)),
            ("一票否决", lambda o: _d(o.veto)),
        ),
    ),
    "assessments.manualscore": EvidenceSpec(
        "人工评分",
        (
            ("自评分", lambda o: _d(o.self_score)),
            ("自评说明", lambda o: _d(o.self_note)),
            ("考评分", lambda o: _d(o.assessor_score)),
            ("考评等级", lambda o: _d(o.letter_grade)),
            ("考评意见", lambda o: _d(o.assessor_note)),
            ("区县考评分", lambda o: _d(o.district_score)),
            ("区县考评等级", lambda o: _d(o.district_letter)),
            ("区县考评意见", lambda o: _d(o.district_note)),
        ),
    ),
}

# Secondary id lists a metric keeps in IndicatorResult.detail, and how they are titled.
PART_TITLES = {"excellent_ids": "其中优秀团队", "lacking_ids": "未达标的记录"}


@dataclass
class EvidenceTable:
    title: str
    headers: list[str]
    rows: list[tuple[list[str], str]]  # (cells, link)
    stored: int  # ids stored in the run
    gone: int  # of those, records no longer there (or not in the user's scope)


def evidence_table(user: User, model_label: str, ids: list[int]) -> EvidenceTable | None:
    """The records behind a number, as they are now, limited to the user's scope."""
    spec = EVIDENCE.get(model_label)
    if spec is None:
        return None
    model = apps.get_model(model_label)
    qs = model._default_manager.filter(pk__in=ids).select_related(*spec.select_related)
    visible = Q(community__in=scope.visible_communities(user))
    if spec.extra_scope is not None:
        visible |= spec.extra_scope(qs, user)
    if not (user.is_authenticated and user.is_superuser):
        qs = qs.filter(visible)
    objects = list(qs.distinct().order_by("pk"))
    rows = [([fn(o) for _, fn in spec.columns], spec.link(o) if spec.link else "") for o in objects]
    return EvidenceTable(
        spec.title, [h for h, _ in spec.columns], rows, len(ids), len(ids) - len(objects)
    )


def manual_scores_for(scheme: Scheme, user: User) -> dict[tuple[int, int], ManualScore]:
    qs = scope.scope(ManualScore.objects.filter(indicator__scheme=scheme), user)
    return {(m.indicator_id, m.community_id): m for m in qs}
