"""The background work of the SQLite load test: an annual PDF job and a workbook import.

    DJANGO_SETTINGS_MODULE=config.settings.base python loadtest/background.py STREET YEAR

Started while locust's users work (loadtest/demo_sqlite.sh), through the same services the
报表中心 uses, as the street admin of the demo: the annual report with every community's
notice, and an import of the street's own workbook with every community's 常住人口 one
higher (so that the import really writes). The demo's db_worker runs both; this script
waits for them and prints how long each took and how it ended.
"""

from __future__ import annotations

import io
import os
import sys
import time
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
django.setup()

from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from openpyxl import load_workbook  # noqa: E402

from communities.models import Membership, Role, Street  # noqa: E402
from reports import jobs  # noqa: E402
from reports.models import JobStatus  # noqa: E402
from reports.workbook import exporter  # noqa: E402

WAIT = int(os.environ.get("LOADTEST_JOB_WAIT", "300"))


def _workbook(street: Street) -> bytes:
    """The street's workbook as exported, with 常住人口 + 1 in every community row."""
    raw = io.BytesIO()
    exporter.export_workbook(raw, list(street.communities.values_list("pk", flat=True)))
    raw.seek(0)
    book = load_workbook(raw)
    sheet = book["社区"]
    header = [cell.value for cell in sheet[1]]
    column = header.index("常住人口") + 1
    for row in range(2, sheet.max_row + 1):
        cell = sheet.cell(row=row, column=column)
        if isinstance(cell.value, int | float):
            cell.value = int(cell.value) + 1
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def main(street_name: str, year: int) -> int:
    street = Street.objects.get(name=street_name)
    admin = (
        Membership.objects.select_related("user")
        .filter(street=street, role=Role.STREET_ADMIN)
        .first()
        .user
    )
    started = time.monotonic()
    upload = SimpleUploadedFile("压测导入.xlsx", _workbook(street))
    imported = jobs.import_upload(user=admin, file=upload)
    deadline = time.monotonic() + WAIT
    while imported.status == JobStatus.CHECKING and time.monotonic() < deadline:
        time.sleep(1)
        imported.refresh_from_db()
    # The import first (it holds the write lock while it writes), then the PDF (long, reads).
    jobs.import_confirm(job=imported, user=admin)
    pdf = jobs.annual_start(user=admin, street=street, year=year)
    print(f"后台任务已提交：导入 #{imported.pk}，年度报告 #{pdf.pk}", flush=True)
    ok = True
    for job in (imported, pdf):
        while time.monotonic() < deadline:
            job.refresh_from_db()
            if job.status in (JobStatus.DONE, JobStatus.FAILED):
                break
            time.sleep(1)
        took = (job.finished_at - job.started_at).total_seconds() if job.finished_at else None
        ok &= job.status == JobStatus.DONE
        print(
            f"{job.get_kind_display()} #{job.pk}：{job.get_status_display()}，"
            f"运行 {took if took is None else round(took, 1)} 秒"
            f"（提交后 {time.monotonic() - started:.0f} 秒时查看）；{job.message} {job.error}",
            flush=True,
        )
    print("后台任务：全部完成" if ok else "后台任务：有失败或未完成", flush=True)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], int(sys.argv[2])))
