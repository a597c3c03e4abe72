"""python manage.py import_workbook FILE.xlsx — all or nothing (assessment.md, 命令行约定)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand
from django.db import DatabaseError

from reports.workbook.importer import RowError, WorkbookRejected, apply, parse_workbook
from security_log.models import Event
from security_log.services import record as log_event


class Command(BaseCommand):
    help = "导入标准数据工作簿：任何一行有错则全部不写入，并列出每个错误。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", help="标准数据工作簿（.xlsx）")

    def handle(self, *args: Any, file: str, **options: Any) -> None:
        path = Path(file)
        if not path.is_file():
            self._fail([RowError("", None, "", f"文件不存在：{file}")])
        parsed = parse_workbook(path)
        if not parsed.ok:
            self._fail(parsed.errors)
        try:
            counts = apply(parsed)
        except WorkbookRejected as exc:
            self._fail(exc.errors)
        except DatabaseError as exc:
            # The transaction is rolled back; say so instead of printing a traceback.
            self._fail([RowError("", None, "", f"写入数据库失败，未导入任何数据：{exc}")])
        written = sum(c.created + c.updated for c in counts.values())
        log_event(Event.IMPORT, user=None, source="manage.py import_workbook", rows=written)
        for sheet, c in counts.items():
            self.stdout.write(f"{sheet}：新增 {c.created}，更新 {c.updated}，未变 {c.unchanged}")

    def _fail(self, errors: list[RowError]) -> None:
        for error in errors:
            self.stderr.write(str(error))
        raise SystemExit(1)
