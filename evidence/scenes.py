"""Generated photographs for the demo, the tests and the benchmark: textured scenes.

Each seed gives a different scene: a lit background with large-scale shading, a ground
plane, a handful of shapes (people, banners, stage boxes) and fine grain, so the perceptual
hash sees structure at every scale the way it does on a real photo, never a flat colour.
The copies a 台账 makes of a photo (re-saved, resized, cropped) are made from these.
"""

from __future__ import annotations

import io

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

SIZE = (640, 480)


def scene(seed: int, size: tuple[int, int] = SIZE) -> Image.Image:
    """An RGB image that is the same for the same seed and unrelated for another seed."""
    rng = np.random.default_rng(seed)
    w, h = size
    y, x = np.mgrid[0:h, 0:w].astype(np.float32)
    # Low-frequency light: a few random waves, different per channel.
    base = np.zeros((h, w, 3), np.float32)
    for c in range(3):
        layer = np.full((h, w), rng.uniform(60, 190), np.float32)
        for _ in range(4):
            fx, fy = rng.uniform(-3, 3, 2) * np.pi / np.array([w, h])
            layer += rng.uniform(15, 45) * np.sin(fx * x + fy * y + rng.uniform(0, 2 * np.pi))
        base[..., c] = layer
    image = Image.fromarray(np.clip(base, 0, 255).astype(np.uint8), "RGB")
    draw = ImageDraw.Draw(image)
    horizon = int(h * rng.uniform(0.45, 0.75))
    draw.rectangle((0, horizon, w, h), fill=_colour(rng))
    for _ in range(int(rng.integers(6, 14))):
        x0, y0 = int(rng.integers(-w // 8, w)), int(rng.integers(-h // 8, h))
        bw, bh = int(rng.integers(w // 12, w // 3)), int(rng.integers(h // 12, h // 2))
        shape = (x0, y0, x0 + bw, y0 + bh)
        if rng.random() < 0.5:
            draw.ellipse(shape, fill=_colour(rng))
        else:
            draw.rectangle(shape, fill=_colour(rng))
    for _ in range(int(rng.integers(3, 8))):
        points = [(int(rng.integers(0, w)), int(rng.integers(0, h))) for _ in range(2)]
        draw.line(points, fill=_colour(rng), width=int(rng.integers(3, 12)))
    image = image.filter(ImageFilter.GaussianBlur(1.2))
    grain = rng.normal(0, 9, (h, w, 1)).astype(np.float32)
    pixels = np.asarray(image, np.float32) + grain
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), "RGB")


def _colour(rng: np.random.Generator) -> tuple[int, int, int]:
    return tuple(int(v) for v in rng.integers(0, 256, 3))


def jpeg(image: Image.Image, quality: int = 90, exif: Image.Exif | None = None) -> bytes:
    buffer = io.BytesIO()
    kwargs = {"exif": exif} if exif is not None else {}
    image.convert("RGB").save(buffer, "JPEG", quality=quality, **kwargs)
    return buffer.getvalue()


def reencoded(image: Image.Image, quality: int = 55) -> Image.Image:
    """What WeChat does to a photo: saved again at a lower JPEG quality."""
    return Image.open(io.BytesIO(jpeg(image, quality))).convert("RGB")


def resized(image: Image.Image, factor: float = 0.5) -> Image.Image:
    w, h = image.size
    return image.resize((max(1, round(w * factor)), max(1, round(h * factor))), Image.LANCZOS)


def cropped(image: Image.Image, fraction: float = 0.10) -> Image.Image:
    """`fraction` of the width and of the height cut off, split between the two sides."""
    w, h = image.size
    dx, dy = round(w * fraction / 2), round(h * fraction / 2)
    return image.crop((dx, dy, w - dx, h - dy))


def exif_with_date(taken_at: str, camera: str = "HUAWEI P40") -> Image.Exif:
    """EXIF as a phone writes it: capture time ("YYYY:MM:DD HH:MM:SS") and model."""
    exif = Image.Exif()
    exif.get_ifd(0x8769)[36867] = taken_at
    exif[272] = camera
    return exif


def photo(seed: int, *, taken_at: str | None = None, quality: int = 90) -> bytes:
    """A JPEG of scene `seed`, with an EXIF capture time when given."""
    exif = exif_with_date(taken_at) if taken_at else None
    return jpeg(scene(seed), quality, exif)
