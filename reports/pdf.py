"""Shared WeasyPrint rendering for the printed documents (annual report, notices, yearbook).

Every document is an HTML template under templates/reports/pdf/ rendered with the base
stylesheet (A4, Noto CJK fonts, page counters, table splitting). Nothing is fetched while
rendering: charts are inline SVG and photos are data URIs, so the url_fetcher refuses
everything else — a PDF made on an intranet server never reaches out to the network, and
text typed by users cannot make it load a file.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote

from django.template.loader import render_to_string

# Government documents set body text in a Song (serif) face and headings in a Hei (sans)
# face; the Noto CJK families are both, from Debian's fonts-noto-cjk.
SERIF = "Noto Serif CJK SC"
SANS = "Noto Sans CJK SC"


def _url_fetcher() -> Any:
    """A fetcher that only reads data: URIs."""
    try:
        from weasyprint.urls import URLFetcher
    except ImportError:  # WeasyPrint before 68 takes a plain function
        from weasyprint.urls import default_url_fetcher

        def fetch(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
            if not url.startswith("data:"):
                raise ValueError(f"PDF 渲染不读取外部资源：{url[:80]}")
            return default_url_fetcher(url, *args, **kwargs)

        return fetch
    return URLFetcher(allowed_protocols=("data",))


def render_pdf(template: str, context: Mapping[str, Any]) -> bytes:
    """Render templates/reports/pdf/<template> with the base stylesheet into PDF bytes."""
    return render_document(template, context).write_pdf()


def render_document(template: str, context: Mapping[str, Any]) -> Any:
    """The laid-out weasyprint Document: pages of several renderings can be joined
    (`join_documents`), so a long batch can report progress as it goes."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    html = render_to_string(template, {**context, "serif": SERIF, "sans": SANS})
    base = CSS(
        string=render_to_string("reports/pdf/base.css", {"serif": SERIF, "sans": SANS}),
        font_config=fonts,
    )
    return HTML(string=html, url_fetcher=_url_fetcher(), base_url=".").render(
        stylesheets=[base], font_config=fonts
    )


def join_documents(documents: Sequence[Any]) -> bytes:
    """One PDF of the pages of every document, in order."""
    pages = [page for document in documents for page in document.pages]
    return documents[0].copy(pages).write_pdf()


@functools.cache
def cjk_fonts_installed() -> bool:
    """Whether fontconfig knows the Noto CJK faces; without them every Chinese glyph in a
    PDF is an empty box (tofu). True when it cannot tell (no fc-list)."""
    fc_list = shutil.which("fc-list")
    if fc_list is None:
        return True
    try:
        out = subprocess.run(
            [fc_list, ":lang=zh", "family"], capture_output=True, text=True, timeout=10
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return True
    return SERIF in out or SANS in out


FONT_WARNING = (
    "警告：未找到中文字体 Noto CJK（Debian 软件包 fonts-noto-cjk），"
    "PDF 中的汉字会显示为方框。请安装后重新生成。"
)


def attachment(filename: str, fallback: str) -> str:
    """Content-Disposition for a download with a Chinese name (RFC 6266 / 5987): an ASCII
    fallback for old clients and the UTF-8 name for everyone else."""
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename, safe='')}"
