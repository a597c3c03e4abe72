"""The fixed cast every access test reuses.

Two streets; street A has two communities (a1, a2), street B one (b1). One user per role
in street A (the cadre belongs to a1), and a cadre and staff member of street B as outsiders.
Street A lies in district 甲区, street B in 乙区; 甲区 has a district admin and viewer.
"""

import os
from dataclasses import dataclass

import pytest

from communities.models import Community, District, Role, Street

from . import factories as f

PASSWORD = "pass-1234-word"

# Playwright drives Chromium from a thread that pytest-django's live_server shares.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _empty_score_cache():
    """Computed scores are cached per process under the streets' data versions. A test's
    database is rolled back after it, so the next test may reuse the same street ids at the
    same versions: each test starts with an empty cache (in production versions only grow)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@dataclass
class Cast:
    street_a: Street
    street_b: Street
    a1: Community
    a2: Community
    b1: Community
    street_admin: object
    street_staff: object
    cadre_a1: object
    cadre_a2: object
    leader: object
    cadre_b1: object
    staff_b: object
    nobody: object
    district_a: District
    district_b: District
    district_admin: object
    district_viewer: object

    def users(self) -> dict:
        return {
            "street_admin": self.street_admin,
            "street_staff": self.street_staff,
            "cadre_a1": self.cadre_a1,
            "leader": self.leader,
        }


def _user(username, role, street, community=None):
    user = f.UserFactory(username=username)
    f.MembershipFactory(user=user, role=role, street=street, community=community)
    return user


def _district_user(username, role, district):
    user = f.UserFactory(username=username)
    f.MembershipFactory(user=user, role=role, street=None, district=district)
    return user


@pytest.fixture
def cast(db) -> Cast:
    district_a = District.objects.create(name="甲区", code="330101")
    district_b = District.objects.create(name="乙区", code="330102")
    street_a = f.StreetFactory(name="甲街道", district=district_a)
    street_b = f.StreetFactory(name="乙街道", district=district_b)
    a1 = f.CommunityFactory(street=street_a, name="甲一社区")
    a2 = f.CommunityFactory(street=street_a, name="甲二社区")
    b1 = f.CommunityFactory(street=street_b, name="乙一社区")
    return Cast(
        street_a=street_a,
        street_b=street_b,
        a1=a1,
        a2=a2,
        b1=b1,
        street_admin=_user("jia_admin", Role.STREET_ADMIN, street_a),
        street_staff=_user("jia_staff", Role.STREET_STAFF, street_a),
        cadre_a1=_user("jia1_cadre", Role.COMMUNITY_ADMIN, street_a, a1),
        cadre_a2=_user("jia2_cadre", Role.COMMUNITY_ADMIN, street_a, a2),
        leader=_user("jia_leader", Role.LEADER, street_a),
        cadre_b1=_user("yi1_cadre", Role.COMMUNITY_ADMIN, street_b, b1),
        staff_b=_user("yi_staff", Role.STREET_STAFF, street_b),
        nobody=f.UserFactory(username="nobody"),
        district_a=district_a,
        district_b=district_b,
        district_admin=_district_user("jiaqu_admin", Role.DISTRICT_ADMIN, district_a),
        district_viewer=_district_user("jiaqu_viewer", Role.DISTRICT_VIEWER, district_a),
    )


@pytest.fixture(scope="session")
def browser():
    """One headless Debian Chromium for the whole run (tests/browser_support.py)."""
    from playwright.sync_api import sync_playwright

    from .browser_support import CHROMIUM, CHROMIUM_ARGS, CHROMIUM_ENV

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, env=CHROMIUM_ENV)
        yield chromium
        chromium.close()


@pytest.fixture(autouse=True)
def no_queued_jobs():
    """Each test starts with an empty job queue: the dummy task backend keeps its queue in
    memory across tests, and saving a photo queues its fingerprint (evidence)."""
    from django_tasks import task_backends

    task_backends["default"].results.clear()
    yield
