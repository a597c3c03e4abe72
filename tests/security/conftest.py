"""A world with one record of every kind in each of 甲一 (a1), 甲二 (a2) and 乙一 (b1).

Each place's records carry the place's label in their names ("甲二设施", "乙一居民"), so a
page or an export that leaks a record outside the reader's scope shows it by name.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db.models import Model, Q
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from openpyxl import Workbook
from PIL import Image

from activities.models import ActivityStatus, ActivityTransition, ArchiveFile
from assessments import services as assessment_services
from assessments.models import ManualScore
from communities.admin_scope import ensure_role_groups, sync_role_group
from communities.models import Community, Grid, Membership, Role
from delivery.models import Order, OrderEvent, OrderStatus, Product, ProductStatus, Provider, Quota
from inbox.models import Item as InboxItem
from rectification.models import Rectification, Step
from reporting.models import PeriodEvent, PeriodSubmission
from reports.models import Job, JobKind, JobStatus
from service.models import Approval, EntryKind, ServiceCertificate, ServiceEntry
from tests import factories as f

YEAR = 2014
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
# URL kwargs that name something of a whole street; everything else belongs to a community.
# Typed into records of the reader's own community; no page may hand it back as markup.
XSS = '<script>xss()</script><img src=x onerror="xss()">'
STREET_LEVEL = frozenset(
    {"street", "run", "run_old", "scheme", "indicator", "year", "code", "provider", "product"}
)


def pdf_bytes() -> bytes:
    """A one-page PDF that PDF readers and the upload checks accept."""
    buffer = io.BytesIO()
    Image.new("RGB", (60, 80), "white").save(buffer, "PDF")
    return buffer.getvalue()


def jpeg_bytes(size: tuple[int, int] = (40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "#2e86c1").save(buffer, "JPEG")
    return buffer.getvalue()


def xlsx_bytes(text: str) -> bytes:
    book = Workbook()
    book.active.append([text])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@dataclass
class Place:
    """One community's records: `objects` by URL kind, `records` every row made for it."""

    key: str
    label: str
    community: Community
    objects: dict[str, Any] = field(default_factory=dict)
    record_names: set[str] = field(default_factory=set)
    records: list[Model] = field(default_factory=list)

    @property
    def street(self) -> Any:
        return self.community.street

    def add(self, kind: str | None, obj: Model, name: str | None = None) -> Model:
        if kind:
            self.objects[kind] = obj
        if name:
            self.record_names.add(name)
        self.records.append(obj)
        return obj


@dataclass
class World:
    cast: Any
    places: dict[str, Place]
    street_admin_b: Any

    def __getitem__(self, key: str) -> Place:
        return self.places[key]


def _delivery_menu(place: Place) -> None:
    """A street's provider and published product (with a photo) of the world's year."""
    provider = Provider.objects.create(
        street=place.street, name=f"{place.label}配送单位", phone="13800001111"
    )
    product = Product(
        street=place.street,
        provider=provider,
        kind="演出",
        title=f"{place.label}配送产品",
        year=YEAR,
        sessions=5,
        status=ProductStatus.PUBLISHED,
    )
    product.photo.save("photo.jpg", ContentFile(jpeg_bytes()), save=False)
    product.save()
    place.add("provider", provider, provider.name)
    place.add("product", product, product.title)


def _street_records(place: Place, admin: Any, staff: Any) -> None:
    """A scheme with a manual indicator and two runs of the year (a diff needs two)."""
    street = place.street
    scheme = assessment_services.scheme_ensure(street=street, year=YEAR, user=admin)
    card = scheme.cards.order_by("order").first()
    indicator = assessment_services.manual_indicator_add(
        scheme=scheme,
        user=admin,
        card=card,
        code="M9",
        name=f"{street.name}人工指标",
        points=Decimal("2"),
        letter_grades=False,
    )
    old = assessment_services.run_assessment(street=street, year=YEAR, user=staff)
    run = assessment_services.run_assessment(street=street, year=YEAR, user=staff)
    place.objects.update(scheme=scheme, indicator=indicator, run=run, run_old=old)
    place.records += [scheme, run, old]


def _community_records(place: Place, user: Any) -> None:
    c, label = place.community, place.label
    facility = f.FacilityFactory(community=c, name=f"{label}设施")
    facility.photo.save("photo.jpg", ContentFile(jpeg_bytes()), save=False)
    facility.agreement.save("agreement.pdf", ContentFile(pdf_bytes()), save=False)
    facility.save()
    place.add("facility", facility, facility.name)
    place.add(
        "project", f.UpgradeProjectFactory(community=c, name=f"{label}提升工程"), f"{label}提升工程"
    )
    team = place.add("team", f.TeamFactory(community=c, name=f"{label}舞蹈队"), f"{label}舞蹈队")
    person = f.PersonFactory(street=c.street, code=f"{place.key.upper()}001", name=f"{label}居民")
    place.add("person", person, person.name)
    place.add(None, f.TeamMemberFactory(team=team, person=person))
    place.add(None, f.TeamHonourFactory(team=team, year=YEAR, title=f"{label}优秀团队"))
    volunteer = f.VolunteerFactory(
        community=c, person=f.PersonFactory(street=c.street, name=f"{label}志愿者")
    )
    place.add("volunteer", volunteer, f"{label}志愿者")
    certificate = f.CertificateFactory(
        community=c,
        person=f.PersonFactory(street=c.street, name=f"{label}指导员"),
        number=f"{place.key.upper()}-ZS-1",
    )
    place.add("certificate", certificate, f"{label}指导员")
    cadre = f.CadreFactory(
        community=c, person=f.PersonFactory(street=c.street, name=f"{label}干部")
    )
    place.add("cadre", cadre, f"{label}干部")
    place.add("brand", f.BrandFactory(community=c, name=f"{label}品牌"), f"{label}品牌")
    activity = f.ActivityFactory(
        community=c,
        name=f"{label}活动",
        status=ActivityStatus.PENDING,
        created_by=user,
        has_image=True,
        has_plan=True,
    )
    place.add("activity", activity, activity.name)
    _service_records(place, user, volunteer, activity)
    place.add(
        None,
        ActivityTransition.objects.create(
            activity=activity,
            from_status=ActivityStatus.DRAFT,
            to_status=ActivityStatus.PENDING,
            by=user,
        ),
    )
    for kind, slot, name, content, content_type in (
        ("archive", "image", "照片.jpg", jpeg_bytes(), "image/jpeg"),
        ("archive_doc", "plan", "计划.pdf", pdf_bytes(), "application/pdf"),
    ):
        archive = ArchiveFile(
            activity=activity,
            slot=slot,
            original_name=f"{label}{name}",
            content_type=content_type,
            size=len(content),
            uploaded_by=user,
        )
        archive.file.save(name, ContentFile(content), save=True)
        place.add(kind, archive)
    product = place.objects.get("product")
    if product is not None:
        order = Order.objects.create(
            community=c,
            product=product,
            year=YEAR,
            preferred_date=dt.date(YEAR, 5, 1),
            scheduled_date=dt.date(YEAR, 5, 1),
            status=OrderStatus.CONFIRMED,
            note=f"{label}点单备注",
        )
        place.add("order", order, f"{label}点单备注")
        place.add(
            None, OrderEvent.objects.create(order=order, to_status=order.status, action="点单")
        )
        place.add(None, Quota.objects.create(community=c, year=YEAR, orders=3))
    place.add(None, Grid.objects.create(community=c, name=f"{label}网格"))
    _year_cycle(place, user)
    place.add(None, f.PopulationFactory(community=c, year=YEAR))
    place.add(None, f.StarTargetFactory(community=c, year=YEAR))
    place.add(None, f.StarRatingFactory(community=c, year=YEAR))
    place.add(None, f.AwardFactory(community=c, year=YEAR, name=f"{label}获奖"), f"{label}获奖")
    place.add(
        None,
        f.DeductionFactory(community=c, year=YEAR, item=f"{label}扣分事项"),
        f"{label}扣分事项",
    )


def _year_cycle(place: Place, user: Any) -> None:
    """Year cycle (issue 15): a submitted March with a reason, and an inbox item."""
    c, label = place.community, place.label
    when = timezone.make_aware(dt.datetime(YEAR, 4, 3, 9))
    submission = PeriodSubmission.objects.create(
        community=c,
        year=YEAR,
        number=3,
        cadence="monthly",
        start=dt.date(YEAR, 3, 1),
        end=dt.date(YEAR, 3, 31),
        due=dt.date(YEAR, 4, 5),
        status="submitted",
        first_submitted_at=when,
        submitted_at=when,
        submitted_by=user,
        summary={"total": 1, "warnings": [f"{label}报送提示"]},
    )
    place.add("submission", submission, f"{label}报送提示")
    place.add(None, PeriodEvent.objects.create(submission=submission, action="submit", by=user))
    # The community's cadre, the street's and the district's users each hold one (never the
    # other community's).
    street_users = Membership.objects.filter(
        Q(street=c.street) | Q(district=c.street.district_id, district__isnull=False)
    ).exclude(role=Role.COMMUNITY_ADMIN)
    for reader in [user, *(m.user for m in street_users.select_related("user"))]:
        item = InboxItem.objects.create(
            user=reader, kind="period_returned", title=f"{label}收件箱消息", url="/yearcycle/"
        )
        place.add("inbox_item" if reader == user else None, item, item.title)


def _service_records(place: Place, user: Any, volunteer: Any, activity: Any) -> None:
    """志愿服务 (issue 17): an entry at the activity, a make-up waiting, a certificate."""
    c, label = place.community, place.label
    # The place's resident is an instructor too, so a form naming "person" marks someone on
    # the roster (an instructor, not a volunteer: the admin's volunteer add form uses them).
    place.add(
        None,
        f.CertificateFactory(
            community=c, person=place.objects["person"], number=f"{place.key.upper()}-ZS-0"
        ),
    )
    place.add(
        "service_entry",
        ServiceEntry.objects.create(
            person=volunteer.person,
            community=c,
            kind=EntryKind.ACTIVITY,
            activity=activity,
            date=activity.date,
            hours=Decimal("2"),
            content=activity.name,
        ),
    )
    place.add(
        "makeup",
        ServiceEntry.objects.create(
            person=volunteer.person,
            community=c,
            kind=EntryKind.MAKEUP,
            date=dt.date(YEAR, 3, 1),
            hours=Decimal("2"),
            content=f"{label}补录服务",
            reason="漏登记",
            approval=Approval.PENDING,
        ),
        f"{label}补录服务",
    )
    number = f"ZY{YEAR}-{place.key.upper()}-1"
    place.add(
        "service_certificate",
        ServiceCertificate.objects.create(
            number=number,
            street=c.street,
            community=c,
            person=volunteer.person,
            period_start=dt.date(YEAR, 1, 1),
            period_end=dt.date(YEAR, 3, 1),
            total_hours=Decimal("2"),
            services=[[f"{YEAR}-03-01", f"{label}证明服务", "2"]],
            issued_on=dt.date(YEAR, 3, 2),
            issued_by=user,
        ),
        number,
    )


def _rectification(place: Place, result: Any, creator: Any) -> None:
    """整改 (issue 15): one task issued from the community's first scorecard line."""
    line = result.indicators.order_by("code").first()
    place.add("indicator_result", line)
    task = Rectification.objects.create(
        community=place.community,
        year=YEAR,
        source=line,
        indicator=f"{line.code} {line.name}",
        requirement=f"{place.label}整改要求",
        deadline=dt.date(YEAR + 1, 3, 31),
        responsible=f"{place.label}责任人",
        issued_by=creator,
    )
    place.add("rectification", task, f"{place.label}整改要求")
    place.add(None, Step.objects.create(rectification=task, action="issue", by=creator))


def _scores_and_jobs(place: Place, creator: Any) -> None:
    c, label = place.community, place.label
    score = ManualScore(
        indicator=place.objects["indicator"],
        community=c,
        year=YEAR,
        self_score=Decimal("1"),
        self_note=f"{label}自评",
        evidence_name=f"{label}佐证.pdf",
        evidence_type="application/pdf",
    )
    score.evidence.save("evidence.pdf", ContentFile(pdf_bytes()), save=True)
    place.add("score", score)
    run = place.objects["run"]
    result = run.results.get(community=c)
    place.add("result", result)
    place.objects["code"] = result.indicators.order_by("code").first().code
    _rectification(place, result, creator)
    job = Job(
        kind=JobKind.EXPORT,
        status=JobStatus.DONE,
        created_by=creator,
        street=c.street,
        output_name=f"{label}导出.xlsx",
        message="完成",
        progress=100,
        finished_at=timezone.now(),
    )
    job.output_file.save("out.xlsx", ContentFile(xlsx_bytes(f"{label}导出内容")), save=True)
    place.add("job", job)
    place.objects.update(community=c, street=c.street, year=YEAR)
    place.records.append(Membership.objects.filter(community=c).first())


def _admin_only_records(place: Place) -> None:
    """Rows the admin registers that belong to no community (axes, tasks, groups, users)."""
    place.records += [
        AccessAttempt.objects.create(
            username=f"{place.key}-attempt",
            ip_address="10.0.0.9",
            user_agent="test",
            failures_since_start=1,
        ),
        AccessLog.objects.create(
            username=f"{place.key}-log", ip_address="10.0.0.9", user_agent="test"
        ),
        AccessFailureLog.objects.create(
            username=f"{place.key}-fail", ip_address="10.0.0.9", user_agent="test"
        ),
        DBTaskResult.objects.create(
            enqueued_at=timezone.now(),
            args_kwargs={"args": [], "kwargs": {}},
            task_path="reports.jobs.export_workbook_task",
            backend_name="default",
            run_after=timezone.now(),
            exception_class_path="",
            traceback="",
        ),
        Group.objects.get_or_create(name=f"{place.label}分组")[0],
    ]


@pytest.fixture
def world(cast) -> World:
    street_admin_b = f.UserFactory(username="yi_admin")
    f.MembershipFactory(user=street_admin_b, role=Role.STREET_ADMIN, street=cast.street_b)
    places = {
        "a1": Place("a1", "甲一", cast.a1),
        "a2": Place("a2", "甲二", cast.a2),
        "b1": Place("b1", "乙一", cast.b1),
    }
    creators = {"a1": cast.cadre_a1, "a2": cast.cadre_a2, "b1": cast.cadre_b1}
    _delivery_menu(places["a1"])
    _delivery_menu(places["b1"])
    for kind in ("provider", "product"):
        places["a2"].objects[kind] = places["a1"].objects[kind]
    for key, place in places.items():
        _community_records(place, creators[key])
    own = places["a1"]
    own.add(None, f.TeamFactory(community=cast.a1, name=f"舞蹈{XSS}", leader=XSS))
    own.add(None, f.FacilityFactory(community=cast.a1, name=f"设施{XSS}", note=XSS))
    own.add(
        None,
        f.ActivityFactory(
            community=cast.a1,
            name=f"活动{XSS}",
            description=XSS,
            form=XSS,
            created_by=cast.cadre_a1,
        ),
    )
    _street_records(places["a1"], cast.street_admin, cast.street_staff)
    _street_records(places["b1"], street_admin_b, cast.staff_b)
    for kind in ("scheme", "indicator", "run", "run_old"):
        places["a2"].objects[kind] = places["a1"].objects[kind]
    # A 文化走亲 partner: another community of the street is a valid one, another street's not.
    for key, partner in (("a1", cast.a2), ("a2", cast.a2), ("b1", cast.b1)):
        places[key].objects["partner"] = partner
    for key, place in places.items():
        _scores_and_jobs(place, creators[key])
        place.objects["user"] = creators[key]  # an account, for the second-factor reset
    _photo_flags(places, creators)
    _admin_only_records(places["b1"])
    places["b1"].records += [
        cast.cadre_b1,
        cast.staff_b,
        street_admin_b,
        cast.b1,
        cast.street_b,
        cast.district_b,
    ]
    places["a2"].records += [cast.cadre_a2, cast.a2]
    return World(cast=cast, places=places, street_admin_b=street_admin_b)


def _photo_flags(places: dict[str, Place], creators: dict[str, Any]) -> None:
    """One photo in each place's activity, the same scene everywhere and taken a month
    before: a1 and a2 (one street) flag each other as reused, every place has a date flag."""
    from evidence import scenes
    from evidence import services as evidence_services
    from evidence.models import FlagKind, PhotoFlag

    data = scenes.photo(77, taken_at=f"{YEAR}:04:01 10:00:00")
    for key, place in places.items():
        archive = ArchiveFile(
            activity=place.objects["activity"],
            slot="image",
            original_name=f"{place.label}核查照片.jpg",
            content_type="image/jpeg",
            size=len(data),
            uploaded_by=creators[key],
        )
        archive.file.save("check.jpg", ContentFile(data), save=True)
        evidence_services.fingerprint_file(archive.pk)
        place.add("photo", archive)  # (kind removed below: no URL takes it)
    for key, place in places.items():
        flags = PhotoFlag.objects.filter(photo=place.objects.pop("photo"))
        kind = FlagKind.DATE if key == "b1" else FlagKind.REUSE
        place.add("flag", flags.get(kind=kind))
        for flag in flags:
            place.add(None, flag)


@pytest.fixture
def admin_staff(world) -> World:
    """The cast with admin access: is_staff and their role's group, as load_demo sets them."""
    ensure_role_groups()
    for user in (
        *world.cast.users().values(),
        world.cast.cadre_a2,
        world.cast.cadre_b1,
        world.cast.staff_b,
        world.street_admin_b,
    ):
        sync_role_group(user)
    return world


def sign_in(client: Any, user: Any) -> Any:
    client.force_login(user, backend=MODEL_BACKEND)
    return client
