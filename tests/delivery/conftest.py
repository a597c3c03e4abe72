"""A street A menu: one provider, two products of 2026, quotas, and a fixed today."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from delivery import services
from delivery.models import Product, ProductKind, ProductStatus, Provider, Quota
from portal.uploads import check_upload

TODAY = dt.date(2026, 6, 10)
YEAR = 2026


@pytest.fixture
def today(monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: TODAY)
    return TODAY


def photo(name: str = "现场.jpg"):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "#2e86c1").save(buffer, "JPEG")
    return check_upload(SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg"))


def make_product(street, provider, title="越剧专场", **fields) -> Product:
    values = {
        "kind": ProductKind.SHOW,
        "year": YEAR,
        "sessions": 3,
        "unit_price": Decimal("800"),
        "duration_minutes": 90,
        "status": ProductStatus.PUBLISHED,
    }
    values.update(fields)
    return Product.objects.create(street=street, provider=provider, title=title, **values)


@pytest.fixture
def menu(cast, today):
    provider = Provider.objects.create(
        street=cast.street_a, name="阳光艺术团", contact="王老师", phone="13800001111"
    )
    show = make_product(cast.street_a, provider)
    lecture = make_product(
        cast.street_a,
        provider,
        title="健康讲座",
        kind=ProductKind.LECTURE,
        unit_price=Decimal("300"),
    )
    for c in (cast.a1, cast.a2):
        Quota.objects.create(community=c, year=YEAR, orders=2)
    return type("Menu", (), {"provider": provider, "show": show, "lecture": lecture})


def place(cast, product, date, who=None, community=None, start=dt.time(9)):
    return services.order_place(
        user=who or cast.cadre_a1,
        community=community or cast.a1,
        product=product,
        preferred_date=date,
        preferred_start=start,
    )


@pytest.fixture
def login(db):
    """login(user): a new client signed in as `user` (several can be held at once)."""
    from django.test import Client

    def sign_in(user):
        user.save(update_fields=["password"])
        client = Client()
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return sign_in
