"""Reproducible installs: requirements/*.lock pin every dependency of pyproject.toml with
hashes, and scripts/bootstrap.sh installs from them again only when a lock file changed."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parent.parent
LOCKS = {"base": (), "test": ("test",), "load": ("load",)}


def pins(lock: Path) -> dict[str, str]:
    """name → version of every package pinned in a lock file (each with a hash)."""
    text = lock.read_text()
    found = {}
    for block in re.split(r"\n(?=[a-z0-9])", text):
        m = re.match(r"([A-Za-z0-9._-]+)==([^ ;\\\n]+)", block)
        if m:
            assert "--hash=sha256:" in block, f"{lock.name}: {m.group(1)} has no hash"
            found[m.group(1).lower().replace("_", "-")] = m.group(2)
    return found


@pytest.mark.parametrize("lock", LOCKS)
def test_every_dependency_is_pinned_with_a_hash_within_its_range(lock):
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = list(project["dependencies"])
    for extra in LOCKS[lock]:
        wanted += project["optional-dependencies"][extra]
    pinned = pins(ROOT / "requirements" / f"{lock}.lock")
    assert len(pinned) > len(wanted)  # the dependencies' own dependencies too
    for spec in wanted:
        req = Requirement(spec)
        name = req.name.lower().replace("_", "-")
        assert name in pinned, f"{lock}.lock lacks {name}: run scripts/lock.sh"
        assert req.specifier.contains(pinned[name], prereleases=True), (
            f"{lock}.lock pins {name}=={pinned[name]}, pyproject asks {req.specifier}: "
            "run scripts/lock.sh"
        )


@pytest.fixture
def machine(tmp_path):
    """A copy of the project's install scripts with stand-ins for dpkg and the venv's pip,
    which records what it was asked to install."""
    (tmp_path / "scripts").mkdir()
    shutil.copy(ROOT / "scripts" / "bootstrap.sh", tmp_path / "scripts")
    shutil.copytree(ROOT / "requirements", tmp_path / "requirements")
    bin_ = tmp_path / "fakebin"
    venv = tmp_path / ".venv" / "bin"
    bin_.mkdir()
    venv.mkdir(parents=True)
    log = tmp_path / "pip.log"
    for path, body in (
        (bin_ / "dpkg-query", 'echo "install ok installed"'),
        (venv / "python", "exit 0"),
        (venv / "pip", f'echo "$*" >> {log}'),
    ):
        path.write_text(f"#!/bin/sh\n{body}\n")
        path.chmod(0o755)
    env = {**os.environ, "PATH": f"{bin_}:{os.environ['PATH']}"}

    def bootstrap(extras: str = "") -> subprocess.CompletedProcess:
        return subprocess.run(
            ["bash", "scripts/bootstrap.sh"],
            cwd=tmp_path,
            env={**env, "EXTRAS": extras},
            capture_output=True,
            text=True,
        )

    def installs() -> list[str]:
        return log.read_text().splitlines() if log.exists() else []

    return tmp_path, bootstrap, installs


def test_bootstrap_installs_from_the_lock_and_again_only_when_it_changes(machine):
    root, bootstrap, installs = machine
    assert bootstrap("test").returncode == 0
    assert installs() == ["install -q --require-hashes -r requirements/test.lock"]
    assert bootstrap("test").returncode == 0
    assert len(installs()) == 1  # unchanged: nothing to do
    assert bootstrap().returncode == 0
    assert installs()[-1] == "install -q --require-hashes -r requirements/base.lock"
    with (root / "requirements" / "test.lock").open("a") as lock:
        lock.write("# changed\n")
    assert bootstrap("test").returncode == 0
    assert len(installs()) == 3 and installs()[-1].endswith("requirements/test.lock")
    assert bootstrap().returncode == 0 and len(installs()) == 3  # base.lock did not change
    assert len(list((root / ".venv").glob(".installed-test-*"))) == 1


def test_bootstrap_refuses_extras_without_a_lock(machine):
    _root, bootstrap, installs = machine
    result = bootstrap("gpu")
    assert result.returncode == 2 and "没有锁定文件" in result.stderr
    assert installs() == []
