"""render_yearbook: the 文化活动年鉴 PDF of a street and year, written to a file."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from reports import yearbook
from reports.management.commands.render_report import output_path, street_named
from reports.pdf import FONT_WARNING, cjk_fonts_installed


class Command(BaseCommand):
    help = "生成文化活动年鉴 PDF：该年度经审核的活动，按社区和月份排列，有影像档案的附照片。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--street", required=True, help="街道名称，如 四季青街道")
        parser.add_argument("--year", required=True, type=int, help="年度，如 2014")
        parser.add_argument("--output", required=True, help="输出的 PDF 文件")

    def handle(self, *args: Any, **options: Any) -> None:
        if not cjk_fonts_installed():
            self.stderr.write(FONT_WARNING)
        street = street_named(options["street"])
        out = output_path(options["output"])
        started = time.monotonic()
        book = yearbook.build_yearbook(street, options["year"])
        out.write_bytes(yearbook.render(book))
        self.stdout.write(
            f"已生成 {out}（{len(book.communities)}个社区，{book.totals['count']}次活动，"
            f"{book.totals['photos']}张照片，{out.stat().st_size // 1024} KB，"
            f"用时 {time.monotonic() - started:.1f} 秒）"
        )
