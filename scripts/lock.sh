#!/usr/bin/env bash
# Re-resolves the lock files requirements/*.lock from pyproject.toml: every Python package
# pinned with its hashes, for Python 3.11 and 3.12 on any platform (uv's universal mode).
# scripts/bootstrap.sh installs from them with `pip --require-hashes`.
#
#   scripts/lock.sh                            after editing pyproject.toml: keeps every pin it can
#   scripts/lock.sh --upgrade                  take the newest allowed version of everything
#   scripts/lock.sh --upgrade-package django   … of one package
#
# Commit the changed lock files; the next bootstrap.sh on any machine reinstalls.
set -euo pipefail
cd "$(dirname "$0")/.."

UV=.venv/bin/uv
if [ ! -x "$UV" ]; then
  echo "==> 安装 uv（仅用于生成锁定文件）"
  .venv/bin/pip install -q uv
fi
mkdir -p requirements
for extra in base test load; do
  opts=()
  [ "$extra" != base ] && opts=(--extra "$extra")
  "$UV" pip compile pyproject.toml "${opts[@]}" --generate-hashes --universal \
    --python-version 3.11 --custom-compile-command "scripts/lock.sh" --quiet \
    -o "requirements/$extra.lock" "$@"
  echo "requirements/$extra.lock: $(grep -c '^[a-z0-9]' "requirements/$extra.lock") 个软件包"
done
