"""Prints the figures of a locust run from its CSV (--csv PREFIX → PREFIX_stats.csv).

python loadtest/summary.py PREFIX_stats.csv
python loadtest/summary.py --ratio MIX_stats.csv MINIMAL_stats.csv   # saturation ratio
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


def throughput(path: str) -> tuple[float, int, int]:
    """(req/s, requests, errors) of a run's aggregate row."""
    with open(path, newline="", encoding="utf-8") as fh:
        total = next(r for r in csv.DictReader(fh) if r["Name"] == "Aggregated")
    return float(total["Requests/s"]), int(total["Request Count"]), int(total["Failure Count"])


def ratio(mix: str, minimal: str) -> int:
    mix_rate, mix_n, mix_errors = throughput(mix)
    min_rate, min_n, min_errors = throughput(minimal)
    print(f"月末组合 {mix_rate:.1f} 请求/秒（{mix_n} 个，错误 {mix_errors}）")
    print(f"最小登录页 {min_rate:.1f} 请求/秒（{min_n} 个，错误 {min_errors}）")
    print(f"饱和比 {mix_rate / min_rate:.2f}（目标 ≥ 0.3）" if min_rate else "饱和比：无法计算")
    return 0


if __name__ == "__main__":
    if sys.argv[1] == "--ratio":
        sys.exit(ratio(sys.argv[2], sys.argv[3]))
    sys.exit(main(sys.argv[1]))
