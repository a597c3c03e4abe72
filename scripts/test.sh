#!/usr/bin/env bash
# The whole test suite, from nothing: installs what is missing, checks style (ruff check,
# ruff format --check) and layers (lint-imports), starts a throwaway PostgreSQL on
# 127.0.0.1, runs every test on it (browser tests included), runs the fast tests again on
# SQLite, and stops PostgreSQL.   Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
EXTRAS=test scripts/bootstrap.sh
export DJANGO_SETTINGS_MODULE=config.settings.test

echo "==> 代码风格 (ruff check, ruff format --check)"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
echo "==> 分层 (lint-imports: 依赖只能指向下层，见 pyproject.toml)"
.venv/bin/lint-imports

echo "==> 检查 (manage.py check, makemigrations --check)"
.venv/bin/python manage.py check --fail-level WARNING
.venv/bin/python manage.py makemigrations --check --dry-run >/dev/null \
  || { echo "模型有改动但没有迁移文件：请运行 makemigrations" >&2; exit 1; }

echo "==> PostgreSQL"
DATABASE_URL=$(scripts/pg.sh start)
trap 'scripts/pg.sh stop' EXIT
echo "==> 全部测试（PostgreSQL）"
DATABASE_URL=$DATABASE_URL .venv/bin/python -m pytest -p no:cacheprovider "$@"

echo "==> 快速测试（SQLite）"
env -u DATABASE_URL .venv/bin/python -m pytest -p no:cacheprovider -m "not browser and not postgres" -q "$@"
