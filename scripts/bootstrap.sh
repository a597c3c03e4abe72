#!/usr/bin/env bash
# Installs what the portal needs on a Debian machine: system packages (when missing),
# a virtual environment in .venv and the Python dependencies locked in requirements/*.lock.
# Safe to run again: it only does what is not done yet.
set -euo pipefail
cd "$(dirname "$0")/.."

# libpango/harfbuzz: WeasyPrint; fonts-noto-cjk: Chinese glyphs in PDFs (without it every
# character is a box); poppler-utils: pdftotext/pdftoppm in tests; chromium: browser tests,
# chromium-l10n: its Chinese locale (date pickers as users see them, 2026/12/04);
# postgresql: the production database, and the one CI runs the suite on.
SYSTEM_PACKAGES=(python3-venv libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
                 fonts-noto-cjk poppler-utils chromium chromium-l10n postgresql)

missing=()
for p in "${SYSTEM_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "==> 安装系统软件包: ${missing[*]}"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "==> 创建虚拟环境 .venv"
  "$PY" -m venv .venv
fi

# Python packages come from a lock file with hashes (scripts/lock.sh writes them from
# pyproject.toml): the same versions on every machine, each download checked. EXTRAS picks
# the lock: none for the portal, "test" adds the test tools, "load" the load test.
lock=requirements/${EXTRAS:-base}.lock
if [ ! -f "$lock" ]; then
  echo "EXTRAS=${EXTRAS}: 没有锁定文件 $lock（可用：不设、test、load）" >&2
  exit 2
fi
# Reinstall only when the lock file changed since the last install from it.
name=$(basename "$lock" .lock)
stamp=.venv/.installed-$name-$(sha256sum "$lock" | cut -c1-16)
if [ ! -f "$stamp" ]; then
  echo "==> 安装 Python 依赖（$lock）"
  .venv/bin/pip install -q --require-hashes -r "$lock"
  rm -f .venv/.installed-"$name"-*
  touch "$stamp"
fi
mkdir -p var
