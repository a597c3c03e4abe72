"""Benchmark: the matches of one new photo among 100,000 stored photos (issue 22).

    python -m benchmarks.photo_search [--photos 100000] [--runs 15]

Uses DATABASE_URL (benchmarks/run.sh's PostgreSQL, say), or an in-memory SQLite database
that it migrates itself. It stores `--photos` photos in one street the way the portal does
(ArchiveFile → PhotoFingerprint → seven PhotoHash rows each: the photo and six crops, with
their bands indexed) and times evidence.services.find_matches for new photos.

The stored hashes are not uniform random bits (which would flatter the band index): they
are the real pHashes of 200 generated scenes, each varied by 14–24 random bit flips (the
same flips for the photo and its crops), so stored photos crowd around common band values
as real photos of similar rooms do. Into them go, for each query, two genuine copies of the
query's scene (resized; 10 % cropped and re-saved). The reference, timed in the same run,
is what a search without the index must do: read every stored hash of the street and count
differing bits for all of them (numpy). Both must find the same photos.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

POOL = 200
QUERIES = 15


def main(argv: list[str] | None = None) -> int:
    import django

    django.setup()
    import numpy as np
    from django.core.management import call_command
    from django.db import connection, transaction

    from activities.models import Activity, ArchiveFile
    from communities.models import Community, Street
    from evidence import hashing, scenes, services
    from evidence.models import FingerprintStatus, PhotoFingerprint, PhotoHash

    parser = argparse.ArgumentParser(prog="python -m benchmarks.photo_search")
    parser.add_argument("--photos", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=QUERIES)
    args = parser.parse_args(argv)
    call_command("migrate", verbosity=0)
    rng = random.Random(22)

    def hashes_of(image) -> dict[int, int]:
        return hashing.fingerprint(io.BytesIO(scenes.jpeg(image))).hashes

    print(f"# 照片查重基准 · {args.photos:,} 张已存照片 · 数据库 {connection.vendor}", flush=True)
    started = time.perf_counter()
    pool = [hashes_of(scenes.scene(50_000 + n)) for n in range(POOL)]
    queries = [scenes.scene(60_000 + n) for n in range(args.runs)]
    print(f"生成 {POOL} 个场景的指纹：{time.perf_counter() - started:.1f} s", flush=True)

    street = Street.objects.create(name="基准街道")
    community = Community.objects.create(street=street, name="基准社区")
    activity = Activity.objects.create(
        community=community, name="基准活动", date="2014-05-01", category="文化"
    )
    stored: list[dict[int, int]] = []
    for _ in range(args.photos):
        base = pool[rng.randrange(POOL)]
        mask = 0
        for bit in rng.sample(range(64), rng.randint(14, 24)):
            mask |= 1 << bit
        stored.append({v: h ^ mask for v, h in base.items()})
    planted = {}
    for q, image in enumerate(queries):
        for copy in (scenes.resized(image, 0.5), scenes.reencoded(scenes.cropped(image), 60)):
            planted.setdefault(q, []).append(len(stored))
            stored.append(hashes_of(copy))

    started = time.perf_counter()
    batch = 5000
    for start in range(0, len(stored), batch):
        chunk = stored[start : start + batch]
        with transaction.atomic():
            files = ArchiveFile.objects.bulk_create(
                [
                    ArchiveFile(
                        activity=activity,
                        slot="image",
                        file=f"bench/{start + i}.jpg",
                        original_name=f"{start + i}.jpg",
                        content_type="image/jpeg",
                        size=1,
                    )
                    for i in range(len(chunk))
                ]
            )
            prints = PhotoFingerprint.objects.bulk_create(
                [PhotoFingerprint(archive_file=f, status=FingerprintStatus.OK) for f in files]
            )
            PhotoHash.objects.bulk_create(
                [
                    PhotoHash(
                        fingerprint=fp,
                        street=street,
                        variant=v,
                        value=hashing.to_signed(h),
                        **{f"band{i}": b for i, b in enumerate(hashing.bands(h))},
                    )
                    for fp, hashes in zip(prints, chunk, strict=True)
                    for v, h in hashes.items()
                ]
            )
        if start == 0:
            first_pk = prints[0].pk
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE evidence_photohash")
    elif connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    rows = PhotoHash.objects.filter(street=street).count()
    print(f"写入 {len(stored):,} 张照片、{rows:,} 条哈希：{time.perf_counter() - started:.1f} s")

    def full_scan(query: dict[int, int]) -> dict[int, int]:
        data = PhotoHash.objects.filter(street=street).values_list(
            "fingerprint_id", "variant", "value"
        )
        arr = np.array(list(data), dtype=np.int64)
        values = arr[:, 2].view(np.uint64)
        full = arr[:, 1] == hashing.FULL
        qs = np.array(list(query.values()), dtype=np.uint64)
        whole = hashing.hamming_matrix(qs[:1], values)[0]  # the query photo vs every hash
        crops = hashing.hamming_matrix(qs, values).min(axis=0)  # its crops vs whole photos
        d = np.where(full, np.minimum(whole, crops), whole)
        hit = d <= hashing.MATCH_DISTANCE
        best: dict[int, int] = {}
        for fp, dist in zip(arr[hit, 0].tolist(), d[hit].tolist(), strict=True):
            best[fp] = min(dist, best.get(fp, 99))
        return best

    index_times, scan_times, candidates = [], [], []
    disagreements = 0
    for q, image in enumerate(queries):
        query = hashes_of(image)
        t0 = time.perf_counter()
        found = services.find_matches(street.pk, query)
        index_times.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        scanned = full_scan(query)
        scan_times.append(time.perf_counter() - t0)
        candidates.append(
            PhotoHash.objects.filter(
                services.candidate_q(query, hashing.MATCH_DISTANCE), street=street
            ).count()
        )
        found_map = {m.fingerprint_id: m.distance for m in found}
        wanted = {first_pk + i for i in planted[q]}
        if found_map != scanned or not wanted <= set(found_map):
            disagreements += 1
    index_s, scan_s = statistics.median(index_times), statistics.median(scan_times)
    print()
    print("| 项目 | 中位数 | 倍数 |")
    print("|---|---|---|")
    print(
        f"| 带索引查找（evidence.services.find_matches） | {index_s * 1000:.1f} ms | "
        f"{index_s / scan_s:.3f}× 全表扫描 |"
    )
    print(f"| 参照：读出本街道全部哈希并逐一比对（numpy） | {scan_s * 1000:.1f} ms | 1× |")
    print()
    print(f"每次查找的候选哈希行（中位数）：{statistics.median(candidates):,.0f} / {rows:,}")
    print(
        f"{len(queries)} 次查找，结果与全表扫描不一致：{disagreements} 次；"
        f"每次都找到了植入的 2 张副本：{'是' if not disagreements else '否'}"
    )
    return 0 if not disagreements else 1


if __name__ == "__main__":
    raise SystemExit(main())
