#!/usr/bin/env bash
# Installs what is missing, prepares the database with the 四季青街道 demo data, prints the
# demo users and their passwords, and runs the portal on http://127.0.0.1:8000/ together
# with the background worker (imports, exports and PDFs run there).
# Uses SQLite under var/ unless DATABASE_URL is set.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
export DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-config.settings.base}
.venv/bin/python manage.py migrate --noinput
.venv/bin/python manage.py collectstatic --noinput >/dev/null
.venv/bin/python manage.py load_demo

.venv/bin/python manage.py db_worker --no-startup-delay &
WORKER_PID=$!
trap 'kill $WORKER_PID 2>/dev/null || true' EXIT INT TERM
echo "==> 后台任务进程已启动（pid $WORKER_PID）"
.venv/bin/python manage.py runserver "${HOST:-127.0.0.1}:${PORT:-8000}"
