"""The demo district's 考评: the demo street's own scheme of the year gets two manual items
(MANUAL: one scored in points, one in letters A–D), the district publishes the year's scheme
from it, and every community of the district is scored on them, so that each has a grade:
the demo street's communities carry the community's 自评 and the street's 考评, its first
COMMUNITIES the district's 考评 (区县考评) beside them; the district's other streets (with no
street assessors in the demo) are scored by the district alone.

    demo_scores.load(street, as_of)   # called by district.demo_data.load

Everything goes through the real services (assessments.scheme_edits, district.services.
publish_scheme, assessments.manual); idempotent: a published year is kept, a row already scored by the
district keeps the scores it has (each scorer's part is written once). The year is as_of.year (the year in progress).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db import transaction

from assessments import manual, scheme_edits
from assessments.default_scheme import ensure_scheme
from assessments.models import Card, Indicator, ManualScore, Scheme
from communities.models import Community, Membership, Role, Street

from . import services

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# (code, name, points, letter-graded): qualitative items as district schemes have them
MANUAL = (
    ("M1", "社区文化品牌特色与群众口碑", Decimal("4"), False),
    ("M2", "文体活动台账规范程度", Decimal("2"), True),
)
ITEMS = len(MANUAL)  # manual items scored
COMMUNITIES = 3  # communities of the demo street the district scores too
# (自评, 街道考评, 区县考评) as shares of the item's points, per community: the district is the
# strictest reader, as in the white papers; letters for letter-graded items.
SHARES = (
    (Decimal("0.95"), Decimal("0.90"), Decimal("0.85")),
    (Decimal("0.90"), Decimal("0.80"), Decimal("0.70")),
    (Decimal("0.80"), Decimal("0.70"), Decimal("0.60")),
)
LETTERS = (("A", "A"), ("B", "B"), ("B", "C"))  # (街道, 区县)
NOTES = (
    "台账齐全，活动照片与签到表对应。",
    "台账基本齐全，部分活动缺少签到表。",
    "佐证材料不全，请补充活动照片。",
)


def _member(street: Street | None, role: str, district_id: int | None = None) -> User | None:
    rows = Membership.objects.filter(role=role, user__is_active=True)
    rows = rows.filter(district_id=district_id) if district_id else rows.filter(street=street)
    m = rows.select_related("user").order_by("pk").first()
    return m.user if m else None


def _points(share: Decimal, points: Decimal) -> Decimal:
    return (points * share).quantize(Decimal("0.01"))


def load(street: Street, as_of: dt.date) -> None:
    district = street.district
    year = as_of.year
    assessor = _member(None, Role.DISTRICT_ADMIN, district.pk if district else None)
    staff = _member(street, Role.STREET_STAFF)
    admin = _member(street, Role.STREET_ADMIN)
    if district is None or assessor is None or staff is None or admin is None:
        raise ValueError(f"{street}没有区县管理员或街道管理员、工作人员，无法写入演示考评。")
    codes = [code for code, *_ in MANUAL]
    with transaction.atomic():
        if services.published(district, year) is None:
            _manual_items(scheme_edits.scheme_ensure(street=street, year=year, user=admin), admin)
            services.publish_scheme(
                user=assessor, district=district, year=year, source=str(street.pk)
            )
        for other in Street.objects.filter(district=district).order_by("name"):
            scheme = ensure_scheme(other, year)  # the street's copy of the published scheme
            items = Indicator.objects.filter(scheme=scheme, is_manual=True, code__in=codes)
            communities = Community.objects.filter(street=other).order_by("name")
            for indicator in items:
                for n, community in enumerate(communities):
                    own = other.pk == street.pk
                    _score(
                        indicator,
                        community,
                        n,
                        staff if own else None,
                        assessor if not own or n < COMMUNITIES else None,
                    )


def _manual_items(scheme: Scheme, admin: User) -> None:
    """The MANUAL items on the street's own scheme (on its first card), those missing."""
    card = Card.objects.filter(scheme=scheme).order_by("order", "pk").first()
    for code, name, points, letters in MANUAL:
        if not Indicator.objects.filter(scheme=scheme, code=code).exists():
            scheme_edits.manual_indicator_add(
                scheme=scheme,
                user=admin,
                card=card,
                code=code,
                name=name,
                points=points,
                letter_grades=letters,
            )


def _score(
    indicator: Indicator,
    community: Community,
    n: int,
    staff: User | None,
    assessor: User | None,
) -> None:
    """自评 and 街道考评 when `staff` (the demo street's), 区县考评 when `assessor`: each
    only when not entered yet."""
    ms = ManualScore.objects.filter(indicator=indicator, community=community).first()
    own, street_share, district_share = SHARES[n % len(SHARES)]
    if staff is not None and (ms is None or ms.self_at is None):
        cadre = (
            Membership.objects.filter(role=Role.COMMUNITY_ADMIN, community=community)
            .select_related("user")
            .order_by("pk")
            .first()
        )
        manual.manual_self_score(
            indicator=indicator,
            community=community,
            user=cadre.user if cadre else staff,
            score=_points(own, indicator.points),
            note="按考核细则逐项自查。",
        )
    street_letter, district_letter = LETTERS[n % len(LETTERS)]
    letters = indicator.letter_grades
    # 街道考评 by the street's staff, then 区县考评 by the district's assessor (both kept)
    for k, (assess, user, share, letter, done) in enumerate(
        (
            (manual.manual_assess, staff, street_share, street_letter, ms and ms.scored_at),
            (
                manual.manual_district_assess,
                assessor,
                district_share,
                district_letter,
                ms and ms.district_at,
            ),
        )
    ):
        if user is None or done:
            continue
        assess(
            indicator=indicator,
            community=community,
            user=user,
            score=None if letters else _points(share, indicator.points),
            letter=letter if letters else "",
            note=NOTES[(n + k) % len(NOTES)],
        )
