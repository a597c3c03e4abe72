"""The demo street, exported to the standard workbook, scores the same in the oracle as in
the engine: exporter, engine and the independent implementation agree on realistic data."""

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from tests.demo_date import load_demo_at

from . import oracle
from .random_workbook import oracle_view

INTS = {
    "年度",
    "常住人口",
    "户数",
    "数量(套)",
    "计划年度",
    "出生年份",
    "参与人数",
    "认定年度",
    "撤销年度",
    "星级",
    "目标星级",
}
DECIMALS = {"面积(平方米)", "扣分", "投资(万元)", "服务时长(小时)"}


def read_rows(path) -> dict[str, list[dict]]:
    book = load_workbook(path, read_only=True)
    rows = {}
    for ws in book.worksheets:
        it = ws.iter_rows(values_only=True)
        headers = next(it, None)
        if not headers or ws.title == "说明":
            continue
        out = []
        for values in it:
            if all(v in (None, "") for v in values):
                continue
            r = dict.fromkeys(headers)  # rows of a write-only workbook stop at their last value
            for h, v in zip(headers, values, strict=False):
                if v == "":
                    v = None
                if isinstance(v, dt.datetime):
                    v = v.date()
                elif h in INTS and v is not None:
                    v = int(v)
                elif h in DECIMALS and v is not None:
                    v = Decimal(str(v))
                r[h] = v
            out.append(r)
        rows[ws.title] = out
    return rows


@pytest.mark.django_db
@pytest.mark.parametrize("year", [2013, 2014])
def test_demo_street_matches_oracle(tmp_path, year):
    load_demo_at()
    path = tmp_path / "demo.xlsx"
    call_command(
        "export_workbook", "--street", "四季青街道", "--output", str(path), stdout=io.StringIO()
    )
    expected = oracle.assess(oracle_view(read_rows(path)), "四季青街道", year)
    out = io.StringIO()
    call_command("assess", "--street", "四季青街道", "--year", str(year), "--json", stdout=out)
    got = json.loads(out.getvalue())
    mine = [
        {
            k: c[k]
            for k in (
                "community",
                "rank",
                "grade",
                "cards",
                "bonus",
                "deduction",
                "veto",
                "total",
                "indicators",
            )
        }
        for c in got["communities"]
    ]
    assert expected["errors"] == []
    assert mine == expected["communities"]
