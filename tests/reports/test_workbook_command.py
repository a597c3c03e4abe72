"""The import_workbook command contract, and files refused before anything is read."""

import io
import zipfile

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import override_settings

from communities.models import Community, Population
from facilities.models import Facility
from reports.workbook.importer import parse_workbook

from .workbook_util import at, build, community, facility


def run(*args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_workbook", *args, stdout=out, stderr=err)
    except SystemExit as exc:
        return exc.code, out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def save(tmp_path, data: io.BytesIO, name="数据.xlsx"):
    path = tmp_path / name
    path.write_bytes(data.getvalue())
    return str(path)


@pytest.mark.django_db
def test_success_prints_counts_and_exits_0(tmp_path):
    path = save(tmp_path, build({"社区": [community(), community("二社区")], "设施": [facility()]}))
    code, out, err = run(path)
    assert (code, err) == (0, "")
    assert out.splitlines() == ["社区：新增 2，更新 0，未变 0", "设施：新增 1，更新 0，未变 0"]
    code, out, _ = run(path)
    assert out.splitlines() == ["社区：新增 0，更新 0，未变 2", "设施：新增 0，更新 0，未变 1"]


@pytest.mark.django_db
def test_errors_go_to_stderr_one_per_line_and_exit_1(tmp_path):
    path = save(
        tmp_path,
        build(
            {
                "社区": [community()],
                "设施": [facility(启用日期="2014-13-01")],
                "扣分": [at(年度=2014, 事项="台账", 扣分="-1")],
            }
        ),
    )
    code, out, err = run(path)
    assert code == 1 and out == ""
    assert err.splitlines() == [
        "工作表「设施」第2行「启用日期」：日期无效：2014-13-01",
        "工作表「扣分」第2行「扣分」：应大于0",
    ]
    assert "Traceback" not in err
    assert not Community.objects.exists() and not Population.objects.exists()
    assert not Facility.objects.exists()


@pytest.mark.django_db
def test_missing_file_exits_1(tmp_path):
    code, _, err = run(str(tmp_path / "没有.xlsx"))
    assert code == 1
    assert "文件不存在" in err


@pytest.mark.django_db
def test_not_a_zip_is_refused(tmp_path):
    path = tmp_path / "旧格式.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0 an old binary workbook")
    code, _, err = run(str(path))
    assert code == 1
    assert err.strip() == "工作簿：不是有效的 .xlsx 文件（请在 Excel 中另存为 .xlsx 格式）"


@pytest.mark.django_db
def test_a_zip_that_is_not_a_workbook_is_refused():
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr("readme.txt", "hello")
    parsed = parse_workbook(data)
    assert parsed.refused
    assert [str(e) for e in parsed.errors] == ["工作簿：不是有效的 .xlsx 文件，无法打开"]


@pytest.mark.django_db
def test_larger_than_20_mb_is_refused_before_reading():
    assert settings.WORKBOOK_MAX_SIZE == 20 * 1024 * 1024
    huge = io.BytesIO(b"\0" * (settings.WORKBOOK_MAX_SIZE + 1))
    parsed = parse_workbook(huge)
    assert parsed.refused
    assert [str(e) for e in parsed.errors] == ["工作簿：文件超过 20 MB，拒绝导入"]


@pytest.mark.django_db
def test_size_limit_applies_to_a_valid_workbook():
    data = build({"社区": [community()]})
    with override_settings(WORKBOOK_MAX_SIZE=len(data.getvalue()) - 1):
        assert parse_workbook(data).refused
    with override_settings(WORKBOOK_MAX_SIZE=len(data.getvalue())):
        assert parse_workbook(data).ok


@pytest.mark.django_db
@override_settings(WORKBOOK_MAX_ROWS=5)
def test_more_data_rows_than_allowed_are_refused():
    rows = [community(f"社区{i}", 常住人口="坏") for i in range(3)]
    parsed = parse_workbook(
        build(
            {
                "社区": rows,
                "设施": [facility(社区="社区0"), facility(社区="社区1", 设施名称="另一处")],
            }
        )
    )
    assert not parsed.refused  # five rows are allowed (their own errors are reported)
    parsed = parse_workbook(
        build(
            {
                "社区": rows + [[], community("社区3")],
                "设施": [facility(社区="社区0"), facility(社区="社区1", 设施名称="另一处")],
            }
        )
    )
    assert parsed.refused
    assert [str(e) for e in parsed.errors] == ["工作簿：数据行超过 5 行，拒绝导入"]


def _understate_dimension(data: io.BytesIO) -> io.BytesIO:
    """Rewrite every sheet's <dimension> to claim a single cell."""
    source = zipfile.ZipFile(data)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                text = content.decode()
                start = text.index('<dimension ref="') + len('<dimension ref="')
                end = text.index('"', start)
                content = (text[:start] + "A1" + text[end:]).encode()
            target.writestr(item, content)
    out.seek(0)
    return out


@pytest.mark.django_db
def test_declared_dimension_is_not_trusted():
    data = _understate_dimension(build({"社区": [community(f"社区{i}") for i in range(6)]}))
    parsed = parse_workbook(data)
    assert parsed.ok and len(parsed.rows["社区"]) == 6
    with override_settings(WORKBOOK_MAX_ROWS=5):
        assert parse_workbook(data).refused
