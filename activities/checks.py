"""The validation rules of activities (registered with checks.registry at start-up).

The checks are plain functions of an ActivitySubject; `subject_of_form` and `collect` build
subjects from a form's input and from a period's stored activities.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from checks.registry import ERROR, WARNING, Rule, Setting, number, register, register_collector

from .models import Activity, ActivityScale, ActivityStatus, ArchiveSlot

# An activity sent for verification or verified is held to the full 五有 archive.
VERIFICATION_LEVEL = (ActivityStatus.PENDING, ActivityStatus.VERIFIED)


@dataclass(frozen=True)
class ActivitySubject:
    name: str
    date: dt.date | None
    scale: str = ""
    participants: int | None = None
    archive: frozenset[str] = frozenset()  # the 五有 slots present (file or paper)
    for_verification: bool = False
    same_day_names: tuple[str, ...] = field(default=())  # the community's other activities


def future_date(s: ActivitySubject, setting: Setting, today: dt.date) -> str | None:
    if s.date and s.date > today:
        return f"活动日期 {s.date:%Y-%m-%d} 晚于今天；尚未举办的活动请在举办后再录入。"
    return None


def scale_participants(s: ActivitySubject, setting: Setting, today: dt.date) -> str | None:
    """中型 needs at least `low` participants, 大型 at least `high`; 小型 stays under `high`."""
    if not s.scale:
        return None
    if s.participants is None:
        return f"规模为{s.scale}，但未填写参与人数。"
    medium, large = setting.low, setting.high
    n = Decimal(s.participants)
    if s.scale == ActivityScale.LARGE and large is not None and n < large:
        return f"规模为大型，参与人数 {s.participants} 人少于大型活动的 {number(large)} 人。"
    if s.scale == ActivityScale.MEDIUM and medium is not None and n < medium:
        return f"规模为中型，参与人数 {s.participants} 人少于中型活动的 {number(medium)} 人。"
    if s.scale == ActivityScale.SMALL and large is not None and n >= large:
        return (
            f"规模为小型，参与人数却有 {s.participants} 人，已达到大型活动的 {number(large)} 人。"
        )
    return None


def archive_missing(s: ActivitySubject, setting: Setting, today: dt.date) -> str | None:
    if not s.for_verification:
        return None
    missing = [slot.label for slot in ArchiveSlot if slot.value not in s.archive]
    if missing:
        return f"提交审核或已审核的活动“五有”档案不全，缺少：{'、'.join(missing)}。"
    return None


def normalised(name: str) -> str:
    """A name as compared for duplicates: full-width folded, no spaces or punctuation."""
    folded = unicodedata.normalize("NFKC", name).lower()
    return "".join(ch for ch in folded if unicodedata.category(ch)[0] not in "PZS")


def same_day_duplicate(s: ActivitySubject, setting: Setting, today: dt.date) -> str | None:
    mine = normalised(s.name)
    twin = next((other for other in s.same_day_names if normalised(other) == mine), None)
    if mine and twin is not None:
        return f"本社区同一天已有名称相同的活动“{twin}”，请确认不是重复录入。"
    return None


register(
    Rule(
        "activity_future_date",
        "activity",
        "活动日期在未来",
        "活动日期晚于今天。",
        future_date,
        severity=ERROR,
    ),
    Rule(
        "activity_scale_participants",
        "activity",
        "参与人数与规模不符",
        "填写了规模的活动，参与人数须与规模相符：中型不少于下限，大型不少于上限，"
        "小型少于上限；填写了规模却未填参与人数也算不符。",
        scale_participants,
        severity=WARNING,
        low_label="中型活动最少人数",
        high_label="大型活动最少人数",
        low=Decimal(50),
        high=Decimal(200),
    ),
    Rule(
        "activity_archive_missing",
        "activity",
        "提交审核的活动“五有”档案不全",
        "提交审核或已审核的活动，计划、安排、资料、影像、总结五类档案须齐全（上传文件或勾选纸质档案）。",
        archive_missing,
        severity=WARNING,
        # Off until the street switches it on: A10 counts partial archives as they are, and
        # many communities submit first and complete the archive before verification.
        enabled=False,
    ),
    Rule(
        "activity_same_day_name",
        "activity",
        "同一社区同一天有同名活动",
        "同一社区在同一天有名称相同的两项活动（忽略空格、标点和全角半角的差别）。",
        same_day_duplicate,
        severity=WARNING,
    ),
)


def archive_of(values: Any, uploads: dict[str, list] | None = None) -> frozenset[str]:
    """The 五有 slots present: the paper flag set, or a file (new or already stored)."""
    uploads = uploads or {}
    return frozenset(
        slot
        for slot in ArchiveSlot.values
        if getattr(values, Activity.archive_field(slot), False) or uploads.get(slot)
    )


def same_day_names(community_id: int, date: dt.date | None, exclude_pk: int | None) -> tuple:
    if not date:
        return ()
    names = Activity.objects.filter(community_id=community_id, date=date)
    if exclude_pk:
        names = names.exclude(pk=exclude_pk)
    return tuple(names.values_list("name", flat=True))


def collect(community_id: int, start: dt.date, end: dt.date) -> Iterable[tuple[str, str, Any]]:
    """The community's activities of [start, end] as subjects: one query."""
    rows = list(
        Activity.objects.filter(community_id=community_id, date__gte=start, date__lte=end)
        .order_by("date", "pk")
        .only(
            "pk",
            "name",
            "date",
            "scale",
            "participants",
            "status",
            *(Activity.archive_field(s) for s in ArchiveSlot.values),
        )
    )
    by_day: dict[dt.date, list[Activity]] = defaultdict(list)
    for a in rows:
        by_day[a.date].append(a)
    for a in rows:
        subject = ActivitySubject(
            name=a.name,
            date=a.date,
            scale=a.scale,
            participants=a.participants,
            archive=archive_of(a),
            for_verification=a.status in VERIFICATION_LEVEL,
            # Only the ones entered before it: a pair of twins is one finding, on the later.
            same_day_names=tuple(o.name for o in by_day[a.date] if o.pk < a.pk),
        )
        yield f"活动：{a}", a.get_absolute_url(), subject


def subject_of(activity: Activity) -> ActivitySubject:
    """A stored activity as a subject (for the checker's page): one query for its day."""
    return ActivitySubject(
        name=activity.name,
        date=activity.date,
        scale=activity.scale,
        participants=activity.participants,
        archive=archive_of(activity),
        for_verification=activity.status in VERIFICATION_LEVEL,
        same_day_names=same_day_names(activity.community_id, activity.date, activity.pk),
    )


register_collector("activity", collect)
