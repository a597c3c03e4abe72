"""Hooks on the activities app: a new photo is fingerprinted in the background, a changed
activity date re-checks the capture dates (activities does not know this app exists)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from activities.models import Activity, ArchiveFile

from . import services, tasks


@receiver(post_save, sender=ArchiveFile, dispatch_uid="evidence_fingerprint_new_photo")
def fingerprint_new_photo(
    sender: type, instance: ArchiveFile, created: bool, **kwargs: Any
) -> None:
    if created and instance.is_image and not kwargs.get("raw"):
        tasks.enqueue_photo(instance.pk)


@receiver(post_save, sender=Activity, dispatch_uid="evidence_recheck_dates")
def recheck_dates(sender: type, instance: Activity, created: bool, **kwargs: Any) -> None:
    fields = kwargs.get("update_fields")
    if created or kwargs.get("raw") or (fields is not None and "date" not in fields):
        return
    services.refresh_date_flags(instance)
