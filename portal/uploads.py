"""Checks on uploaded files (the 五有 archive, facility photos and agreements, evidence).

The type is decided by the file's content, never by its name or the browser's claim: a
renamed executable or an HTML page must not end up served back to other users. Only what
a street office actually keeps is accepted: photos, PDF, Word and Excel files.
"""

from __future__ import annotations

import warnings
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from PIL import Image, UnidentifiedImageError

# Photos from phones are 12–50 MP at most; beyond this a file is a decompression bomb or
# a scan that no page needs at full size.
MAX_IMAGE_PIXELS = 40_000_000

JPEG, PNG, GIF, WEBP = "image/jpeg", "image/png", "image/gif", "image/webp"
PDF = "application/pdf"
DOC, XLS = "application/msword", "application/vnd.ms-excel"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

EXTENSIONS = {
    JPEG: ".jpg",
    PNG: ".png",
    GIF: ".gif",
    WEBP: ".webp",
    PDF: ".pdf",
    DOC: ".doc",
    XLS: ".xls",
    DOCX: ".docx",
    XLSX: ".xlsx",
}
PILLOW_FORMATS = {JPEG: "JPEG", PNG: "PNG", GIF: "GIF", WEBP: "WEBP"}
ALLOWED_TEXT = "JPG、PNG、GIF、WebP 图片，PDF，Word（doc/docx）和 Excel（xls/xlsx）文件"
# For <input accept>: a hint to the phone's picker, not a check.
ACCEPT_ANY = "image/*,.pdf,.doc,.docx,.xls,.xlsx"
ACCEPT_IMAGES = "image/*"

# What an Office file may unpack to, as its zip directory declares (zipfile stops reading an
# entry at its declared size): real documents stay near 10× their size, a zip bomb goes far
# beyond and would hang the Office program of whoever downloads it.
UNZIP_FACTOR = 25
# An image that also parses as a web page (a polyglot) has no business in the archive.
MARKUP = (b"<script", b"<html", b"<body", b"<iframe", b"<!doctype")

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_OLE_END = 0xFFFFFFFA  # sector numbers at or above this mark chain ends and free sectors


@dataclass(frozen=True)
class CheckedUpload:
    """An upload whose content has been checked; only these reach the archive services."""

    file: UploadedFile
    original_name: str
    content_type: str
    extension: str
    size: int


def display_name(f: UploadedFile) -> str:
    name = PurePath(f.name or "").name.strip()
    return name[:200] or "未命名文件"


def human_size(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MB"
    return f"{max(1, n // 1024)} KB"


def check_upload(f: UploadedFile) -> CheckedUpload:
    """The checked upload, or a ValidationError whose message names the file."""
    name = display_name(f)
    limit = settings.ARCHIVE_MAX_UPLOAD_SIZE
    if not f.size:
        raise ValidationError(f"文件“{name}”是空文件，请重新选择。", code="empty")
    if f.size > limit:
        raise ValidationError(
            f"文件“{name}”大小为 {human_size(f.size)}，超过上限 {human_size(limit)}，未上传。",
            code="too_big",
        )
    content_type = _detect(f, name)
    if content_type is None:
        raise ValidationError(
            f"文件“{name}”的内容不是允许的类型，未上传。只接受{ALLOWED_TEXT}。",
            code="type",
        )
    f.seek(0)
    return CheckedUpload(
        file=f,
        original_name=name,
        content_type=content_type,
        extension=EXTENSIONS[content_type],
        size=f.size,
    )


def _detect(f: UploadedFile, name: str) -> str | None:
    f.seek(0)
    head = f.read(8192)
    f.seek(0)
    if head.startswith(OLE_MAGIC):
        return _ole_kind(f)
    kind = filetype.guess(head)
    if kind is None:
        return None
    if kind.mime in PILLOW_FORMATS:
        _check_image(f, name, kind.mime)
        return kind.mime
    if kind.mime == PDF:
        return PDF
    if kind.mime in (DOCX, XLSX, "application/zip"):
        # filetype only looks at the first entries; the archive's own directory decides.
        return _zip_kind(f, name)
    return None


def _check_image(f: UploadedFile, name: str, mime: str) -> None:
    try:
        with warnings.catch_warnings():
            # Pillow only warns between its limit and twice it; treat that as refused too.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(f) as im:
                width, height = im.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise _too_many_pixels(name, width, height)
                if im.format != PILLOW_FORMATS[mime]:
                    raise ValidationError(f"图片“{name}”已损坏或格式不符，未上传。", code="image")
                im.verify()
        if _has_markup(f):
            raise ValidationError(f"图片“{name}”中夹带网页代码，未上传。", code="markup")
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(
            f"图片“{name}”像素过大（上限 4000 万像素），未上传。", code="pixels"
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(f"图片“{name}”已损坏，无法读取，未上传。", code="image") from None
    finally:
        f.seek(0)


def _has_markup(f: UploadedFile) -> bool:
    f.seek(0)
    tail = b""
    while chunk := f.read(1024 * 1024):
        window = (tail + chunk).lower()
        if any(tag in window for tag in MARKUP):
            return True
        tail = window[-16:]
    return False


def _too_many_pixels(name: str, width: int, height: int) -> ValidationError:
    return ValidationError(
        f"图片“{name}”为 {width}×{height} 像素，超过上限 4000 万像素，请缩小后再上传。",
        code="pixels",
    )


def _zip_kind(f: UploadedFile, name: str) -> str | None:
    try:
        with zipfile.ZipFile(f) as z:
            names = z.namelist()
            unzipped = sum(i.file_size for i in z.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        f.seek(0)
    limit = UNZIP_FACTOR * settings.ARCHIVE_MAX_UPLOAD_SIZE
    if unzipped > limit:
        raise ValidationError(
            f"文件“{name}”解压后超过 {human_size(limit)}，疑似压缩炸弹，未上传。", code="zip_bomb"
        )
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise ValidationError(
            f"文件“{name}”包含宏，出于安全原因不能上传；请另存为不含宏的 docx/xlsx 后再上传。",
            code="macro",
        )
    if "[Content_Types].xml" not in names:
        return None
    if any(n.startswith("word/") for n in names):
        return DOCX
    if any(n.startswith("xl/") for n in names):
        return XLSX
    return None


def _ole_kind(f: UploadedFile) -> str | None:
    """DOC or XLS by the streams an OLE compound file holds (an .msi is OLE too)."""
    try:
        names = _ole_stream_names(f)
    finally:
        f.seek(0)
    if "WordDocument" in names:
        return DOC
    if "Workbook" in names or "Book" in names:
        return XLS
    return None


def _ole_stream_names(f: UploadedFile) -> set[str]:
    # Just enough of [MS-CFB] to list the directory: header → FAT (first 109 sectors from
    # the header's DIFAT) → the directory sector chain, 128-byte entries with UTF-16 names.
    f.seek(0)
    header = f.read(512)
    if len(header) < 512:
        return set()
    sector_size = 1 << int.from_bytes(header[30:32], "little")
    if sector_size not in (512, 4096):
        return set()
    per_sector = sector_size // 4
    fat_sectors = [
        n
        for n in (int.from_bytes(header[76 + 4 * i : 80 + 4 * i], "little") for i in range(109))
        if n < _OLE_END
    ]

    def read_sector(n: int) -> bytes:
        f.seek((n + 1) * sector_size)
        return f.read(sector_size)

    def next_sector(n: int) -> int:
        index, offset = divmod(n, per_sector)
        if index >= len(fat_sectors):
            return _OLE_END
        fat = read_sector(fat_sectors[index])
        return int.from_bytes(fat[offset * 4 : offset * 4 + 4], "little")

    names: set[str] = set()
    sector = int.from_bytes(header[48:52], "little")
    seen: set[int] = set()
    while sector < _OLE_END and sector not in seen and len(seen) < 4096:
        seen.add(sector)
        data = read_sector(sector)
        for i in range(0, len(data) - 127, 128):
            length = int.from_bytes(data[i + 64 : i + 66], "little")
            if 2 <= length <= 64:
                names.add(data[i : i + length - 2].decode("utf-16-le", "replace"))
        sector = next_sector(sector)
    return names
