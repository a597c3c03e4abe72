"""A digest of the portal's own Python source, the cache's key prefix (settings.CACHES).

Cached scores are keyed by data versions, which writes raise; what the code computes from
the data changes only with a deploy. A cache per process died with the old code; a shared
cache (SCORE_CACHE_URL, a directory every process reads) outlives it, so its keys carry the
code too: a deploy with any change to the source reads none of the entries made before it,
and the processes of one deploy share theirs. Reading the files takes a few milliseconds,
once per process.
"""

from __future__ import annotations

import hashlib
from pathlib import Path


def source_digest(root: Path) -> str:
    """The digest of every .py file in the packages directly under root (a directory with
    an __init__.py; hidden ones, such as the virtual environment, are skipped)."""
    digest = hashlib.sha1()
    for package in sorted(root.iterdir()):
        if package.name.startswith(".") or not (package / "__init__.py").is_file():
            continue
        for path in sorted(package.rglob("*.py")):
            digest.update(str(path.relative_to(root)).encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:12]
