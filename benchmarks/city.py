"""The synthetic city the benchmarks run against, and the users and run they need.

`city` is the size the issue names (100 streets × 30 communities × 3 years ≈ 1.5 M
activities), grouped into 10 districts of 10 streets (issue 18: the district pages and white
paper run on one of them); `small` is the same shape with 10 streets, one district; `tiny`
is for the smoke test on SQLite. Data is generated only for the streets that do not exist
yet, so a second run on the same database starts at once; the grouping into districts
(ensure_districts) only moves the streets that are not in their district yet.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

from assessments.models import Run
from assessments.services import run_assessment
from communities.models import Community, District, Membership, Role, Street
from demo import synthetic

FIRST_YEAR = 2013
SEED = 1


@dataclass(frozen=True)
class Scale:
    name: str
    size: synthetic.Size
    runs: int  # timed runs per benchmark (the median is reported)
    steps: tuple[int, ...]  # street counts at which the assessment's queries are counted
    workbook_rows: int  # rows of the import/export benchmark workbook
    per_district: int = 10  # streets per synthetic district (合成01区 …), by street name

    @property
    def districts(self) -> int:
        return -(-self.size.streets // self.per_district)

    @property
    def year(self) -> int:
        """The year assessed: the last generated one."""
        return self.size.first_year + self.size.years - 1


SCALES = {
    "city": Scale("city", synthetic.Size(100, 30, 3, FIRST_YEAR), 5, (1, 10, 100), 100_000),
    "small": Scale("small", synthetic.Size(10, 30, 3, FIRST_YEAR), 5, (1, 10), 100_000),
    "tiny": Scale("tiny", synthetic.Size(2, 3, 1, FIRST_YEAR, 12), 2, (1, 2), 300, 2),
}


def ensure_city(scale: Scale, progress: Callable[[str], None] = print) -> float | None:
    """Generate the streets that are missing; seconds taken, or None when all were there."""
    have = Street.objects.filter(name__startswith="合成").count()
    if have >= scale.size.streets:
        return None
    started = time.perf_counter()
    synthetic.generate(scale.size, seed=SEED, progress=progress)
    return time.perf_counter() - started


def streets(n: int) -> list[Street]:
    """The first n synthetic streets (a database may hold a larger city than the scale)."""
    return list(Street.objects.filter(name__startswith="合成").order_by("name")[:n])


def ensure_districts(scale: Scale, per_district: int | None = None) -> list[District]:
    """The scale's synthetic streets in districts of `per_district` (the scale's by
    default) in name order: 合成01区 the first ones, 合成02区 the next…; idempotent (only
    streets in another district move). The districts in order."""
    per = per_district or scale.per_district
    rows = streets(scale.size.streets)
    out = []
    with transaction.atomic():
        for n in range(0, len(rows), per):
            district, _ = District.objects.get_or_create(name=f"合成{n // per + 1:02d}区")
            ids = [s.pk for s in rows[n : n + per]]
            Street.objects.filter(pk__in=ids).exclude(district=district).update(district=district)
            out.append(district)
    return out


@dataclass(frozen=True)
class Cast:
    staff: object  # street staff of the first synthetic street
    cadre: object  # community admin of its first community
    root: object  # superuser: the district's operator, who sees every street
    street: Street
    community: Community
    run: Run


def _user(username: str, **extra: object) -> object:
    user, _ = get_user_model().objects.get_or_create(username=username, defaults=extra)
    return user


def ensure_cast(scale: Scale) -> Cast:
    """The benchmark users and a stored run of the first street for the assessed year."""
    street = streets(1)[0]
    community = Community.objects.filter(street=street).order_by("name").first()
    with transaction.atomic():
        staff = _user("bench_staff")
        Membership.objects.get_or_create(
            user=staff, defaults={"role": Role.STREET_STAFF, "street": street}
        )
        cadre = _user("bench_cadre")
        Membership.objects.get_or_create(
            user=cadre,
            defaults={"role": Role.COMMUNITY_ADMIN, "street": street, "community": community},
        )
        root = _user("bench_root", is_superuser=True, is_staff=True)
    run = Run.objects.filter(street=street, year=scale.year).order_by("-version").first()
    if run is None:
        run = run_assessment(street=street, year=scale.year, user=None)
    return Cast(staff, cadre, root, street, community, run)
