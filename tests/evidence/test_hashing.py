"""The fingerprint and its threshold, tuned on generated scenes (no database)."""

import datetime as dt
import io
import itertools
import random

import pytest
from PIL import Image

from evidence import hashing, scenes

T = hashing.MATCH_DISTANCE


def fp(image: Image.Image, **kwargs) -> hashing.Fingerprint:
    return hashing.fingerprint(io.BytesIO(scenes.jpeg(image, **kwargs)))


@pytest.fixture(scope="module")
def originals():
    return {seed: scenes.scene(seed) for seed in range(50)}


@pytest.fixture(scope="module")
def prints(originals):
    return {seed: fp(im) for seed, im in originals.items()}


def corner_crop(image: Image.Image, fraction: float = 0.10) -> Image.Image:
    w, h = image.size
    return image.crop((round(w * fraction), 0, w, round(h * (1 - fraction))))


COPIES = {
    "re-encoded (quality 40)": lambda im: scenes.reencoded(im, 40),
    "resized to 40 %": lambda im: scenes.resized(im, 0.4),
    "resized to 150 %": lambda im: scenes.resized(im, 1.5),
    "10 % cropped (centre)": scenes.cropped,
    "10 % cropped (one corner)": corner_crop,
    "cropped, resized and re-encoded": lambda im: scenes.reencoded(
        scenes.resized(scenes.cropped(im), 0.5), 50
    ),
}


@pytest.mark.parametrize("copy", list(COPIES))
def test_copies_of_a_photo_are_found(copy, originals, prints):
    distances = [
        hashing.distance(fp(COPIES[copy](originals[s])).hashes, prints[s].hashes)
        for s in range(0, 50, 5)
    ]
    assert max(distances) <= T, distances


def test_an_original_is_found_from_its_crop_either_way(originals):
    crop = fp(scenes.cropped(originals[3])).hashes
    whole = fp(originals[3]).hashes
    assert hashing.distance(crop, whole) <= T
    assert hashing.distance(whole, crop) <= T


def test_fifty_different_scenes_never_match(prints):
    distances = [
        hashing.distance(prints[a].hashes, prints[b].hashes)
        for a, b in itertools.combinations(prints, 2)
    ]
    assert len(distances) == 50 * 49 // 2
    # The margin the threshold was chosen with: the closest two scenes are 16 bits apart.
    assert min(distances) > T + 3, sorted(distances)[:5]


def test_a_plain_photo_has_no_hash_and_matches_nothing():
    flat = fp(Image.new("RGB", (400, 300), "#2e86c1"))
    assert flat.plain and flat.hashes == {}
    assert hashing.distance(flat.hashes, flat.hashes) is None


def test_exif_date_and_camera_are_read():
    data = scenes.photo(1, taken_at="2024:05:11 09:30:00")
    print_ = hashing.fingerprint(io.BytesIO(data))
    assert print_.taken_at == dt.datetime(2024, 5, 11, 9, 30)
    assert print_.camera == "HUAWEI P40"
    assert (print_.width, print_.height) == scenes.SIZE


def test_a_photo_without_exif_has_no_date():
    assert hashing.fingerprint(io.BytesIO(scenes.photo(2))).taken_at is None


def test_garbage_is_unreadable():
    with pytest.raises(hashing.Unreadable):
        hashing.fingerprint(io.BytesIO(b"not an image at all"))


@pytest.mark.parametrize(
    "value,expected",
    [
        ("2024:05:11 09:30:00", dt.datetime(2024, 5, 11, 9, 30)),
        (b"2024:05:11 09:30:00\x00", dt.datetime(2024, 5, 11, 9, 30)),
        ("0000:00:00 00:00:00", None),
        ("1970:01:01 00:00:00", None),
        ("", None),
        (None, None),
    ],
)
def test_exif_datetime_parsing(value, expected):
    assert hashing.parse_exif_datetime(value) == expected


def test_date_rule():
    day = dt.date(2024, 5, 1)
    assert hashing.date_is_off(dt.datetime(2024, 5, 11, 8), day, 3)
    assert hashing.date_is_off(dt.datetime(2024, 4, 27, 8), day, 3)
    assert not hashing.date_is_off(dt.datetime(2024, 5, 4, 23), day, 3)
    assert not hashing.date_is_off(None, day, 3)
    assert hashing.days_off(dt.datetime(2024, 4, 21), day) == -10


def test_bands_pigeonhole_finds_every_hash_within_the_threshold():
    rng = random.Random(7)
    for _ in range(300):
        a = rng.getrandbits(64)
        b = a
        for bit in rng.sample(range(64), rng.randint(0, T)):
            b ^= 1 << bit
        wanted = hashing.band_candidates([a])
        assert any(band in wanted[i] for i, band in enumerate(hashing.bands(b)))


def test_signed_storage_round_trips():
    for value in (0, 1, (1 << 63) - 1, 1 << 63, (1 << 64) - 1):
        signed = hashing.to_signed(value)
        assert -(1 << 63) <= signed < 1 << 63
        assert hashing.to_unsigned(signed) == value
