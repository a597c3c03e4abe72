"""Hostile files, made on the fly: disguised pages and programs, polyglots, bombs, macros."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass

from openpyxl import Workbook

from tests.activities.samples import jpeg_bytes

HTML = b"<!DOCTYPE html><html><body><script>fetch('/x?c='+document.cookie)</script></body></html>"
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(document.domain)</script><rect width='10' height='10'/></svg>"
)
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x00" * 200
PE = b"MZ\x90\x00\x03" + b"\x00" * 55 + struct.pack("<I", 64) + b"PE\x00\x00" + b"\x00" * 200
JFIF_HEADER = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
CLAIMED_SIZE = 0xF0000000  # what a lying zip directory says one entry unpacks to (~3.7 GB)


def minimal_workbook() -> bytes:
    book = Workbook()
    book.active.title = "社区"
    book.active.append(["街道", "社区", "年度", "常住人口", "户数", "社区类型"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def with_entry(package: bytes, name: str, data: bytes) -> bytes:
    """The zip package with one more entry."""
    buffer = io.BytesIO(package)
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as z:
        z.writestr(name, data)
    return buffer.getvalue()


def claiming_bomb() -> bytes:
    """A small, valid-looking workbook whose shared strings claim to unpack to ~3.7 GB."""
    package = with_entry(minimal_workbook(), "xl/sharedStrings.xml", b"<sst/>" * 10)
    data = bytearray(package)
    # Patch the entry's uncompressed size in its local header and in the central directory.
    name = b"xl/sharedStrings.xml"
    for signature, offset, name_at in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        start = 0
        while (start := data.find(signature, start)) != -1:
            if data[start + name_at : start + name_at + len(name)] == name:
                struct.pack_into("<I", data, start + offset, CLAIMED_SIZE)
            start += 4
    return bytes(data)


def expanding_bomb(megabytes: int) -> bytes:
    """A workbook whose sheet really unpacks to `megabytes` MB of repeated empty rows."""
    chunk = b"<row/>" * (1024 * 1024 // 6)
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(minimal_workbook())) as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z,
    ):
        for item in source.infolist():
            if item.filename != "xl/worksheets/sheet1.xml":
                z.writestr(item, source.read(item))
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(
                b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
                b'2006/main"><sheetData>'
            )
            for _ in range(megabytes):
                sheet.write(chunk)
            sheet.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


def macro_workbook() -> bytes:
    return with_entry(minimal_workbook(), "xl/vbaProject.bin", b"\xd0\xcf\x11\xe0" + b"\0" * 60)


def macro_document() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        z.writestr("word/document.xml", '<?xml version="1.0"?><document/>')
        z.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0" + b"\0" * 60)
    return buffer.getvalue()


def png_with_real_pixels(width: int, height: int) -> bytes:
    """A PNG of width×height black pixels, compressed to almost nothing (a pixel bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    row = b"\x00" + b"\x00" * ((width + 7) // 8)
    compressor = zlib.compressobj(9)
    idat = compressor.compress(row * height) + compressor.flush()
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


@dataclass(frozen=True)
class Hostile:
    key: str
    name: str
    content: bytes
    # What the refusal says, wherever the file is posted (None: only that it is refused).
    reason: str | None = None


def corpus() -> list[Hostile]:
    return [
        Hostile("html", "通知.html", HTML),
        Hostile("html_as_jpg", "照片.jpg", HTML),
        Hostile("svg_script", "标志.svg", SVG),
        Hostile("elf_as_jpg", "活动照片.jpg", ELF),
        Hostile("pe_as_jpg", "合影.jpg", PE),
        Hostile("text_as_pdf", "计划.pdf", "这是一个文本文件，不是 PDF。".encode()),
        Hostile("polyglot_header", "现场.jpg", JFIF_HEADER + HTML),
        Hostile("polyglot_full", "现场2.jpg", jpeg_bytes() + HTML),
        Hostile("pixel_bomb", "全景.png", png_with_real_pixels(10000, 10000), "像素"),
        Hostile("zip_bomb", "台账.xlsx", claiming_bomb(), "压缩炸弹"),
        Hostile("xlsm", "台账.xlsm", macro_workbook(), "宏"),
        Hostile("docm", "总结.docm", macro_document(), "宏"),
        Hostile("traversal", "../../etc/passwd.jpg", HTML),
    ]
