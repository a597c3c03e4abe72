#!/usr/bin/env bash
# Installs what is missing, prepares the database with the 四季青街道 demo data, prints the
# demo users and their passwords, and runs the portal on http://127.0.0.1:8000/ .
# Uses SQLite under var/ unless DATABASE_URL is set.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
export DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-config.settings.base}
.venv/bin/python manage.py migrate --noinput
.venv/bin/python manage.py collectstatic --noinput >/dev/null
.venv/bin/python manage.py load_demo
exec .venv/bin/python manage.py runserver "${HOST:-127.0.0.1}:${PORT:-8000}"
