"""python manage.py export_workbook [--street S] --output F.xlsx — the standard workbook."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from communities.models import Street
from reports.workbook.exporter import export_workbook
from security_log.models import Event
from security_log.services import record


class Command(BaseCommand):
    help = "导出标准数据工作簿（不指定街道则导出全部街道）。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--street", help="街道名称；不填则导出全部街道")
        parser.add_argument("--output", required=True, help="输出文件（.xlsx）")
        parser.add_argument(
            "--full-phones",
            action="store_true",
            help="导出完整联系电话（默认隐去中间四位；用于迁移到另一台服务器，记入安全日志）",
        )

    def handle(
        self,
        *args: Any,
        street: str | None,
        output: str,
        full_phones: bool = False,
        **options: Any,
    ) -> None:
        scope = None
        if street is not None:
            scope = Street.objects.filter(name=street).first()
            if scope is None:
                raise CommandError(f"街道「{street}」不存在")
        if full_phones:
            record(
                Event.EXPORT,
                user=None,
                username="manage.py export_workbook",
                list="标准数据工作簿（含完整联系电话）",
                full_phones=True,
                street=street or "全部",
            )
        export_workbook(output, scope, full_phones=full_phones)
        self.stdout.write(f"已导出：{output}")
