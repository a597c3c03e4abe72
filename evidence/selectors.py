"""Reads of the photo check, each already narrowed to what the user may see.

Scope rule: street users see both photos and both activities of a reused pair; a community
cadre sees the other side only when it is in their own community — for another community's
activity they learn that a match exists there, not where, what or whose.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet

from activities.models import Activity, ActivityStatus, ArchiveFile
from communities import scope
from communities.models import Community, Street

from .models import FingerprintRun, FlagKind, PhotoFlag

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    User = AbstractBaseUser | AnonymousUser


@dataclass(frozen=True)
class FlagView:
    flag: PhotoFlag
    # Whether the reader may see the other photo and its activity (always, for a date flag).
    other_visible: bool

    @property
    def is_reuse(self) -> bool:
        return self.flag.kind == FlagKind.REUSE

    @property
    def other_elsewhere(self) -> bool:
        """The match is in another community than this activity's."""
        f = self.flag
        return bool(f.other_activity and f.other_activity.community_id != f.activity.community_id)


@dataclass
class ActivityFlags:
    flags: list[FlagView]
    unfingerprinted: int = 0  # photos still waiting for the background job
    no_date: int = 0  # fingerprinted photos without an EXIF capture date (noted, not flagged)

    @property
    def open(self) -> list[FlagView]:
        return [v for v in self.flags if not v.flag.explained]


def flags_of(activity: Activity, user: User) -> ActivityFlags:
    """The activity's flags for this reader (the caller has checked they see the activity).

    One query when the activity has no flag (the usual case), two or three when it has."""
    counts = ArchiveFile.objects.filter(activity=activity, content_type__startswith="image/")
    counts = counts.aggregate(
        total=Count("pk", distinct=True),
        done=Count("fingerprint", distinct=True),
        no_date=Count(
            "fingerprint",
            filter=Q(fingerprint__taken_at__isnull=True, fingerprint__status="ok"),
            distinct=True,
        ),
        flags=Count("photo_flags", distinct=True),
    )
    result = ActivityFlags(
        flags=[], unfingerprinted=counts["total"] - counts["done"], no_date=counts["no_date"]
    )
    if not counts["flags"]:
        return result
    flags = list(
        PhotoFlag.objects.filter(activity=activity)
        .select_related(
            "activity__community",
            "photo__fingerprint",
            "other",
            "other_activity__community",
            "explained_by",
        )
        .order_by("explained", "kind", "photo_id", "pk")
    )
    street_user = scope.is_street_user(user)
    own = set()
    if not street_user and any(f.other_activity_id for f in flags):
        own = set(scope.visible_communities(user).values_list("pk", flat=True))
    result.flags = [
        FlagView(
            flag=f,
            other_visible=f.other_activity is None
            or street_user
            or f.other_activity.community_id in own,
        )
        for f in flags
    ]
    return result


@dataclass(frozen=True)
class PendingFlagged:
    activity: Activity
    reuse: int
    date: int


def pending_flagged(user: User, limit: int = 50) -> list[PendingFlagged]:
    """待审核 activities the verifier may act on that have unexplained flags (one query)."""
    # Only activities that have such a flag are grouped: counting the flags of every pending
    # activity of a city (150,000) took 380 ms for the handful that have one.
    open_flags = PhotoFlag.objects.filter(
        explained=False, kind__in=[FlagKind.REUSE, FlagKind.DATE]
    ).values("activity_id")
    activities = scope.scope(
        Activity.objects.filter(status=ActivityStatus.PENDING, pk__in=open_flags),
        user,
        editable=True,
    )
    rows = (
        activities.annotate(
            reuse=Count(
                "photo_flags",
                filter=Q(photo_flags__kind=FlagKind.REUSE, photo_flags__explained=False),
            ),
            date_off=Count(
                "photo_flags",
                filter=Q(photo_flags__kind=FlagKind.DATE, photo_flags__explained=False),
            ),
        )
        .filter(Q(reuse__gt=0) | Q(date_off__gt=0))
        .select_related("community")
        .order_by("date", "pk")[:limit]
    )
    return [PendingFlagged(a, a.reuse, a.date_off) for a in rows]


@dataclass
class CommunityCounts:
    community: Community
    flagged: int = 0  # photos with at least one flag
    explained: int = 0  # of which every flag is explained
    reused: int = 0  # photos flagged as reused
    misdated: int = 0  # photos flagged for their date

    @property
    def open(self) -> int:
        return self.flagged - self.explained


def flag_counts(
    communities: QuerySet[Community] | list[Community], year: int | None = None
) -> list[CommunityCounts]:
    """Per community (in the given order): photos flagged and photos explained, for the
    activities of `year` (every year when None). One query over the flags."""
    communities = list(communities)
    flags = PhotoFlag.objects.filter(activity__community__in=[c.pk for c in communities])
    if year is not None:
        flags = flags.filter(activity__date__year=year)
    per_photo: dict[tuple[int, int], dict[str, int]] = defaultdict(
        lambda: {"open": 0, "reuse": 0, "date": 0}
    )
    rows = flags.values("activity__community_id", "photo_id").annotate(
        open=Count("pk", filter=Q(explained=False)),
        reuse=Count("pk", filter=Q(kind=FlagKind.REUSE)),
        date=Count("pk", filter=Q(kind=FlagKind.DATE)),
    )
    for row in rows:
        per_photo[(row["activity__community_id"], row["photo_id"])] = row
    result = {c.pk: CommunityCounts(community=c) for c in communities}
    for (community_id, _), row in per_photo.items():
        counts = result[community_id]
        counts.flagged += 1
        counts.explained += row["open"] == 0
        counts.reused += row["reuse"] > 0
        counts.misdated += row["date"] > 0
    return list(result.values())


def street_flag_counts(
    street: Street, year: int | None = None, communities: list[Community] | None = None
) -> list[CommunityCounts]:
    """flag_counts of the street's communities by name (`communities`: the caller has them)."""
    if communities is None:
        communities = list(Community.objects.filter(street=street).order_by("name"))
    return flag_counts(communities, year)


def reuse_flags() -> QuerySet[PhotoFlag]:
    """Every reuse flag with what the report shows (scope it with communities.scope)."""
    return PhotoFlag.objects.filter(kind=FlagKind.REUSE).select_related(
        "activity__community", "photo", "other_activity__community", "explained_by"
    )


def latest_run() -> FingerprintRun | None:
    return FingerprintRun.objects.first()
