import pytest

from demo.load import load_demo
from evidence.models import FlagKind, PhotoFlag
from tests.demo_date import DEMO_AS_OF

pytestmark = pytest.mark.django_db


def test_the_demo_shows_reused_and_misdated_photos_on_first_look():
    load_demo(DEMO_AS_OF)
    reuse = PhotoFlag.objects.filter(kind=FlagKind.REUSE).select_related(
        "activity__community", "other_activity__community"
    )
    assert reuse.count() == 4  # two pairs, a flag on each side
    pairs = {(f.activity.community.name[:2], f.other_activity.community.name[:2]) for f in reuse}
    assert ("三叉", "钱塘") in pairs and ("钱塘", "钱塘") in pairs
    [date] = PhotoFlag.objects.filter(kind=FlagKind.DATE)
    assert date.days_off == -12 and date.activity.status == "pending"
    # A second run adds nothing and keeps the flags.
    load_demo(DEMO_AS_OF)
    assert PhotoFlag.objects.count() == 5
