import pytest
from django.core.exceptions import ValidationError

from portal import uploads

from . import samples as s


@pytest.mark.parametrize(
    ("name", "content", "expected", "ext"),
    [
        ("现场.jpg", s.jpeg_bytes(), uploads.JPEG, ".jpg"),
        ("合影.png", s.png_bytes(), uploads.PNG, ".png"),
        ("方案.pdf", s.PDF, uploads.PDF, ".pdf"),
        ("总结.docx", s.ooxml_bytes("word"), uploads.DOCX, ".docx"),
        ("签到表.xlsx", s.ooxml_bytes("xl"), uploads.XLSX, ".xlsx"),
        ("旧计划.doc", s.ole_bytes("WordDocument"), uploads.DOC, ".doc"),
        ("旧台账.xls", s.ole_bytes("Workbook"), uploads.XLS, ".xls"),
        # The content decides, not the name: a PNG called .jpg is stored as .png.
        ("photo.jpg", s.png_bytes(), uploads.PNG, ".png"),
    ],
)
def test_allowed_types_are_recognised_by_content(name, content, expected, ext):
    checked = uploads.check_upload(s.upload(name, content))
    assert (checked.content_type, checked.extension, checked.original_name) == (expected, ext, name)
    assert checked.size == len(content)
    assert checked.file.tell() == 0


def test_real_xlsx_from_openpyxl_is_accepted():
    import io

    from openpyxl import Workbook

    buffer = io.BytesIO()
    wb = Workbook()
    wb.active["A1"] = "签到"
    wb.save(buffer)
    assert (
        uploads.check_upload(s.upload("签到.xlsx", buffer.getvalue())).content_type == uploads.XLSX
    )


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("通知.html", s.HTML),
        ("logo.svg", s.SVG),
        ("照片.jpg", s.EXE),
        ("报告.pdf", s.TEXT),
        ("安装包.doc", s.ole_bytes("SummaryInformation")),  # OLE, but neither Word nor Excel
        ("压缩包.docx", s.ooxml_bytes("ppt")),  # a zip that is not a Word file
    ],
)
def test_disguised_or_unsupported_files_are_refused_naming_the_file(name, content):
    with pytest.raises(ValidationError) as error:
        uploads.check_upload(s.upload(name, content, "image/jpeg"))
    message = error.value.messages[0]
    assert f"“{name}”" in message
    assert "不是允许的类型" in message


def test_macro_documents_are_refused():
    with pytest.raises(ValidationError, match="包含宏"):
        uploads.check_upload(s.upload("宏.docx", s.ooxml_bytes("word", macro=True)))


def test_size_limit_comes_from_settings(settings):
    settings.ARCHIVE_MAX_UPLOAD_SIZE = 1024
    with pytest.raises(ValidationError, match="超过上限 1 KB"):
        uploads.check_upload(s.upload("大图.jpg", s.jpeg_bytes((400, 400)) + b"\x00" * 2048))


def test_empty_file_is_refused():
    with pytest.raises(ValidationError, match="空文件"):
        uploads.check_upload(s.upload("空.pdf", b""))


def test_images_over_40_megapixels_are_refused_before_decoding():
    with pytest.raises(ValidationError, match="8000×6000"):
        uploads.check_upload(s.upload("扫描.png", s.png_header_only(8000, 6000)))


def test_decompression_bombs_are_refused():
    with pytest.raises(ValidationError, match="像素过大"):
        uploads.check_upload(s.upload("bomb.png", s.png_header_only(30000, 30000)))


def test_truncated_image_is_refused():
    broken = s.png_bytes()[:60]
    with pytest.raises(ValidationError, match="已损坏"):
        uploads.check_upload(s.upload("坏图.png", broken))
