"""Background tasks (django-tasks on the database queue, run by `manage.py db_worker`)."""

from __future__ import annotations

from django.db import transaction
from django_tasks import task

from . import services
from .models import FingerprintRun, RunStatus


@task()
def fingerprint_photo_task(archive_file_id: int) -> int:
    """Fingerprint one newly uploaded photo; the number of new flags."""
    return services.fingerprint_file(archive_file_id)


@task()
def fingerprint_backlog_task(run_id: int, redo: bool = False) -> str:
    with transaction.atomic():
        run = FingerprintRun.objects.select_for_update().filter(pk=run_id).first()
        if run is None or run.status != RunStatus.QUEUED:
            return "skipped"
        run.status = RunStatus.RUNNING
        run.save(update_fields=["status"])
    return services.run_backlog(run, redo=redo).status


def enqueue_photo(archive_file_id: int) -> None:
    transaction.on_commit(lambda: fingerprint_photo_task.enqueue(archive_file_id))


def start_backlog(*, redo: bool = False) -> FingerprintRun:
    run = FingerprintRun.objects.create(message="排队中，等待后台任务执行")
    transaction.on_commit(lambda: fingerprint_backlog_task.enqueue(run.pk, redo))
    return run
