"""文化活动年鉴 (seed 002): the year's verified activities by community and month, with a
photo each where the activity's 影像 archive holds one.

Photos are scaled down with Pillow to at most PHOTO_BOX and re-encoded as JPEG before they
go into the PDF as data URIs: a phone photo of several MB becomes some 50–100 KB, and the
yearbook of a street stays small enough to mail.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import groupby

from django.db.models import Prefetch
from PIL import Image, ImageOps

from activities.models import Activity, ActivityPartner, ActivityStatus, ArchiveFile, ArchiveSlot
from communities.models import Community, Street
from delivery.models import Order, OrderStatus

from .pdf import render_pdf

PHOTO_BOX = (800, 800)  # px: the largest photo embedded; a printed photo is ~70 mm wide
PHOTO_QUALITY = 75
DESCRIPTION_MAX = 160  # characters of the activity's description kept in the yearbook


@dataclass(frozen=True)
class Photo:
    data_uri: str
    width: int
    height: int
    size: int  # bytes of the embedded JPEG


@dataclass(frozen=True)
class Entry:
    date: dt.date
    name: str
    category: str
    form: str
    scale: str
    participants: int | None
    place: str
    brand: str
    partners: str
    description: str
    photo: Photo | None


@dataclass(frozen=True)
class Month:
    month: int
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class Delivery:
    """One 已配送 order of the community's year (delivery/): what the street centre sent."""

    date: dt.date
    title: str
    kind: str
    provider: str
    quantity: int
    audience: int | None


@dataclass(frozen=True)
class CommunityBook:
    community_id: int
    name: str
    months: tuple[Month, ...]
    deliveries: tuple[Delivery, ...] = ()

    @property
    def anchor(self) -> str:
        return f"c{self.community_id}"

    @property
    def entries(self) -> list[Entry]:
        return [e for m in self.months for e in m.entries]

    @property
    def count(self) -> int:
        return len(self.entries)

    def count_of(self, category: str) -> int:
        return sum(1 for e in self.entries if e.category == category)

    @property
    def culture(self) -> int:
        return self.count_of("文化")

    @property
    def sports(self) -> int:
        return self.count_of("体育")

    @property
    def participants(self) -> int:
        return sum(e.participants or 0 for e in self.entries)

    @property
    def photos(self) -> int:
        return sum(1 for e in self.entries if e.photo)


@dataclass
class Yearbook:
    street: str
    year: int
    communities: list[CommunityBook]
    part: str = ""  # the communities of a partial yearbook (a cadre's own), else ""
    totals: dict[str, int] = field(default_factory=dict)

    @property
    def title(self) -> str:
        return f"{self.year}年文化活动年鉴"

    @property
    def filename(self) -> str:
        part = f"（{self.part}）" if self.part else ""
        return f"{self.street}{self.year}年文化活动年鉴{part}.pdf"


def downscale(fh: io.BufferedIOBase) -> Photo | None:
    """A JPEG of at most PHOTO_BOX pixels, or None when the file is not a readable image."""
    try:
        with Image.open(fh) as im:
            im.draft("RGB", PHOTO_BOX)  # JPEG: decode at a reduced scale, much faster
            small = ImageOps.exif_transpose(im)
            small.thumbnail(PHOTO_BOX)
            if small.mode in ("RGBA", "LA", "P"):
                small = small.convert("RGBA")
                flat = Image.new("RGB", small.size, "white")
                flat.paste(small, mask=small.getchannel("A"))
                small = flat
            elif small.mode != "RGB":
                small = small.convert("RGB")
            buffer = io.BytesIO()
            small.save(buffer, "JPEG", quality=PHOTO_QUALITY, optimize=True)
    except (OSError, ValueError, Image.DecompressionBombError):
        return None
    data = buffer.getvalue()
    return Photo(
        "data:image/jpeg;base64," + base64.b64encode(data).decode("ascii"),
        small.width,
        small.height,
        len(data),
    )


def _photo(activity: Activity) -> Photo | None:
    for record in activity.images:
        try:
            with record.file.open("rb") as fh:
                photo = downscale(fh)
        except OSError:  # the file is gone from storage: print the entry without it
            continue
        if photo is not None:
            return photo
    return None


def _entry(a: Activity) -> Entry:
    description = " ".join(a.description.split())
    if len(description) > DESCRIPTION_MAX:
        description = description[: DESCRIPTION_MAX - 1] + "…"
    return Entry(
        date=a.date,
        name=a.name,
        category=a.category,
        form=a.form,
        scale=a.scale,
        participants=a.participants,
        place=a.location.name if a.location else "",
        brand=a.brand.name if a.brand else "",
        partners="、".join(link.community.name for link in a.partner_links.all()),
        description=description,
        photo=_photo(a),
    )


def verified_activities(communities: Iterable[Community], year: int) -> list[Activity]:
    """The year's verified activities with what the yearbook prints: three queries."""
    images = ArchiveFile.objects.filter(
        slot=ArchiveSlot.IMAGE, content_type__startswith="image/"
    ).order_by("uploaded_at", "pk")
    return list(
        Activity.objects.filter(
            community__in=list(communities),
            status=ActivityStatus.VERIFIED,
            date__gte=dt.date(year, 1, 1),
            date__lte=dt.date(year, 12, 31),
        )
        .select_related("location", "brand")
        .prefetch_related(
            Prefetch("files", queryset=images, to_attr="images"),
            Prefetch(
                "partner_links",
                queryset=ActivityPartner.objects.select_related("community").order_by(
                    "community__name"
                ),
            ),
        )
        .order_by("community_id", "date", "name", "pk")
    )


def delivered_orders(communities: Iterable[Community], year: int) -> dict[int, list[Delivery]]:
    """The year's 已配送 orders of the communities (the old 配送 log among them), by community."""
    rows = (
        Order.objects.filter(
            community__in=list(communities), year=year, status=OrderStatus.DELIVERED
        )
        .select_related("product__provider")
        .order_by("community_id", "scheduled_date", "pk")
    )
    out: dict[int, list[Delivery]] = {}
    for o in rows:
        out.setdefault(o.community_id, []).append(
            Delivery(
                o.date,
                o.product.title,
                o.product.kind,
                o.product.provider.name,
                o.quantity,
                o.audience,
            )
        )
    return out


def build_yearbook(
    street: Street, year: int, communities: Iterable[Community] | None = None
) -> Yearbook:
    every = list(Community.objects.filter(street=street).order_by("name", "pk"))
    if communities is None:
        chosen = every
    else:
        wanted = {c.pk for c in communities}
        chosen = [c for c in every if c.pk in wanted]
    by_community = {
        cid: list(rows)
        for cid, rows in groupby(verified_activities(chosen, year), key=lambda a: a.community_id)
    }
    deliveries = delivered_orders(chosen, year)
    books = []
    for c in chosen:
        entries = [_entry(a) for a in by_community.get(c.pk, [])]
        months = tuple(
            Month(m, tuple(rows)) for m, rows in groupby(entries, key=lambda e: e.date.month)
        )
        books.append(CommunityBook(c.pk, c.name, months, tuple(deliveries.get(c.pk, ()))))
    book = Yearbook(
        street=street.name,
        year=year,
        communities=books,
        part="、".join(c.name for c in chosen) if len(chosen) < len(every) else "",
    )
    book.totals = {
        "count": sum(b.count for b in books),
        "culture": sum(b.culture for b in books),
        "sports": sum(b.sports for b in books),
        "participants": sum(b.participants for b in books),
        "photos": sum(b.photos for b in books),
    }
    return book


def render(book: Yearbook) -> bytes:
    return render_pdf("reports/pdf/yearbook.html", {"book": book})


def yearbook_pdf(
    *, street: Street, year: int, communities: Iterable[Community] | None = None
) -> bytes:
    """文化活动年鉴 of the street's year (or of the given communities of the street)."""
    return render(build_yearbook(street, year, communities))
