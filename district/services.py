"""Writes of the district: publishing the year's scheme (check the user, validate, then
write in one transaction). A published scheme is frozen (assessments/published.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from assessments import default_scheme
from assessments.published import PublishedScheme
from assessments.scheme import SchemeSpec
from communities import scope
from communities.models import District, Street

if TYPE_CHECKING:
    from communities.scope import User

DEFAULT_SOURCE = "default"


def source_choices(district: District, year: int) -> list[tuple[str, str]]:
    """What a district may publish: the default 双百分 scheme, or the scheme of Y a street
    of the district uses (its own, else its latest earlier, else the default)."""
    streets = Street.objects.filter(district=district).order_by("name")
    return [
        (DEFAULT_SOURCE, "默认“双百分”方案"),
        *((str(s.pk), f"{s.name}的{year}年方案") for s in streets),
    ]


def publish_scheme(*, user: User, district: District, year: int, source: str) -> PublishedScheme:
    if not (
        scope.can_administer_district(user)
        and scope.visible_districts(user).filter(pk=district.pk).exists()
    ):
        raise PermissionDenied("只有本区县的区县管理员可以发布考核方案。")
    if PublishedScheme.objects.filter(district=district, year=year).exists():
        raise ValidationError(f"{district}已发布{year}年的考核方案，发布后不能更改。")
    if source == DEFAULT_SOURCE:
        data = {**default_scheme.DEFAULT_SCHEME}
        label = "默认“双百分”方案"
    else:
        street = (
            Street.objects.filter(district=district, pk=int(source)).first()
            if source.isdigit()
            else None
        )
        if street is None:
            raise ValidationError("请选择默认方案或本区县一个街道的方案。")
        data = default_scheme.data_for(street, year)
        label = f"{street.name}的{year}年方案"
    name = f"{district.name}{year}年统一方案"
    snapshot = SchemeSpec.of({**data, "name": name, "year": year}).as_data()
    with transaction.atomic():
        return PublishedScheme.objects.create(
            district=district, year=year, name=name, data=snapshot, source=label, published_by=user
        )


def published(district: District, year: int) -> PublishedScheme | None:
    return PublishedScheme.objects.filter(district=district, year=year).first()
