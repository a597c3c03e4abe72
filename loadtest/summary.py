"""Prints the figures of a locust run from its CSV (--csv PREFIX → PREFIX_stats.csv).

python loadtest/summary.py PREFIX_stats.csv
"""

from __future__ import annotations

import csv
import sys


def main(path: str) -> int:
    with open(path, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    width = max(len(r["Name"]) for r in rows)
    print(
        f"{'page':<{width}}  {'requests':>8} {'errors':>6} {'req/s':>7} "
        f"{'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'max ms':>7}"
    )
    for r in rows:
        print(
            f"{r['Name']:<{width}}  {r['Request Count']:>8} {r['Failure Count']:>6} "
            f"{float(r['Requests/s']):>7.1f} {r['50%']:>7} {r['95%']:>7} {r['99%']:>7} "
            f"{float(r['Max Response Time']):>7.0f}"
        )
    total = next(r for r in rows if r["Name"] == "Aggregated")
    print(
        f"\n吞吐量 {float(total['Requests/s']):.1f} 请求/秒；p50 {total['50%']} ms，"
        f"p95 {total['95%']} ms，p99 {total['99%']} ms；请求 {total['Request Count']} 个，错误 {total['Failure Count']} 个"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
