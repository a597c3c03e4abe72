import argparse
import datetime as dt
import unicodedata

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from communities.models import DISTRICT_ROLES, Role
from demo.load import load_demo


def _pad(text: object, width: int, *, right: bool = False) -> str:
    """Pad to a display width: Chinese characters take two columns in a terminal."""
    text = str(text)
    used = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    fill = " " * max(0, width - used)
    return fill + text if right else text + fill


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"日期格式不正确：{value}（应为 YYYY-MM-DD，如 2026-06-15）"
        ) from None


class Command(BaseCommand):
    help = (
        "载入演示数据：四季青街道（上城区）十个社区截至某日的台账和演示账号——前两年已审核、"
        "考核并定稿，当年进行到该日（可重复运行）。"
    )

    def add_arguments(self, parser) -> None:  # noqa: ANN001
        parser.add_argument(
            "--as-of",
            dest="as_of",
            type=_date,
            default=None,
            help="截至日期 YYYY-MM-DD（默认今天）；同一日期重复运行结果相同。",
        )

    def handle(self, *args, **options) -> None:
        try:
            result = load_demo(options["as_of"])
        except ValidationError as e:
            raise CommandError("；".join(e.messages)) from e
        out = self.stdout
        t = result.timeline
        done = "、".join(str(y) for y in t.complete_years)
        out.write(
            self.style.SUCCESS(
                f"已载入演示数据：{result.street}（{done}年度已考核定稿，"
                f"{t.year}年截至{t.as_of:%Y年%m月%d日}）"
            )
        )
        out.write("")
        out.write(
            _pad("数据", 20) + "".join(_pad(h, 8, right=True) for h in ("新增", "更新", "未变"))
        )
        for t in result.tallies:
            counts = (t.created, t.updated, t.unchanged)
            out.write(_pad(t.label, 20) + "".join(_pad(n, 8, right=True) for n in counts))
        if not any(t.created or t.updated for t in result.tallies):
            out.write("数据已是最新，本次没有写入任何记录。")
        out.write("")
        out.write("演示账号（每次运行都会重置为以下密码）：")
        header = ("用户名", 16), ("密码", 20), ("姓名", 8), ("角色", 14), ("范围", 0)
        out.write("  " + "".join(_pad(h, w) for h, w in header))
        for u in result.users:
            where = f"{u.community}社区" if u.community else result.street
            if u.role in DISTRICT_ROLES:
                where = result.district
            cells = (u.username, u.password, u.full_name, Role(u.role).label, where)
            out.write("  " + "".join(_pad(c, w) for c, (_, w) in zip(cells, header, strict=True)))
        out.write("")
        out.write("登录地址：/login/　管理后台：/admin/")
