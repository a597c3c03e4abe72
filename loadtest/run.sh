#!/usr/bin/env bash
# Load test of the portal on this machine only (127.0.0.1), bounded in time:
#   a throwaway PostgreSQL → migrate → 四季青 demo (+ 3 synthetic streets of 30 communities)
#   → a 2014 assessment run per street and 50 signed-in users (loadtest/prepare.py)
#   → gunicorn, 4 processes × 1 thread (gthread: two processes a core, one request each;
#     docs/operations.md says why not threads), keep-alive 5 s (longer than the users' think time: with gunicorn's default
#     2 s, a client reusing its connection after 2–3 s met the server closing it, and the
#     request was lost as "connection reset"), production settings (config.settings.loadtest: DEBUG off, persistent
#     connections), warmed up and checked by loadtest/warmup.py, then 30 s of the mix
#     itself, not measured (WARMUP)
#   → locust, headless, the month-end mix (issue 20): 100 users for 120 s, think time 1–3 s,
#     reading lists, dashboards, the verification queue and scorecards, saving and submitting
#     activities → throughput, p50/p95/p99, errors
#   → with SATURATION=1 (default), two runs without think time on the same server: the mix,
#     then MinimalUser (one light signed-in page); the ratio of their req/s is printed
#   → everything stopped.
#
#   loadtest/run.sh                                  # defaults below
#   USERS=30 DURATION=60s SATURATION=0 loadtest/run.sh   # a small run on a busy machine
#
# Results stay in loadtest/var/<date-time>/ (locust CSV, gunicorn log, summary.txt).
set -euo pipefail
cd "$(dirname "$0")/.."

USERS=${USERS:-100}
SPAWN_RATE=${SPAWN_RATE:-10}
DURATION=${DURATION:-120s}
WORKERS=${WORKERS:-4}
THREADS=${THREADS:-1}
WRITE=${WRITE:-1}
SATURATION=${SATURATION:-1}
SAT_USERS=${SAT_USERS:-20}
SAT_DURATION=${SAT_DURATION:-30s}
PORT=${PORT:-8765}
THINK=${THINK:-1-3}
SYNTHETIC=${SYNTHETIC:-1}
export PGPORT_TEST=${LOADTEST_PGPORT:-54395}
export PGDATA_TEST=/tmp/wenti-pg-loadtest-$PGPORT_TEST
OUT=$PWD/loadtest/var/$(date +%Y%m%d-%H%M%S)
mkdir -p "$OUT"
PY=.venv/bin/python

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# Never measure somebody else's server that happens to listen there.
if port_busy "$PORT"; then
  echo "端口 127.0.0.1:$PORT 已被占用；请用 PORT=其他端口 loadtest/run.sh" >&2; exit 2
fi

EXTRAS=load scripts/bootstrap.sh

GUNICORN_PID=""
cleanup() {
  if [ -n "$GUNICORN_PID" ] && kill -0 "$GUNICORN_PID" 2>/dev/null; then
    kill "$GUNICORN_PID"; wait "$GUNICORN_PID" 2>/dev/null || true
  fi
  scripts/pg.sh stop
  rm -rf "$PGDATA_TEST"
}
trap cleanup EXIT

echo "==> PostgreSQL（临时，端口 $PGPORT_TEST）"
scripts/pg.sh stop; rm -rf "$PGDATA_TEST"   # always from nothing
DATABASE_URL=$(scripts/pg.sh start)
export DATABASE_URL
export DJANGO_SETTINGS_MODULE=config.settings.loadtest
export DJANGO_SECRET_KEY=loadtest-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
export DJANGO_ALLOWED_HOSTS=127.0.0.1,localhost
export DJANGO_TRUSTED_PROXIES=0   # locust talks to gunicorn directly, no proxy in front
export DJANGO_STATIC_ROOT=$OUT/static DJANGO_MEDIA_ROOT=$OUT/media
export LOADTEST_DATA=$OUT/users.json LOADTEST_THINK=$THINK LOADTEST_USERS=$USERS
export LOADTEST_WRITE=$WRITE
# One score cache for gunicorn's processes (docs/operations.md), new with each run's database:
# SCORE_CACHE_URL=locmemcache:// measures a cache per process instead.
export SCORE_CACHE_URL=${SCORE_CACHE_URL:-filecache://$OUT/score-cache}

echo "==> 数据：迁移、演示数据$([ "$SYNTHETIC" = 1 ] && echo "、合成数据")、考核、压测用户"
$PY manage.py migrate --noinput >/dev/null
$PY manage.py collectstatic --noinput >/dev/null
$PY manage.py load_demo --as-of 2015-06-15 >/dev/null  # the demo of 2013–2014, as prepare.py and the locustfile (2014) expect
if [ "$SYNTHETIC" = "1" ]; then
  $PY manage.py generate_synthetic --streets 3 --communities 30 2>/dev/null
fi
$PY loadtest/prepare.py "$LOADTEST_DATA"

echo "==> gunicorn：$WORKERS 个进程 × $THREADS 个线程，http://127.0.0.1:$PORT/"
.venv/bin/gunicorn config.wsgi:application --workers "$WORKERS" --threads "$THREADS" \
  --worker-class gthread --bind "127.0.0.1:$PORT" --timeout 60 --keep-alive 5 \
  --error-logfile "$OUT/gunicorn.log" --log-level warning &
GUNICORN_PID=$!
for _ in $(seq 60); do
  curl -fsS -o /dev/null "http://127.0.0.1:$PORT/login/" 2>/dev/null && break
  sleep 0.5
done
if ! kill -0 "$GUNICORN_PID" 2>/dev/null \
    || ! curl -fsS -o /dev/null "http://127.0.0.1:$PORT/login/"; then
  echo "gunicorn 未能启动（$OUT/gunicorn.log）" >&2; exit 1
fi

$PY loadtest/warmup.py "$LOADTEST_DATA" "http://127.0.0.1:$PORT"

# Other work on the machine slows the server down: say how busy it was.
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
MIX="PortalUser DistrictUser"   # street and community accounts, and one in ten a district leader
# A warm-up of the same mix, not measured: a server at month-end has been answering for days
# (PostgreSQL's buffers, each worker's caches and templates). Without it the first 30 s of a
# fresh server were a third of the 120 s run's slow requests (p95 2.2 s in the first 800
# requests, 1.1 s over all 5,100). WARMUP=0 measures from cold.
WARMUP=${WARMUP:-30s}
if [ "$WARMUP" != "0" ]; then
  echo "==> 预热：同一组合，$USERS 个用户，$WARMUP（不计入结果）"
  timeout 300 .venv/bin/locust -f loadtest/locustfile.py --headless --only-summary \
    --users "$USERS" --spawn-rate "$SPAWN_RATE" --run-time "$WARMUP" --stop-timeout 10 \
    --host "http://127.0.0.1:$PORT" $MIX >"$OUT/warmup-locust.log" 2>&1 || true
fi
echo "==> locust：$USERS 个用户，每秒启动 $SPAWN_RATE 个，持续 $DURATION，间隔 ${THINK} 秒"
set +e
timeout 600 .venv/bin/locust -f loadtest/locustfile.py --headless --only-summary \
  --users "$USERS" --spawn-rate "$SPAWN_RATE" --run-time "$DURATION" --stop-timeout 10 \
  --host "http://127.0.0.1:$PORT" --csv "$OUT/locust" $MIX >"$OUT/locust.log" 2>&1
LOCUST_STATUS=$?
if [ "$SATURATION" = "1" ]; then
  # Saturation: no think time, the mix and then the minimal page, on the same server.
  for CLASS in PortalUser MinimalUser; do
    CLASSES=$CLASS; [ "$CLASS" = PortalUser ] && CLASSES=$MIX
    echo "==> 饱和：$CLASSES，$SAT_USERS 个用户，无间隔，持续 $SAT_DURATION"
    LOADTEST_THINK=0 timeout 300 .venv/bin/locust -f loadtest/locustfile.py --headless \
      --only-summary --users "$SAT_USERS" --spawn-rate "$SAT_USERS" --run-time "$SAT_DURATION" \
      --stop-timeout 10 --host "http://127.0.0.1:$PORT" --csv "$OUT/sat-$CLASS" $CLASSES \
      >"$OUT/sat-$CLASS.log" 2>&1 || LOCUST_STATUS=$?
  done
fi
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
set -e

{
  echo "日期 $(date -Iseconds)；机器 $(nproc) 核，$(free -g | awk '/Mem:/ {print $2}') GB 内存；开始时负载 $LOAD_BEFORE，结束时 $LOAD_AFTER"
  echo "用户 $USERS，启动速率 $SPAWN_RATE/s，时长 $DURATION（之前预热 $WARMUP），间隔 $THINK 秒，gunicorn $WORKERS 进程 × $THREADS 线程，写入 $WRITE，合成数据 $SYNTHETIC"
  $PY loadtest/summary.py "$OUT/locust_stats.csv"
  if [ "$SATURATION" = "1" ]; then
    echo; echo "饱和（无间隔，$SAT_USERS 个用户，各 $SAT_DURATION）："
    $PY loadtest/summary.py --ratio "$OUT/sat-PortalUser_stats.csv" "$OUT/sat-MinimalUser_stats.csv"
  fi
} | tee "$OUT/summary.txt"
if grep -q . "$OUT/locust_failures.csv" 2>/dev/null && [ "$(wc -l <"$OUT/locust_failures.csv")" -gt 1 ]; then
  echo; echo "错误明细（$OUT/locust_failures.csv）："; cat "$OUT/locust_failures.csv"
fi
echo "结果目录：$OUT"
exit $LOCUST_STATUS
