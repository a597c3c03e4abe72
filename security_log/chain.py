"""The hash chain of the security log, as plain functions (no database).

Each entry's hash is SHA-256 over its own fields and the previous entry's hash, so changing a
field, removing an entry or swapping two entries breaks the chain from that point on. After a
purge the first kept entry links to the anchor (the hash of the last purged entry).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

GENESIS = "0" * 64


def stamp(moment: datetime) -> str:
    """The time as hashed: UTC, microseconds (what PostgreSQL and SQLite store)."""
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def canonical(details: Mapping[str, Any]) -> str:
    return json.dumps(details, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def entry_hash(fields: Mapping[str, Any], prev_hash: str) -> str:
    """SHA-256 of the entry's fields (a dict from `hashed_fields`) and the previous hash."""
    body = canonical({**fields, "prev_hash": prev_hash})
    return hashlib.sha256(body.encode("utf-8")).hexdigest()


def hashed_fields(
    *,
    seq: int,
    created_at: datetime,
    event: str,
    result: str,
    user_id: int | None,
    username: str,
    street_id: int | None,
    ip: str,
    details: Mapping[str, Any],
) -> dict[str, Any]:
    return {
        "seq": seq,
        "created_at": stamp(created_at),
        "event": event,
        "result": result,
        "user_id": user_id,
        "username": username,
        "street_id": street_id,
        "ip": ip,
        "details": canonical(details),
    }


@dataclass(frozen=True)
class Problem:
    seq: int
    message: str

    def __str__(self) -> str:
        return f"第 {self.seq} 条：{self.message}"


def verify(
    entries: Iterable[tuple[dict[str, Any], str, str]],
    *,
    anchor_seq: int,
    anchor_hash: str,
    head_seq: int,
    head_hash: str,
) -> list[Problem]:
    """Walk (fields, prev_hash, hash) in seq order from the anchor; list what does not hold.

    Catches an edited entry (its hash no longer matches its fields), a removed entry (a gap in
    seq, and the next entry links to a hash that is not its predecessor's), reordered entries
    (seq and links out of order) and a cut-off tail (the chain head is further on)."""
    problems: list[Problem] = []
    expected_seq, expected_prev = anchor_seq + 1, anchor_hash
    for fields, prev_hash, stored in entries:
        seq = fields["seq"]
        if seq != expected_seq:
            problems.append(Problem(seq, f"序号不连续（应为 {expected_seq}），有记录被删除或调换"))
        if prev_hash != expected_prev:
            problems.append(Problem(seq, "与前一条记录的哈希链接不符，有记录被删除、插入或调换"))
        if entry_hash(fields, prev_hash) != stored:
            problems.append(Problem(seq, "内容与哈希不符，记录已被修改"))
        expected_seq, expected_prev = seq + 1, stored
    if (expected_seq - 1, expected_prev) != (head_seq, head_hash):
        problems.append(
            Problem(expected_seq - 1, f"链尾与链头（第 {head_seq} 条）不符，末尾记录被删除或修改")
        )
    return problems
