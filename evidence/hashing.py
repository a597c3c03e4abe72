"""What a photo's fingerprint is and how two fingerprints compare: plain functions.

A fingerprint holds perceptual hashes (imagehash's pHash, 64 bits) of the whole photo and
of six crops of it (the centre at 90 % and 80 %, and the four corners at 90 %). Two photos
match when the whole of one is within MATCH_DISTANCE bits of the whole or of a crop of the
other: a re-saved, resized or cropped copy of a photo lands on one of the stored crops.
The thresholds were tuned on generated scenes (tests/evidence/test_hashing.py): 10 % crops
(centred or from a corner), re-encodes and resizes come within 2 bits, 50 different scenes
stay at 16 bits or more from each other.

The index: each 64-bit hash is cut into BANDS bands of 16 bits stored as indexed columns. If
two hashes differ in at most t bits, one of the BANDS bands differs in at most t // BANDS
bits (pigeonhole), so the candidates are the rows whose band equals one of the values within
that radius of the query's band — a few hundred index look-ups instead of a full scan.
"""

from __future__ import annotations

import datetime as dt
import itertools
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO

import imagehash
import numpy as np
from PIL import Image, ImageOps, ImageStat, UnidentifiedImageError

MATCH_DISTANCE = 10
BANDS = 4
BAND_BITS = 64 // BANDS
# Below this standard deviation of grey levels a photo is nearly one colour (a lens cap, a
# blank page): its hash says nothing, so it is not compared.
PLAIN_STDDEV = 6.0
# Decode phone photos at about this size: hashing needs 32×32, crops need some margin.
DECODE_SIZE = (512, 512)

FULL = 0
# Variant number → crop box as fractions (left, top, right, bottom) of the photo.
CROPS: dict[int, tuple[float, float, float, float]] = {
    1: (0.05, 0.05, 0.95, 0.95),
    2: (0.10, 0.10, 0.90, 0.90),
    3: (0.0, 0.0, 0.9, 0.9),
    4: (0.1, 0.0, 1.0, 0.9),
    5: (0.0, 0.1, 0.9, 1.0),
    6: (0.1, 0.1, 1.0, 1.0),
}
VARIANTS = (FULL, *CROPS)

EXIF_IFD = 0x8769
DATETIME_ORIGINAL, DATETIME_DIGITIZED, DATETIME = 36867, 36868, 306
MODEL, MAKE = 272, 271


@dataclass(frozen=True)
class Fingerprint:
    width: int
    height: int
    hashes: dict[int, int]  # variant → unsigned 64-bit pHash; empty for a plain photo
    taken_at: dt.datetime | None
    camera: str

    @property
    def plain(self) -> bool:
        return not self.hashes


class Unreadable(Exception):
    """The file is not an image Pillow can decode."""


def fingerprint(fh: IO[bytes]) -> Fingerprint:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(fh) as im:
                width, height = im.size
                exif = im.getexif()
                im.draft("RGB", DECODE_SIZE)
                upright = ImageOps.exif_transpose(im).convert("RGB")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise Unreadable from None
    return Fingerprint(
        width=width,
        height=height,
        hashes=photo_hashes(upright),
        taken_at=exif_taken_at(exif),
        camera=exif_camera(exif),
    )


def photo_hashes(image: Image.Image) -> dict[int, int]:
    """pHash of the photo and of its crops, or {} for a photo of nearly one colour."""
    if ImageStat.Stat(image.convert("L")).stddev[0] < PLAIN_STDDEV:
        return {}
    w, h = image.size
    hashes = {FULL: _phash(image)}
    for variant, (left, top, right, bottom) in CROPS.items():
        box = (round(w * left), round(h * top), round(w * right), round(h * bottom))
        hashes[variant] = _phash(image.crop(box))
    return hashes


def _phash(image: Image.Image) -> int:
    bits = imagehash.phash(image).hash.flatten()
    return int("".join("1" if b else "0" for b in bits), 2)


# ------------------------------------------------------------------ EXIF


def exif_taken_at(exif: Image.Exif) -> dt.datetime | None:
    """The capture time the camera wrote (naive, the camera's clock), or None."""
    sub = exif.get_ifd(EXIF_IFD)
    for value in (sub.get(DATETIME_ORIGINAL), sub.get(DATETIME_DIGITIZED), exif.get(DATETIME)):
        parsed = parse_exif_datetime(value)
        if parsed is not None:
            return parsed
    return None


def parse_exif_datetime(value: object) -> dt.datetime | None:
    if isinstance(value, bytes):
        value = value.decode("ascii", "ignore")
    if not isinstance(value, str):
        return None
    text = value.strip().rstrip("\x00")
    for pattern in ("%Y:%m:%d %H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y:%m:%d %H:%M"):
        try:
            parsed = dt.datetime.strptime(text[:19], pattern)
        except ValueError:
            continue
        return parsed if parsed.year >= 1990 else None
    return None


def exif_camera(exif: Image.Exif) -> str:
    make = str(exif.get(MAKE) or "").strip().rstrip("\x00")
    model = str(exif.get(MODEL) or "").strip().rstrip("\x00")
    if make and model.lower().startswith(make.lower()):
        make = ""
    return " ".join(p for p in (make, model) if p)[:100]


def days_off(taken_at: dt.datetime | None, activity_date: dt.date) -> int | None:
    """Whole days between capture and activity (positive: taken after), None if unknown."""
    if taken_at is None:
        return None
    return (taken_at.date() - activity_date).days


def date_is_off(taken_at: dt.datetime | None, activity_date: dt.date, tolerance: int) -> bool:
    """More than `tolerance` days away; a photo without a capture date is never off."""
    off = days_off(taken_at, activity_date)
    return off is not None and abs(off) > tolerance


# ------------------------------------------------------------------ comparing


def hamming(a: int, b: int) -> int:
    return (a ^ b).bit_count()


def distance(new: dict[int, int], old: dict[int, int]) -> int | None:
    """Bits between two photos: the whole of one against the whole or a crop of the other."""
    if FULL not in new or FULL not in old:
        return None
    return min(
        min(hamming(new[FULL], h) for h in old.values()),
        min(hamming(h, old[FULL]) for h in new.values()),
    )


def bands(value: int) -> list[int]:
    """The BANDS 16-bit bands of a 64-bit hash, most significant first."""
    mask = (1 << BAND_BITS) - 1
    return [(value >> (BAND_BITS * (BANDS - 1 - i))) & mask for i in range(BANDS)]


def band_radius(threshold: int = MATCH_DISTANCE) -> int:
    return threshold // BANDS


def near(value: int, radius: int, bits: int = BAND_BITS) -> Iterator[int]:
    """Every `bits`-bit value within `radius` bits of `value`."""
    for r in range(radius + 1):
        for positions in itertools.combinations(range(bits), r):
            flipped = value
            for p in positions:
                flipped ^= 1 << p
            yield flipped


def band_candidates(values: Iterable[int], threshold: int = MATCH_DISTANCE) -> list[set[int]]:
    """For each band, the band values a stored hash must have (in one band at least) to be
    within `threshold` of one of `values`."""
    radius = band_radius(threshold)
    wanted: list[set[int]] = [set() for _ in range(BANDS)]
    for value in values:
        for i, band in enumerate(bands(value)):
            wanted[i].update(near(band, radius))
    return wanted


def to_signed(value: int) -> int:
    """A 64-bit unsigned hash as the signed integer a BIGINT column stores."""
    return value - (1 << 64) if value >= 1 << 63 else value


def to_unsigned(value: int) -> int:
    return value + (1 << 64) if value < 0 else value


def hamming_matrix(query: np.ndarray, stored: np.ndarray) -> np.ndarray:
    """Bits between each query hash and each stored hash (uint64 arrays): the full scan."""
    x = np.bitwise_xor(query[:, None], stored[None, :])
    return np.bitwise_count(x)
