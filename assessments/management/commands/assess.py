"""python manage.py assess --street NAME --year Y [--json] [--as-of YYYY-MM-DD] [--save]

Computes the 双百分 assessment of a street (assessment.md, "Command-line contract"). With
--json, stdout holds one JSON object and nothing else. Communities that cannot be scored
are named on stderr (and under "errors" in the JSON) and the exit status is 1. Nothing is
stored unless --save is given.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import unicodedata
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand

from assessments import services
from communities.models import Street


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"日期格式应为 YYYY-MM-DD：{text}") from None


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: Any, width: int) -> str:
    s = "—" if text is None or text == "" else str(text)
    return s + " " * max(width - _width(s), 0)


def _fmt(d: Any) -> str:
    return "—" if d is None else f"{d:.2f}"


class Command(BaseCommand):
    help = "计算某街道某年度的双百分考核（--json 输出 JSON；--save 保存为新版本）"

    def add_arguments(self, parser: argparse.ArgumentParser) -> None:
        parser.add_argument("--street", required=True, help="街道名称")
        parser.add_argument("--year", required=True, type=int, help="考核年度")
        parser.add_argument(
            "--as-of", type=_date, default=None, help="截至日期 YYYY-MM-DD（默认年末）"
        )
        parser.add_argument("--json", action="store_true", help="输出一个 JSON 对象")
        parser.add_argument("--save", action="store_true", help="保存为新的考核版本（草稿）")

    def handle(self, *args: Any, **options: Any) -> None:
        street = Street.objects.filter(name=options["street"]).first()
        if street is None:
            self._fail(f"街道“{options['street']}”不存在。")
        try:
            if options["save"]:
                run, assessment = services.run_and_outcome(
                    street=street, year=options["year"], user=None, as_of=options["as_of"]
                )
            else:
                assessment = services.compute(street, options["year"], options["as_of"])
        except ValidationError as exc:
            self._fail("；".join(exc.messages))

        if options["json"]:
            self.stdout.write(json.dumps(services.assessment_json(assessment), ensure_ascii=False))
        else:
            self._table(assessment)
        if options["save"]:
            self.stderr.write(
                f"已保存为 {street.name} {run.year} 年考核第 {run.version} 版（草稿）。"
            )
        for c in assessment.errors:
            self.stderr.write(f"无法计分：{c.error}")
        for m in assessment.missing:
            self.stderr.write(
                f"考核不完整：{m['community']} 的人工指标 {'、'.join(m['indicators'])} 尚未评分。"
            )
        if assessment.errors:
            sys.exit(1)

    def _fail(self, message: str) -> None:
        self.stderr.write(message)
        sys.exit(1)

    def _table(self, a: services.Assessment) -> None:
        when = f"截至 {a.as_of:%Y-%m-%d}" + ("（临时）" if a.provisional else "")
        self.stdout.write(f"{a.street.name} {a.year} 年双百分考核　方案：{a.scheme_name}　{when}")
        cards = [c.code for c in a.scheme.cards]
        heads = [
            "名次",
            "社区",
            "等次",
            *[f"{c}卡" for c in cards],
            "加分",
            "扣分",
            "否决",
            "总分",
            "距下一等次",
        ]
        widths = [4, 14, 6, *[8 for _ in cards], 6, 8, 4, 8, 20]
        self.stdout.write(" ".join(_pad(h, w) for h, w in zip(heads, widths, strict=True)).rstrip())
        for c in a.scored:
            row = [
                c.rank,
                c.name,
                c.grade or "待定",
                *[_fmt(c.cards.get(k)) for k in cards],
                _fmt(c.bonus),
                _fmt(c.deduction),
                "是" if c.veto else "否",
                _fmt(c.total),
                c.grade_gap,
            ]
            self.stdout.write(
                " ".join(_pad(v, w) for v, w in zip(row, widths, strict=True)).rstrip()
            )
        for c in a.scored:
            self.stdout.write("")
            self.stdout.write(f"【{c.name}】")
            for i in c.indicators:
                pts = "待考评" if i.points is None else f"{i.points:.2f}"
                line = f"  {_pad(i.code, 4)} {_pad(i.name, 28)} {_pad(pts, 7)}/ {i.max_points:.2f}"
                self.stdout.write(line + (f"　{i.gap}" if i.gap else ""))
