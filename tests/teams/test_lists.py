"""Every 队伍建设 list: scope per role, query count, export with masked phones."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from teams import selectors
from tests import factories as f

pytestmark = pytest.mark.django_db

LISTS = [
    "teams:list",
    "teams:person_list",
    "teams:volunteer_list",
    "teams:certificate_list",
    "teams:cadre_list",
]


def make_rows(community, tag, n=1):
    """One row of every kind in `community`, each carrying `tag` in a name."""
    for i in range(n):
        team = f.TeamFactory(community=community, name=f"{tag}团队{i}", phone="13812345678")
        f.TeamMemberFactory(team=team, person__name=f"{tag}队员{i}", person__phone="13900001111")
        f.VolunteerFactory(
            community=community, person__name=f"{tag}志愿者{i}", person__phone="13700002222"
        )
        f.CertificateFactory(
            community=community, person__name=f"{tag}指导员{i}", person__phone="13600003333"
        )
        f.CadreFactory(
            community=community, person__name=f"{tag}干部{i}", person__phone="13500004444"
        )


@pytest.fixture
def rows(cast):
    make_rows(cast.a1, "甲一")
    make_rows(cast.a2, "甲二")
    make_rows(cast.b1, "乙一")


def shown_text(response):
    table = response.context["table"]
    return " ".join(str(cell) for row in table.paginated_rows for cell in row)


@pytest.mark.parametrize("url_name", LISTS)
@pytest.mark.parametrize(
    ("who", "seen", "unseen"),
    [
        ("cadre_a1", ["甲一"], ["甲二", "乙一"]),
        ("street_staff", ["甲一", "甲二"], ["乙一"]),
        ("leader", ["甲一", "甲二"], ["乙一"]),
        ("staff_b", ["乙一"], ["甲一", "甲二"]),
    ],
)
def test_each_list_shows_only_rows_in_scope(client, login, cast, rows, url_name, who, seen, unseen):
    login(getattr(cast, who))
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    text = shown_text(response)
    for tag in seen:
        assert tag in text
    for tag in unseen:
        assert tag not in text


@pytest.mark.parametrize("url_name", LISTS)
def test_nobody_sees_nothing(client, login, cast, rows, url_name):
    login(cast.nobody)
    response = client.get(reverse(url_name))
    assert list(response.context["table"].paginated_rows) == []
    assert "没有符合条件的记录。" in response.content.decode()


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


@pytest.mark.parametrize("url_name", LISTS)
@pytest.mark.parametrize("who", ["street_staff", "cadre_a1"])
def test_query_count_is_the_same_for_2_and_20_rows(
    client, login, cast, url_name, who, django_assert_num_queries
):
    login(getattr(cast, who))
    url = reverse(url_name)
    make_rows(cast.a1, "首批", n=2)
    few = _queries(client, url)
    make_rows(cast.a1, "次批", n=18)
    with django_assert_num_queries(few):
        response = client.get(url)
    assert len(response.context["table"].paginated_rows) >= 20


@pytest.mark.parametrize(
    ("url_name", "full", "masked"),
    [
        ("teams:list", "13812345678", "138****5678"),
        ("teams:person_list", "13700002222", "137****2222"),
        ("teams:volunteer_list", "13700002222", "137****2222"),
        ("teams:certificate_list", "13600003333", "136****3333"),
        ("teams:cadre_list", "13500004444", "135****4444"),
    ],
)
def test_lists_and_exports_mask_phones_and_stay_in_scope(
    client, login, cast, rows, url_name, full, masked
):
    login(cast.cadre_a1)
    url = reverse(url_name)
    page = client.get(url).content.decode()
    assert masked in page
    assert full not in page
    response = client.get(url + "?export=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[c for c in row] for row in sheet.values]
    flat = " ".join(str(v) for row in values for v in row if v is not None)
    assert masked in flat
    assert full not in flat
    assert "甲二" not in flat and "乙一" not in flat
    assert "甲一" in flat
    assert "联系电话" in values[0]


def test_export_applies_the_filters(client, login, cast, rows):
    f.TeamFactory(community=cast.a1, name="甲一体育队", category="体育")
    login(cast.street_staff)
    response = client.get(reverse("teams:list") + "?category=体育&export=xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    names = [row[1] for row in list(sheet.values)[1:]]
    assert names == ["甲一体育队"]


def test_team_filters(client, login, cast):
    import datetime as dt

    f.TeamFactory(community=cast.a1, name="舞蹈队")
    f.TeamFactory(community=cast.a1, name="旧腰鼓队", dissolved_on=dt.date(2020, 1, 1))
    f.TeamFactory(community=cast.a2, name="太极队", category="体育", project="太极拳")
    login(cast.street_staff)

    def names(query):
        response = client.get(reverse("teams:list") + query)
        return sorted(r.record.name for r in response.context["table"].paginated_rows)

    assert names("?state=dissolved") == ["旧腰鼓队"]
    assert names("?state=active") == ["太极队", "舞蹈队"]
    assert names("?category=体育") == ["太极队"]
    assert names("?q=太极拳") == ["太极队"]
    assert names(f"?community={cast.a1.pk}") == ["旧腰鼓队", "舞蹈队"]


def test_certificate_filters_level_and_validity(client, login, cast):
    import datetime as dt

    today = dt.date.today()
    f.CertificateFactory(
        community=cast.a1, number="V1", level="一级", issued_on=today - dt.timedelta(days=30)
    )
    f.CertificateFactory(
        community=cast.a1,
        number="X1",
        issued_on=dt.date(2010, 1, 1),
        expires_on=dt.date(2015, 1, 1),
    )
    f.CertificateFactory(community=cast.a1, number="N1", issued_on=None)
    f.CertificateFactory(community=cast.a1, number="F1", issued_on=today + dt.timedelta(days=3))
    login(cast.cadre_a1)

    def numbers(query):
        response = client.get(reverse("teams:certificate_list") + query)
        return sorted(r.record.number for r in response.context["table"].paginated_rows)

    assert numbers("?valid=yes") == ["V1"]
    assert numbers("?valid=no") == ["F1", "N1", "X1"]
    assert numbers("?level=一级") == ["V1"]


def test_person_community_filter_and_cadre_view(client, login, cast):
    in_a1 = f.VolunteerFactory(community=cast.a1, person__name="甲一的人").person
    f.CadreFactory(community=cast.a2, person=in_a1)  # linked to both communities: listed once
    f.VolunteerFactory(community=cast.a2, person__name="甲二的人")
    f.PersonFactory(street=cast.street_a, name="未关联的人")
    login(cast.street_staff)
    response = client.get(reverse("teams:person_list") + f"?community={cast.a1.pk}")
    assert [r.record.name for r in response.context["table"].paginated_rows] == ["甲一的人"]
    all_rows = client.get(reverse("teams:person_list")).context["table"].paginated_rows
    assert sorted(r.record.name for r in all_rows) == ["未关联的人", "甲一的人", "甲二的人"]

    login(cast.cadre_a1)
    rows = client.get(reverse("teams:person_list")).context["table"].paginated_rows
    assert [r.record.name for r in rows] == ["甲一的人"]
    # the cadre is told the person is a volunteer (in a1) but not that they are a cadre in a2
    roles = [str(cell) for cell in list(rows)[0]]
    assert "志愿者" in roles
    assert not any("文体干部" in c for c in roles)


def test_a_cadre_sees_the_persons_linked_each_way_to_the_community(cast):
    """visible_persons of a cadre: the union of the four links (member, volunteer,
    instructor, cadre), each person once; links to another community do not count."""
    before = set(selectors.visible_persons(cast.cadre_a1).values_list("pk", flat=True))
    member = f.TeamMemberFactory(team__community=cast.a1).person
    volunteer = f.VolunteerFactory(community=cast.a1).person
    instructor = f.CertificateFactory(community=cast.a1).person
    cadre = f.CadreFactory(community=cast.a1).person
    f.VolunteerFactory(community=cast.a1, person=member)  # a second link: still one person
    f.VolunteerFactory(community=cast.a2)
    f.TeamMemberFactory(team__community=cast.a2, person=f.PersonFactory(street=cast.street_a))
    f.PersonFactory(street=cast.street_a)
    visible = selectors.visible_persons(cast.cadre_a1)
    expected = before | {member.pk, volunteer.pk, instructor.pk, cadre.pk}
    assert set(visible.values_list("pk", flat=True)) == expected
    assert visible.count() == len(expected)


def test_person_roles_on_the_page_and_in_the_export(client, login, cast, rows):
    """The roles are looked up for the shown page only; the export still carries them."""
    login(cast.street_staff)
    response = client.get(reverse("teams:person_list"))
    roles = {r.record.name: r.get_cell("roles") for r in response.context["table"].paginated_rows}
    assert roles["甲一队员0"] == "团队成员"
    assert roles["甲一志愿者0"] == "志愿者"
    assert roles["甲二指导员0"] == "指导员"
    assert roles["甲二干部0"] == "文体干部"
    book = load_workbook(
        io.BytesIO(client.get(reverse("teams:person_list") + "?export=xlsx").content)
    )
    sheet = book.active
    header = [c.value for c in sheet[1]]
    exported = {
        row[header.index("姓名")]: row[header.index("身份")]
        for row in sheet.iter_rows(min_row=2, values_only=True)
    }
    assert exported["甲一指导员0"] == "指导员" and exported["甲二干部0"] == "文体干部"
    assert "乙一队员0" not in exported
