#!/usr/bin/env bash
# Installs what is missing, prepares the database with the 四季青街道 demo data, prints the
# demo users and their passwords, and serves the portal on http://127.0.0.1:8000/ together
# with the background worker (imports, exports and PDFs run there).
#
#   ./scripts/demo.sh                         # gunicorn (threads) + whitenoise, DEBUG off
#   HOST=0.0.0.0 PORT=8080 ./scripts/demo.sh  # for the office network (this machine's addresses)
#   DEV=1 ./scripts/demo.sh                   # developers: Django's runserver, DEBUG on
#
# Uses SQLite under var/ unless DATABASE_URL is set (README: how many users that is for).
# DEBUG is off unless DJANGO_DEBUG=1 (or DEV=1): errors show the Chinese 404/500 pages,
# never settings or tracebacks. WEB_WORKERS × WEB_THREADS requests are served at once.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
export DJANGO_SETTINGS_MODULE=${DJANGO_SETTINGS_MODULE:-config.settings.base}
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
if [ "${DEV:-0}" = "1" ]; then
  export DJANGO_DEBUG=${DJANGO_DEBUG:-1}
fi

# This machine's own secret key, made once and kept in var/ (the built-in development key
# is public: anyone could forge what Django signs with it).
if [ -z "${DJANGO_SECRET_KEY:-}" ]; then
  if [ ! -s var/secret_key ]; then
    (umask 077 && head -c 48 /dev/urandom | od -An -tx1 | tr -d ' \n' >var/secret_key)
  fi
  DJANGO_SECRET_KEY=$(cat var/secret_key)
  export DJANGO_SECRET_KEY
fi
# Served beyond this machine: the names under which the office's browsers reach it.
if [ -z "${DJANGO_ALLOWED_HOSTS:-}" ] && [[ ! "$HOST" =~ ^(127\.0\.0\.1|localhost)$ ]]; then
  hosts="localhost,127.0.0.1,[::1],$(hostname)"
  [ "$HOST" != "0.0.0.0" ] && hosts="$hosts,$HOST"
  for address in $(hostname -I 2>/dev/null || true); do
    case "$address" in *:*) hosts="$hosts,[$address]" ;; *) hosts="$hosts,$address" ;; esac
  done
  export DJANGO_ALLOWED_HOSTS=$hosts
  echo "==> 允许的访问地址：$DJANGO_ALLOWED_HOSTS（可用 DJANGO_ALLOWED_HOSTS 指定）"
fi

.venv/bin/python manage.py migrate --noinput
.venv/bin/python manage.py collectstatic --noinput >/dev/null
.venv/bin/python manage.py load_demo

.venv/bin/python manage.py db_worker --no-startup-delay &
WORKER_PID=$!
trap 'kill $WORKER_PID 2>/dev/null || true' EXIT INT TERM
echo "==> 后台任务进程已启动（pid $WORKER_PID）"

if [ "${DEV:-0}" = "1" ]; then
  echo "==> 开发服务器（DEBUG=${DJANGO_DEBUG}）：http://$HOST:$PORT/"
  .venv/bin/python manage.py runserver "$HOST:$PORT" &
else
  echo "==> 平台已启动：http://$HOST:$PORT/ （gunicorn ${WEB_WORKERS:-2} 个进程 × ${WEB_THREADS:-4} 个线程；Ctrl+C 停止）"
  # The timeout outlasts SQLite's busy timeout (60 s), so a request waiting for the write
  # lock gets its answer rather than a killed worker.
  .venv/bin/gunicorn config.wsgi:application --bind "$HOST:$PORT" \
    --workers "${WEB_WORKERS:-2}" --threads "${WEB_THREADS:-4}" --timeout 120 \
    --graceful-timeout 10 --log-level warning &
fi
SERVER_PID=$!
# Stopping the script (Ctrl+C, or a TERM to its pid) stops the server and the worker.
trap 'kill $SERVER_PID $WORKER_PID 2>/dev/null || true; wait 2>/dev/null || true' EXIT INT TERM
wait $SERVER_PID
