"""Computed assessments kept in Django's cache, never stale: the key carries the street's data
version (communities/versions.py), which every write that can change a score raises in its
own transaction, and the content of the scheme applied.

The key of one street's assessment: (street id, its data version, year Y, the resolved date D,
a digest of the scheme's data, with evidence or not, the extra columns' function). The
versions of all the streets are read in ONE query, BEFORE computing, and what is computed is
stored under the version read: a write that lands while computing can only make a stored
result newer than its key (the next reader sees the new version and computes again), never
older. So a cache per process (LocMemCache, the default) and one shared by the processes
(SCORE_CACHE_URL, a directory) are equally correct: an entry is either
for the current version or never asked for again. Every key is prefixed with the digest of
the code (settings.CACHES, config/code_version.py): a shared cache outlives a deploy, and the
new code must not read what the old code computed (its scheme in code, its Assessment shape).

An `extra` (engine.Extra) must read only records that raise the version (the dashboard's
activities and star ratings do); it is keyed by its name, not by what it reads.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from collections.abc import Callable, Sequence

from django.core.cache import cache

from communities import versions
from communities.models import Street

from .outcomes import Assessment
from .scheme import SchemeSpec

PREFIX = "assessment:v1"  # what the entries are; the code's digest (settings.CACHES) comes first
TIMEOUT = 60 * 60 * 24  # an entry no longer asked for (its version passed) ages out


def scheme_digest(scheme: SchemeSpec) -> str:
    data = json.dumps(scheme.as_data(), sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha1(data.encode()).hexdigest()


def _extra_name(extra: Callable | None) -> str:
    return f"{extra.__module__}.{extra.__qualname__}" if extra else "-"


def keys(
    jobs: Sequence[tuple[Street, SchemeSpec]],
    year: int,
    as_of: dt.date,
    *,
    evidence: bool,
    extra: Callable | None,
) -> list[str]:
    """The cache key of each job's assessment (one query: the streets' data versions)."""
    found = versions.versions(s.pk for s, _ in jobs)
    digests: dict[int, str] = {}  # a district's streets share one scheme object
    extra_name = _extra_name(extra)
    out = []
    for street, scheme in jobs:
        digest = digests.get(id(scheme)) or digests.setdefault(id(scheme), scheme_digest(scheme))
        out.append(
            f"{PREFIX}:{street.pk}:{found[street.pk]}:{year}:{as_of.isoformat()}:{digest}"
            f":{int(evidence)}:{extra_name}"
        )
    return out


def through(
    jobs: Sequence[tuple[Street, SchemeSpec]],
    job_keys: Sequence[str],
    compute: Callable[[list[tuple[Street, SchemeSpec]]], list[Assessment]],
) -> list[Assessment]:
    """Each job's assessment from the cache, the missing ones computed (together, by
    `compute`) and stored. The street on each is the caller's (its name as read now)."""
    found = cache.get_many(list(job_keys))
    missing = [n for n, key in enumerate(job_keys) if key not in found]
    if missing:
        computed = compute([jobs[n] for n in missing])
        fresh = {job_keys[n]: a for n, a in zip(missing, computed, strict=True)}
        cache.set_many(fresh, TIMEOUT)
        found.update(fresh)
    return [
        dataclasses.replace(found[key], street=street, cache_key=key)
        for (street, _), key in zip(jobs, job_keys, strict=True)
    ]


def through_own_scheme(
    street: Street,
    year: int,
    as_of: dt.date,
    *,
    evidence: bool,
    extra: Callable | None,
    compute: Callable[[], Assessment],
) -> Assessment:
    """The street's assessment by the scheme it has for Y (engine.scheme_for: its own, else
    its district's published one, else the default), found WITHOUT reading that scheme: every
    one of them raises the street's version when it changes (a published scheme raises all
    the district's streets, and a street's own save raises it: moved to another district, it
    takes that district's scheme at once; the district is in the key besides), and the
    scheme in code changes only with a deploy, which changes every key (the code's digest
    prefixes them). One query when nothing changed: the version."""
    version = versions.versions([street.pk])[street.pk]
    key = (
        f"{PREFIX}:own:{street.pk}:{street.district_id}:{version}:{year}:{as_of.isoformat()}"
        f":{int(evidence)}:{_extra_name(extra)}"
    )
    found = cache.get(key)
    if found is None:
        found = compute()
        cache.set(key, found, TIMEOUT)
    return dataclasses.replace(found, street=street)
