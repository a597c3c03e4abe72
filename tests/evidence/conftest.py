import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from activities import services as activity_services
from activities.models import Activity, ActivityStatus, ArchiveFile
from evidence import scenes, services
from portal.uploads import check_upload
from tests import factories as f


def upload_photo(activity: Activity, user, data: bytes, name: str = "现场.jpg") -> ArchiveFile:
    """Attach a photo as the activity form does, then run the background task's work."""
    checked = check_upload(SimpleUploadedFile(name, data, content_type="image/jpeg"))
    activity_services.archive_attach(activity=activity, user=user, slot="image", files=[checked])
    record = ArchiveFile.objects.filter(activity=activity).latest("pk")
    services.fingerprint_file(record.pk)
    return record


def activity(community, name: str, day=dt.date(2014, 5, 1), status=ActivityStatus.DRAFT):
    return f.ActivityFactory(community=community, name=name, date=day, status=status)


@pytest.fixture
def reused(cast):
    """The same scene in an activity of 甲一 and, cropped and re-saved, in one of 甲二."""
    a1 = activity(cast.a1, "甲一健身操展示", dt.date(2014, 3, 8), ActivityStatus.PENDING)
    a2 = activity(cast.a2, "甲二广场舞比赛", dt.date(2014, 6, 1), ActivityStatus.PENDING)
    first = upload_photo(a1, cast.street_staff, scenes.photo(11), "甲一现场.jpg")
    copy = scenes.jpeg(scenes.reencoded(scenes.cropped(scenes.scene(11)), 60))
    second = upload_photo(a2, cast.street_staff, copy, "甲二现场.jpg")
    return a1, a2, first, second
