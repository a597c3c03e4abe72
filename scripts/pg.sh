#!/usr/bin/env bash
# A throwaway PostgreSQL on 127.0.0.1 for tests and CI:  scripts/pg.sh start|stop|url
# initdb refuses to run as root, so as root the server runs as the postgres user.
set -euo pipefail
PORT=${PGPORT_TEST:-54329}
DATA=${PGDATA_TEST:-/tmp/wenti-pg-$PORT}
BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$BIN" ] || { echo "未找到 PostgreSQL（apt-get install postgresql）" >&2; exit 1; }
URL="postgres://wenti:wenti@127.0.0.1:$PORT/wenti"

as_pg() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-}" in
  start)
    if [ ! -f "$DATA/PG_VERSION" ]; then
      mkdir -p "$DATA"
      [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$DATA"
      as_pg "$BIN/initdb" -D "$DATA" -U postgres -E UTF8 --locale=C.UTF-8 -A trust >/dev/null
    fi
    if ! as_pg "$BIN/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
      as_pg "$BIN/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w \
        -o "-c listen_addresses=127.0.0.1 -p $PORT -k /tmp -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
    fi
    psql_() { as_pg "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -v ON_ERROR_STOP=1 -qtA "$@"; }
    psql_ -c "SELECT 1 FROM pg_roles WHERE rolname='wenti'" | grep -q 1 \
      || psql_ -c "CREATE ROLE wenti LOGIN CREATEDB PASSWORD 'wenti'"
    psql_ -c "SELECT 1 FROM pg_database WHERE datname='wenti'" | grep -q 1 \
      || psql_ -c "CREATE DATABASE wenti OWNER wenti"
    echo "$URL"
    ;;
  stop)
    as_pg "$BIN/pg_ctl" -D "$DATA" -m fast stop >/dev/null 2>&1 || true
    ;;
  url)
    echo "$URL"
    ;;
  *)
    echo "用法: scripts/pg.sh start|stop|url" >&2; exit 2 ;;
esac
