"""Run the benchmarks against the configured database and print their figures.

    python -m benchmarks --scale small|city [--only assess,pages,pdf,workbook,district,board] [--runs N]
                         [--case export,new,same]   (the workbook's cases: export, import new, import same)

benchmarks/run.sh does this against a throwaway PostgreSQL (and is the documented way);
run directly, it uses DATABASE_URL, generating the synthetic city there when it is missing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import sys
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")


def main(argv: list[str] | None = None) -> int:
    import django

    django.setup()
    from django.db import connection

    from . import city
    from .cases import WORKBOOK_CASES
    from .measure import table
    from .suite import KINDS, load, run

    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--scale", choices=tuple(city.SCALES), default="small")
    parser.add_argument("--only", default=",".join(KINDS), help="逗号分隔：" + ",".join(KINDS))
    parser.add_argument("--runs", type=int, default=None, help="每项计时的次数（取中位数）")
    parser.add_argument(
        "--case",
        default=None,
        help="只运行工作簿的这些情形（逗号分隔）：" + ",".join(WORKBOOK_CASES),
    )
    args = parser.parse_args(argv)

    scale = city.SCALES[args.scale]
    if args.runs:
        scale = replace(scale, runs=args.runs)
    only = [k.strip() for k in args.only.split(",") if k.strip()]
    print(f"# 基准测试 · 规模 {scale.name} · {dt.datetime.now():%Y-%m-%d %H:%M}")
    print(f"机器：{os.cpu_count()} 核，{platform.platform()}，数据库 {connection.vendor}")
    print(f"开始时负载（uptime load average）：{load()}", flush=True)
    try:
        cases = [c.strip() for c in args.case.split(",") if c.strip()] if args.case else None
        figures = run(scale, only, progress=lambda m: print(m, flush=True), cases=cases)
    except ValueError as exc:
        parser.error(str(exc))
    print()
    print(table(figures))
    for f in figures:
        for line in f.extra.get("disagreements", []):
            print("  不一致：" + line)
    print(f"\n结束时负载：{load()}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
