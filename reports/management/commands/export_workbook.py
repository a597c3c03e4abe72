"""python manage.py export_workbook [--street S] --output F.xlsx — the standard workbook."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from communities.models import Street
from reports.workbook.exporter import export_workbook


class Command(BaseCommand):
    help = "导出标准数据工作簿（不指定街道则导出全部街道）。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--street", help="街道名称；不填则导出全部街道")
        parser.add_argument("--output", required=True, help="输出文件（.xlsx）")

    def handle(self, *args: Any, street: str | None, output: str, **options: Any) -> None:
        scope = None
        if street is not None:
            scope = Street.objects.filter(name=street).first()
            if scope is None:
                raise CommandError(f"街道「{street}」不存在")
        export_workbook(output, scope)
        self.stdout.write(f"已导出：{output}")
