"""render_report: the annual 双百分 PDF of a street and year, written to a file."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from communities.models import Street
from reports import annual
from reports.pdf import FONT_WARNING, cjk_fonts_installed


def street_named(name: str) -> Street:
    try:
        return Street.objects.get(name=name)
    except Street.DoesNotExist:
        raise CommandError(f"没有名为“{name}”的街道。") from None


def output_path(path: str) -> Path:
    """Checked before any work: a typo in the folder should not cost a whole rendering."""
    out = Path(path)
    if not out.parent.is_dir():
        raise CommandError(f"输出目录不存在：{out.parent}")
    return out


class Command(BaseCommand):
    help = (
        "生成年度“双百分”考核报告 PDF：有定稿结果时打印最新定稿版本，"
        "否则按当前台账即时计算临时结果（封面注明“临时”和截至日期）。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--street", required=True, help="街道名称，如 四季青街道")
        parser.add_argument("--year", required=True, type=int, help="考核年度，如 2014")
        parser.add_argument("--output", required=True, help="输出的 PDF 文件")
        parser.add_argument(
            "--as-of",
            type=dt.date.fromisoformat,
            default=None,
            help="截至日期 YYYY-MM-DD（临时考核；默认年末或今天）",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if not cjk_fonts_installed():
            self.stderr.write(FONT_WARNING)
        street = street_named(options["street"])
        out = output_path(options["output"])
        started = time.monotonic()
        try:
            report = annual.build_for(street, options["year"], options["as_of"])
        except ValidationError as error:
            raise CommandError("；".join(error.messages)) from None
        out.write_bytes(annual.render(report))
        self.stdout.write(
            f"已生成 {out}（{report.status_line}，{len(report.sections)}个社区，"
            f"{out.stat().st_size // 1024} KB，用时 {time.monotonic() - started:.1f} 秒）"
        )
