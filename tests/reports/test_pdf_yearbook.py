"""文化活动年鉴: verified activities by community and month, with small photos."""

import datetime as dt
import io
import re

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from activities.models import ActivityStatus, ArchiveFile, ArchiveSlot
from facilities.models import FacilityKind
from reports import yearbook
from tests import factories as f

from .pdf_util import Y, noisy_jpeg, pdf_images, pdf_text, squash

pytestmark = pytest.mark.django_db


def attach(activity, data: bytes, *, slot=ArchiveSlot.IMAGE, content_type="image/jpeg"):
    record = ArchiveFile(
        activity=activity,
        slot=slot,
        original_name="现场照片.jpg",
        content_type=content_type,
        size=len(data),
    )
    record.file.save("photo.jpg", ContentFile(data), save=True)
    return record


def test_yearbook_lists_the_years_verified_activities_by_community_and_month(cast):
    hall = f.FacilityFactory(community=cast.a1, name="甲一文化家园", kind=FacilityKind.CULTURE_ROOM)
    brand = f.BrandFactory(community=cast.a1, name="甲一腰鼓")
    show = f.ActivityFactory(
        community=cast.a1,
        name="元旦迎新联欢会",
        date=dt.date(Y, 1, 3),
        form="文艺演出",
        scale="大型",
        participants=587,
        location=hall,
        brand=brand,
    )
    f.ActivityPartnerFactory(activity=show, community=cast.a2)
    f.ActivityFactory(
        community=cast.a1, name="重阳登高健步走", date=dt.date(Y, 10, 3), category="体育"
    )
    f.ActivityFactory(community=cast.a2, name="甲二书法展", date=dt.date(Y, 3, 8))
    f.ActivityFactory(community=cast.a1, name="待审核的活动", status=ActivityStatus.PENDING)
    f.ActivityFactory(community=cast.a1, name="草稿活动", status=ActivityStatus.DRAFT)
    f.ActivityFactory(community=cast.a1, name="去年的活动", date=dt.date(Y - 1, 12, 31))
    f.ActivityFactory(community=cast.b1, name="乙街道的活动")

    flat = squash(pdf_text(yearbook.yearbook_pdf(street=cast.street_a, year=Y)))

    assert "甲街道" in flat and "2014年文化活动年鉴" in flat
    assert "收录2014年经街道审核的文体活动3次" in flat
    for text in (
        "2014-01-03元旦迎新联欢会",
        "类别文化",
        "形式文艺演出",
        "规模大型",
        "参与587人",
        "地点甲一文化家园",
        "品牌甲一腰鼓",
        "文化走亲甲二社区",
        "1月（1次）",
        "10月（1次）",
        "重阳登高健步走",
        "3月（1次）",
        "甲二书法展",
    ):
        assert text in flat, text
    for absent in ("待审核的活动", "草稿活动", "去年的活动", "乙街道的活动"):
        assert absent not in flat
    # Table of contents: per community culture, sports, total, participants, photos, page.
    assert re.search(r"甲一社区1126670\d+甲二社区", flat)
    assert flat.index("元旦迎新联欢会") < flat.index("重阳登高健步走") < flat.index("甲二书法展")


def test_a_big_photo_is_embedded_scaled_down(cast):
    activity = f.ActivityFactory(community=cast.a1, name="广场舞大赛")
    photo = noisy_jpeg((3000, 2000))
    attach(activity, b"%PDF-1.4 not an image", slot=ArchiveSlot.IMAGE, content_type="image/png")
    attach(activity, photo)
    attach(
        f.ActivityFactory(community=cast.a1, name="只有总结的活动"), photo, slot=ArchiveSlot.SUMMARY
    )

    data = yearbook.yearbook_pdf(street=cast.street_a, year=Y)

    assert len(photo) > 4_000_000
    assert len(data) < len(photo) / 4
    images = pdf_images(data)
    assert len(images) == 1  # the unreadable file is skipped, a summary is not a photo
    width, height = images[0]
    assert width == 800 and height == 533


def test_downscale_keeps_small_photos_small_and_refuses_non_images():
    buffer = io.BytesIO()
    Image.new("RGBA", (400, 300), (0, 128, 0, 128)).save(buffer, "PNG")
    photo = yearbook.downscale(io.BytesIO(buffer.getvalue()))
    assert (photo.width, photo.height) == (400, 300)
    assert photo.data_uri.startswith("data:image/jpeg;base64,")
    portrait = yearbook.downscale(io.BytesIO(noisy_jpeg((1000, 3000), quality=60)))
    assert (portrait.width, portrait.height) == (267, 800)
    assert yearbook.downscale(io.BytesIO(b"not an image")) is None


def test_a_partial_yearbook_holds_only_the_given_communities(cast):
    f.ActivityFactory(community=cast.a1, name="甲一的活动")
    f.ActivityFactory(community=cast.a2, name="甲二的活动")
    book = yearbook.build_yearbook(cast.street_a, Y, [cast.a1, cast.b1])
    assert [c.name for c in book.communities] == ["甲一社区"]  # b1 is another street's
    assert book.filename == "甲街道2014年文化活动年鉴（甲一社区）.pdf"
    flat = squash(pdf_text(yearbook.render(book)))
    assert "甲一的活动" in flat and "甲二的活动" not in flat and "甲二社区" not in flat


def test_building_the_yearbook_takes_the_same_queries_for_more_activities(cast):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            yearbook.build_yearbook(cast.street_a, Y)
        return len(queries)

    f.ActivityFactory(community=cast.a1)
    few = count()
    for i in range(6):
        a = f.ActivityFactory(community=cast.a2, date=dt.date(Y, 1 + i, 2))
        f.ActivityPartnerFactory(activity=a, community=cast.a1)
    assert count() == few <= 5
