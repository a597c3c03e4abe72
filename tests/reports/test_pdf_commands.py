"""render_report and render_yearbook write the PDFs to a file."""

import pytest
from django.core.management import CommandError, call_command

from tests import factories as f

from .pdf_util import Y, pdf_text, scored_street, squash

pytestmark = pytest.mark.django_db


def test_render_report_prints_the_final_run_and_says_what_it_wrote(cast, tmp_path, capsys):
    run = scored_street(cast)
    out = tmp_path / "annual.pdf"
    call_command("render_report", "--street", "甲街道", "--year", str(Y), "--output", str(out))
    assert f"定稿·第{run.version}版" in squash(pdf_text(out.read_bytes()))
    assert "已生成" in capsys.readouterr().out

    call_command(
        "render_report",
        "--street",
        "甲街道",
        "--year",
        str(Y),
        "--output",
        str(out),
        "--as-of",
        "2014-03-31",
    )
    assert "临时（截至2014-03-31）" in squash(pdf_text(out.read_bytes()))


def test_render_commands_refuse_bad_input_in_chinese(cast, tmp_path):
    out = tmp_path / "x.pdf"
    with pytest.raises(CommandError, match="没有名为“丙街道”的街道"):
        call_command("render_report", "--street", "丙街道", "--year", "2014", "--output", str(out))
    with pytest.raises(CommandError, match="不在考核年度"):
        call_command(
            "render_report",
            "--street",
            "甲街道",
            "--year",
            "2014",
            "--output",
            str(out),
            "--as-of",
            "2015-01-01",
        )
    with pytest.raises(CommandError, match="输出目录不存在"):
        call_command(
            "render_yearbook",
            "--street",
            "甲街道",
            "--year",
            "2014",
            "--output",
            str(tmp_path / "missing" / "x.pdf"),
        )
    assert not out.exists()


def test_render_yearbook_writes_the_years_activities(cast, tmp_path):
    f.ActivityFactory(community=cast.a1, name="甲一新春联欢")
    out = tmp_path / "yearbook.pdf"
    call_command("render_yearbook", "--street", "甲街道", "--year", str(Y), "--output", str(out))
    assert "甲一新春联欢" in squash(pdf_text(out.read_bytes()))
