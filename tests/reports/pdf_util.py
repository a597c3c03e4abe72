"""Helpers for the PDF tests: records that score, runs, and reading a PDF back with poppler."""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import subprocess
import tempfile
from decimal import Decimal

from PIL import Image

from activities.models import ActivityCategory
from assessments import services
from facilities.models import FacilityKind
from tests import factories as f
from tests.assessments.conftest import full_marks

Y = 2014


def some_marks(community, population: int = 5000) -> None:
    """A community far from the targets: a small room, three culture activities, a deduction."""
    f.PopulationFactory(community=community, year=Y, residents=population)
    f.FacilityFactory(community=community, kind=FacilityKind.CULTURE_ROOM, area=Decimal("100"))
    for i in range(3):
        f.ActivityFactory(
            community=community,
            category=ActivityCategory.CULTURE,
            date=dt.date(Y, 4 + i, 10),
            name=f"{community.name}群众文艺活动{i + 1}",
        )
    f.DeductionFactory(community=community, year=Y, points=Decimal("1.5"))


def scored_street(cast, *, finalise: bool = True):
    """a1 at full marks, a2 far behind; a stored (and by default finalised) 2014 run."""
    full_marks(cast.a1)
    some_marks(cast.a2)
    run = services.run_assessment(street=cast.street_a, year=Y, user=cast.street_staff)
    if finalise:
        run = services.finalise_run(run=run, user=cast.street_admin)
    return run


def squash(text: str) -> str:
    """pdftotext -layout pads table cells with spaces; compare without them."""
    return re.sub(r"\s+", "", text)


def pdf_text(data: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode("utf-8")


def pdf_pages(data: bytes) -> int:
    info = subprocess.run(
        ["pdfinfo", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def pdf_fonts(data: bytes) -> list[list[str]]:
    """pdffonts rows (name, type…, emb, sub, uni, …) of a PDF given as bytes."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as tmp:
        tmp.write(data)
        tmp.flush()
        out = subprocess.run(
            ["pdffonts", tmp.name], capture_output=True, check=True
        ).stdout.decode()
    return [line.split() for line in out.splitlines()[2:] if line.strip()]


def pdf_images(data: bytes) -> list[tuple[int, int]]:
    """(width, height) of every raster image embedded in a PDF (pdfimages -list)."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as tmp:
        tmp.write(data)
        tmp.flush()
        out = subprocess.run(
            ["pdfimages", "-list", tmp.name], capture_output=True, check=True
        ).stdout.decode()
    rows = [line.split() for line in out.splitlines()[2:] if line.strip()]
    return [(int(r[3]), int(r[4])) for r in rows if r[2] == "image"]


def noisy_jpeg(size: tuple[int, int] = (3000, 2000), quality: int = 92) -> bytes:
    """A photo-sized JPEG that does not compress well (random noise), like a phone photo."""
    w, h = size
    im = Image.frombytes("RGB", (w, h), os.urandom(w * h * 3))
    buffer = io.BytesIO()
    im.save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()
