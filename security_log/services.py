"""Writing to the security log. The one entry point for every app is `record`:

    from security_log.services import record
    record("export", user=request.user, request=request, list="设施", filters={...}, rows=12)

`event` is a security_log.models.Event value; `result` "ok", "failed" or "refused"; any
further keyword becomes part of `details` (ids, counts, list names, filter values — never a
person's name or phone: `record` refuses keys that name personal data and values that look
like a phone number or an ID-card number). The entry joins the caller's transaction: when the
request's work is rolled back, so is its entry.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import Any

import pgtrigger
from django.conf import settings
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from portal.client_ip import client_ip

from . import chain
from .models import ChainHead, Event, Result, SecurityEvent

MIN_RETENTION_DAYS = 180  # 网络安全法 第二十一条: network logs kept for at least six months
PERSONAL_KEYS = frozenset({"name", "phone", "mobile", "id_card", "address", "姓名", "电话", "手机"})
_PHONE_OR_ID = re.compile(r"(?<!\d)(1[3-9]\d{9}|\d{17}[\dXx])(?!\d)")

# Which street an account belongs to (so street admins see their street's entries). The
# communities app registers it at start-up; the log itself knows nothing of streets.
_street_of: Callable[[Any], int | None] = lambda user: None  # noqa: E731


def set_street_resolver(resolver: Callable[[Any], int | None]) -> None:
    global _street_of
    _street_of = resolver


# What one entry costs inside a transaction: lock the chain head, insert, move the head.
QUERIES_PER_ENTRY = 3


class PersonalDataInLog(ValueError):
    pass


def _clean(value: Any, path: str) -> Any:
    """JSON-safe details; personal data is refused, not silently stored."""
    if isinstance(value, Mapping):
        cleaned = {}
        for k, v in value.items():
            if str(k).lower() in PERSONAL_KEYS:
                raise PersonalDataInLog(f"安全日志不记录个人信息（{path}{k}）")
            cleaned[str(k)] = _clean(v, f"{path}{k}.")
        return cleaned
    if isinstance(value, list | tuple | set | frozenset):
        return [_clean(v, path) for v in value]
    if value is None or isinstance(value, bool | int):
        return value
    text = str(value)
    if _PHONE_OR_ID.search(text):
        raise PersonalDataInLog(f"安全日志不记录电话或证件号码（{path.rstrip('.')}）")
    return text


def record(
    event: str,
    *,
    user: Any,
    request: HttpRequest | None = None,
    result: str = Result.OK,
    username: str = "",
    street_id: int | None = None,
    **details: Any,
) -> SecurityEvent:
    """Append one entry. `user` may be None or anonymous (a failed sign-in: pass `username`);
    `street_id` overrides the street of `user` (a role change is filed under the street of
    the account that changed, so that street's admin sees it)."""
    if event not in Event.values:
        raise ValueError(f"未知的安全事件：{event}")
    if result not in Result.values:
        raise ValueError(f"未知的结果：{result}")
    signed_in = user is not None and getattr(user, "is_authenticated", False)
    user_id = user.pk if signed_in else None
    username = username or (user.get_username() if signed_in else "")
    if street_id is None and signed_in:
        street_id = _street_of(user)
    ip = (client_ip(request) or "") if request is not None else ""
    cleaned = _clean(details, "")
    # No savepoint: a failure to log fails the caller's whole transaction, as it should.
    with transaction.atomic(savepoint=False):
        head = _locked_head()
        now = timezone.now()
        fields = chain.hashed_fields(
            seq=head.last_seq + 1,
            created_at=now,
            event=event,
            result=result,
            user_id=user_id,
            username=username[:150],
            street_id=street_id,
            ip=ip[:45],
            details=cleaned,
        )
        digest = chain.entry_hash(fields, head.last_hash)
        entry = SecurityEvent.objects.create(
            seq=fields["seq"],
            created_at=now,
            event=event,
            result=result,
            user_id=user_id,
            username=fields["username"],
            street_id=street_id,
            ip=fields["ip"],
            details=cleaned,
            prev_hash=head.last_hash,
            hash=digest,
        )
        head.last_seq, head.last_hash = entry.seq, digest
        head.save(update_fields=["last_seq", "last_hash"])
    return entry


def _locked_head() -> ChainHead:
    head = ChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        ChainHead.objects.get_or_create(
            pk=1, defaults={"last_hash": chain.GENESIS, "anchor_hash": chain.GENESIS}
        )
        head = ChainHead.objects.select_for_update().get(pk=1)
    return head


def retention_days() -> int:
    return int(getattr(settings, "SECURITY_LOG_RETENTION_DAYS", MIN_RETENTION_DAYS))


def purge(*, days: int | None = None, user: Any = None) -> int:
    """Remove the entries older than `days` (the retention setting by default, never fewer
    than 180), keep the chain verifiable by anchoring it at the last removed entry, and log
    the purge itself. Returns how many entries were removed."""
    days = retention_days() if days is None else days
    if days < MIN_RETENTION_DAYS:
        raise ValueError(
            f"安全日志至少保存 {MIN_RETENTION_DAYS} 天（网络安全法），不能设为 {days} 天。"
        )
    cutoff = timezone.now() - timedelta(days=days)
    with transaction.atomic():
        head = _locked_head()
        old = SecurityEvent.objects.filter(created_at__lt=cutoff).order_by("-seq")
        last = old.values("seq", "hash").first()
        removed = 0
        if last is not None:
            with pgtrigger.ignore("security_log.SecurityEvent:append_only"):
                removed, _ = SecurityEvent.objects.filter(seq__lte=last["seq"]).delete()
            head.anchor_seq, head.anchor_hash = last["seq"], last["hash"]
            head.save(update_fields=["anchor_seq", "anchor_hash"])
        record(
            Event.LOG_PURGED,
            user=user,
            removed=removed,
            retention_days=days,
            cutoff=chain.stamp(cutoff),
            anchor_seq=head.anchor_seq,
        )
    return removed


def verify() -> list[chain.Problem]:
    """Every break in the chain, from the anchor to the head (empty: the log is intact)."""
    head = ChainHead.objects.filter(pk=1).first()
    if head is None:
        head = ChainHead(last_hash=chain.GENESIS, anchor_hash=chain.GENESIS)
    rows = SecurityEvent.objects.order_by("seq").values().iterator(chunk_size=2000)
    entries = (
        (
            chain.hashed_fields(
                **{k: r[k] for k in ("seq", "created_at", "event", "result", "user_id")},
                **{k: r[k] for k in ("username", "street_id", "ip", "details")},
            ),
            r["prev_hash"],
            r["hash"],
        )
        for r in rows
    )
    return chain.verify(
        entries,
        anchor_seq=head.anchor_seq,
        anchor_hash=head.anchor_hash,
        head_seq=head.last_seq,
        head_hash=head.last_hash,
    )
