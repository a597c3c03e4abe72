"""Export, round trip and the blank template."""

import datetime as dt
import io
import zipfile
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from activities.models import Activity, ActivityStatus, Brand
from communities.models import (
    Award,
    Community,
    Deduction,
    Population,
    StarRating,
    StarTarget,
    Street,
)
from facilities.models import Facility, UpgradeProject
from reports.workbook.exporter import blank_template, export_workbook
from reports.workbook.importer import Counts, apply, parse_workbook
from reports.workbook.schema import EXPLANATION_SHEET, SHEETS
from teams.models import Cadre, Certificate, Person, Team, TeamHonour, TeamMember, Volunteer
from tests import factories as f

from .workbook_util import read_back

D = dt.date

# Every stored value the workbook carries, by natural lookups (independent of exporter.py).
DUMP = {
    Community: ("street__name", "name", "kind"),
    Population: ("community__name", "year", "residents", "households"),
    Facility: (
        "community__name",
        "name",
        "kind",
        "area",
        "sets",
        "status",
        "opened_on",
        "ownership",
        "partner_unit",
        "free_open",
    ),
    UpgradeProject: (
        "community__name",
        "name",
        "planned_year",
        "status",
        "completed_on",
        "investment",
    ),
    Team: (
        "community__name",
        "name",
        "category",
        "project",
        "leader",
        "phone",
        "founded_on",
        "dissolved_on",
    ),
    TeamHonour: ("team__name", "year", "title", "awarded_by"),
    TeamMember: ("team__name", "person__code", "joined_on"),
    Person: ("street__name", "code", "name", "gender", "birth_year", "phone"),
    Volunteer: ("person__code", "community__name", "registered_on", "left_on", "service_hours"),
    Certificate: (
        "number",
        "person__code",
        "community__name",
        "level",
        "issued_on",
        "expires_on",
        "sport",
    ),
    Cadre: ("community__name", "person__code", "post", "appointed_on", "left_on"),
    Brand: (
        "community__name",
        "name",
        "category",
        "recognised_year",
        "recognised_by",
        "revoked_year",
    ),
    Activity: (
        "community__name",
        "name",
        "date",
        "category",
        "form",
        "scale",
        "is_exchange",
        "participants",
        "status",
        "has_plan",
        "has_arrangement",
        "has_material",
        "has_image",
        "has_summary",
        "brand__name",
        "partners__name",
    ),
    StarRating: ("community__name", "year", "stars", "rated_by"),
    StarTarget: ("community__name", "year", "stars"),
    Award: ("community__name", "year", "name", "level"),
    Deduction: ("community__name", "year", "item", "points", "veto"),
}
WIPE_ORDER = (
    Activity,
    Brand,
    TeamMember,
    TeamHonour,
    Team,
    Volunteer,
    Certificate,
    Cadre,
    Person,
    Facility,
    UpgradeProject,
    Population,
    StarRating,
    StarTarget,
    Award,
    Deduction,
    Community,
    Street,
)


def dump() -> dict:
    return {
        m.__name__: sorted(m.objects.values_list(*fields), key=repr) for m, fields in DUMP.items()
    }


def records() -> Street:
    street = f.StreetFactory(name="甲街道")
    a = f.CommunityFactory(street=street, name="甲一社区", kind="回迁")
    b = f.CommunityFactory(street=street, name="甲二社区")
    other = f.CommunityFactory(street=f.StreetFactory(name="乙街道"), name="乙一社区")
    f.PopulationFactory(community=a, year=2013, residents=4000, households=None)
    f.PopulationFactory(community=a, year=2014)
    f.PopulationFactory(community=b, year=2014, residents=None, households=None)
    f.PopulationFactory(community=other, year=2014)
    f.FacilityFactory(
        community=a,
        name="活动室",
        area=Decimal("66.67"),
        ownership="共建共享",
        partner_unit="某中学",
        free_open=True,
        note="不导出",
    )
    f.FacilityFactory(
        community=a,
        name="健身路径",
        kind="健身路径",
        area=None,
        sets=3,
        opened_on=None,
        status="在建",
    )
    f.UpgradeProjectFactory(
        community=b,
        name="改造",
        status="完成",
        completed_on=D(2014, 9, 30),
        investment=Decimal("12.50"),
    )
    dance = f.TeamFactory(
        community=a,
        name="舞蹈队",
        project="广场舞",
        leader="王五",
        phone="0571-1234",
        dissolved_on=D(2014, 12, 31),
    )
    f.TeamFactory(community=b, name="=特殊队", category="体育", founded_on=None)
    f.TeamHonourFactory(team=dance, year=2014, awarded_by="区文化局")
    one = f.PersonFactory(
        street=street, code="001", name="张三", gender="女", birth_year=1958, phone="13800000000"
    )
    two = f.PersonFactory(street=street, code="002", name="李四", gender="", phone="")
    f.TeamMemberFactory(team=dance, person=one, joined_on=D(2013, 1, 5))
    f.VolunteerFactory(
        community=a, person=one, service_hours=Decimal("10.5"), left_on=D(2014, 12, 31)
    )
    f.VolunteerFactory(community=b, person=two, registered_on=None)
    f.CertificateFactory(community=a, person=one, number="Z1", level="三级")
    f.CertificateFactory(
        community=a, person=one, number="Z2", level="一级", issued_on=None, sport="太极"
    )
    f.CadreFactory(community=a, person=one, post="两委分管文体", left_on=D(2015, 1, 1))
    brand = f.BrandFactory(
        community=a,
        name="龙舟",
        category="特色体育项目",
        recognised_by="市体育局",
        revoked_year=2015,
    )
    exchange = f.ActivityFactory(
        community=a,
        name="走亲演出",
        is_exchange=True,
        brand=brand,
        has_plan=True,
        has_arrangement=True,
        has_material=True,
        has_image=True,
        has_summary=True,
    )
    f.ActivityPartnerFactory(activity=exchange, community=b)
    f.ActivityFactory(
        community=a,
        name="草稿活动",
        status=ActivityStatus.DRAFT,
        scale="",
        participants=None,
        form="",
    )
    f.ActivityFactory(community=b, name="退回活动", status=ActivityStatus.RETURNED, has_image=True)
    f.StarRatingFactory(community=a, year=2014, stars=4)
    f.StarTargetFactory(community=a, year=2014, stars=4)
    f.AwardFactory(community=a, name="先进集体", level="省级")
    f.DeductionFactory(community=b, item="台账缺失", points=Decimal("2.25"), veto=True)
    return street


def exported(scope=None, *, full_phones: bool = False) -> bytes:
    out = io.BytesIO()
    export_workbook(out, scope, full_phones=full_phones)
    return out.getvalue()


@pytest.mark.django_db
def test_export_imports_back_unchanged():
    records()
    parsed = parse_workbook(io.BytesIO(exported()))
    assert parsed.ok, [str(e) for e in parsed.errors]
    counts = apply(parsed)
    assert all(c.created == 0 and c.updated == 0 for c in counts.values()), counts
    assert counts["活动"] == Counts(0, 0, 3)


@pytest.mark.django_db
def test_round_trip_into_an_empty_database_gives_the_same_records():
    """With full numbers (the operator's export for a move to another server)."""
    records()
    data = exported(full_phones=True)
    before = dump()
    for model in WIPE_ORDER:
        model.objects.all().delete()
    assert all(not rows for rows in dump().values())
    parsed = parse_workbook(io.BytesIO(data))
    assert parsed.ok, [str(e) for e in parsed.errors]
    apply(parsed)
    assert dump() == before


@pytest.mark.django_db
def test_phones_go_out_masked_and_a_masked_workbook_keeps_the_numbers():
    records()
    sheets = read_back(exported())

    def phones(book):
        return [
            row[book[name][0].index("联系电话")]
            for name in ("团队", "团队成员", "志愿者")
            for row in book[name][1:]
        ]

    assert "13800000000" not in phones(sheets) and "0571-1234" not in phones(sheets)
    assert "138****0000" in phones(sheets) and "****-1234" in phones(sheets)
    full = read_back(exported(full_phones=True))
    assert {"13800000000", "0571-1234"} <= set(phones(full))
    before = dump()
    counts = apply(parse_workbook(io.BytesIO(exported())))
    assert all(c.updated == 0 for c in counts.values()), counts
    assert dump() == before


@pytest.mark.django_db
def test_an_old_workbook_does_not_bring_back_an_anonymised_person():
    from privacy.models import Anonymisation

    records()
    data = exported(full_phones=True)
    person = Person.objects.get(code="001")
    Person.objects.filter(pk=person.pk).update(name="已匿名", phone="")
    Anonymisation.objects.create(person=person)
    apply(parse_workbook(io.BytesIO(data)))
    person.refresh_from_db()
    assert (person.name, person.phone) == ("已匿名", "")


@pytest.mark.django_db
def test_street_scope_exports_only_that_street():
    street = records()
    sheets = read_back(exported(street))
    assert {row[0] for row in sheets["社区"][1:]} == {"甲街道"}
    assert len(sheets["社区"]) == 1 + 3
    communities = Community.objects.filter(name="甲二社区")
    sheets = read_back(exported(communities))
    assert [row[1] for row in sheets["社区"][1:]] == ["甲二社区"]
    assert [row[2] for row in sheets["活动"][1:]] == ["退回活动"]


@pytest.mark.django_db
def test_export_formats_values_like_the_workbook():
    records()
    book = load_workbook(io.BytesIO(exported()))
    assert book.sheetnames == [s.name for s in SHEETS]
    for sheet in SHEETS:
        assert [c.value for c in book[sheet.name][1]] == sheet.headers
    activities = book["活动"]
    header = [c.value for c in activities[1]]
    rows = {
        r[2].value: dict(zip(header, (c.value for c in r), strict=True))
        for r in activities.iter_rows(min_row=2)
    }
    assert rows["走亲演出"]["审核状态"] == "已审核"
    assert rows["走亲演出"]["走亲社区"] == "甲二社区"
    assert rows["走亲演出"]["文化走亲"] == "是"
    assert rows["走亲演出"]["总结"] == "有"
    assert rows["草稿活动"]["审核状态"] == "草稿"
    assert rows["草稿活动"]["规模"] is None
    date_cell = activities.cell(row=2, column=header.index("活动日期") + 1)
    assert date_cell.is_date and date_cell.number_format == "yyyy-mm-dd"
    assert date_cell.value.date() == D(2014, 5, 1)
    special = [r for r in book["团队"].iter_rows(min_row=2) if r[2].value == "=特殊队"]
    assert special and special[0][2].data_type == "s"


@pytest.mark.django_db
def test_export_is_ordered_by_natural_key():
    records()
    sheets = read_back(exported())
    keys = [row[:3] for row in sheets["社区"][1:]]
    assert keys == sorted(keys)
    numbers = [row[6] for row in sheets["社会体育指导员"][1:]]
    assert numbers == ["Z1", "Z2"]


@pytest.mark.django_db
def test_export_command(tmp_path):
    records()
    target = tmp_path / "甲.xlsx"
    call_command(
        "export_workbook", "--street", "甲街道", "--output", str(target), stdout=io.StringIO()
    )
    assert {row[0] for row in read_back(target.read_bytes())["设施"][1:]} == {"甲街道"}
    everything = tmp_path / "all.xlsx"
    call_command("export_workbook", "--output", str(everything), stdout=io.StringIO())
    assert {row[0] for row in read_back(everything.read_bytes())["社区"][1:]} == {
        "甲街道",
        "乙街道",
    }
    with pytest.raises(CommandError, match="街道「丙街道」不存在"):
        call_command("export_workbook", "--street", "丙街道", "--output", str(target))


@pytest.mark.django_db
def test_blank_template_has_headers_and_explanations():
    sheets = read_back(blank_template())
    assert list(sheets) == [s.name for s in SHEETS] + [EXPLANATION_SHEET]
    for sheet in SHEETS:
        assert sheets[sheet.name] == [tuple(sheet.headers)]
    notes = sheets[EXPLANATION_SHEET]
    explained = {(row[0], row[1]): row[4] for row in notes if len(row) >= 5 and row[1]}
    for sheet in SHEETS:
        for column in sheet.columns:
            label = f"{sheet.name}（必需）" if sheet.required else sheet.name
            assert (label, column.header) in explained
    assert "普通、回迁、部分回迁" in explained[("社区（必需）", "社区类型")]
    assert "留空为「普通」" in explained[("社区（必需）", "社区类型")]
    assert "已审核、待审核、已退回" in explained[("活动", "审核状态")]
    assert "不得早于「成立日期」" in explained[("团队", "解散日期")]
    assert "健身路径为1" in explained[("设施", "数量(套)")]


@pytest.mark.django_db
def test_blank_template_imports_with_nothing_to_do():
    parsed = parse_workbook(io.BytesIO(blank_template()))
    assert parsed.ok, [str(e) for e in parsed.errors]
    counts = apply(parsed)
    assert set(counts.values()) == {Counts(0, 0, 0)}
    assert not Community.objects.exists()


@pytest.mark.django_db
def test_a_large_sheet_read_a_street_at_a_time_is_the_same_file(monkeypatch):
    from reports.workbook import exporter

    street = records()
    other = Community.objects.get(name="乙一社区")
    for name in ("乙活动", "丙活动", "甲活动"):
        f.ActivityFactory(community=other, name=name)
    third = f.CommunityFactory(street=f.StreetFactory(name="丙街道"), name="丙一社区")
    f.ActivityFactory(community=third, name="丙街道活动")

    def parts(data: bytes) -> dict[str, bytes]:  # (the archive's file times may differ)
        archive = zipfile.ZipFile(io.BytesIO(data))
        return {name: archive.read(name) for name in archive.namelist()}

    whole = {scope: exported(scope) for scope in (None, street)}
    split = []
    by_street = exporter._by_street
    monkeypatch.setattr(exporter, "_by_street", lambda c: split.append(1) or by_street(c))
    monkeypatch.setattr(exporter, "QUEUED", 1)
    monkeypatch.setattr(exporter, "BATCH", 2)  # over 2 rows a street: read by street
    for scope, data in whole.items():
        assert parts(exported(scope)) == parts(data)
    assert split == [1, 1]
    streets = [row[0] for row in read_back(whole[None])["活动"][1:]]
    assert streets == sorted(streets) and len(streets) == 7 and len(set(streets)) == 3
