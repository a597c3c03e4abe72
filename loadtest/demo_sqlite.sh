#!/usr/bin/env bash
# Load test of the demo command itself, on its SQLite default (issue 21), this machine only:
#   scripts/demo.sh (gunicorn with threads + db_worker, DEBUG off, var/db.sqlite3)
#   → USERS accounts on the demo street (loadtest/prepare.py) → warm-up
#   → locust: every user signs in through /login/, reads lists, dashboards and scorecards,
#     and those who may edit record activities and submit them for verification
#   → meanwhile an annual PDF job and a workbook import (loadtest/background.py)
#   → figures per page, the background jobs' outcome → everything stopped.
#
#   loadtest/demo_sqlite.sh                 # 30 users, 60 s, think time 1–3 s
#   USERS=10 DURATION=30s loadtest/demo_sqlite.sh
#
# The demo's database (var/db.sqlite3) keeps what the test wrote (activities named 压测活动…,
# users lt_…); the next ./scripts/demo.sh run keeps them too (load_demo only resets the demo).
# Results stay in loadtest/var/sqlite-<date-time>/.
set -euo pipefail
cd "$(dirname "$0")/.."

USERS=${USERS:-30}
SPAWN_RATE=${SPAWN_RATE:-2}
DURATION=${DURATION:-60s}
PORT=${PORT:-8766}
THINK=${THINK:-1-3}
YEAR=${LOADTEST_YEAR:-2014}
STREET=${LOADTEST_STREET:-四季青街道}
OUT=$PWD/loadtest/var/sqlite-$(date +%Y%m%d-%H%M%S)
mkdir -p "$OUT"
PY=.venv/bin/python

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
if port_busy "$PORT"; then
  echo "端口 127.0.0.1:$PORT 已被占用；请用 PORT=其他端口 loadtest/demo_sqlite.sh" >&2; exit 2
fi
if [ -n "${DATABASE_URL:-}" ]; then
  echo "本压测针对演示命令的 SQLite 默认配置；请先 unset DATABASE_URL" >&2; exit 2
fi

# locust (the `load` extra of pyproject.toml); demo.sh installs the rest.
.venv/bin/python -c "import locust" 2>/dev/null || .venv/bin/pip install -q "locust>=2.20"

DEMO_PID=""
BACKGROUND_PID=""
cleanup() {
  [ -n "$BACKGROUND_PID" ] && kill "$BACKGROUND_PID" 2>/dev/null || true
  if [ -n "$DEMO_PID" ] && kill -0 "$DEMO_PID" 2>/dev/null; then
    kill "$DEMO_PID"; wait "$DEMO_PID" 2>/dev/null || true  # its trap stops gunicorn + worker
  fi
}
trap cleanup EXIT

echo "==> 演示命令：PORT=$PORT scripts/demo.sh（日志 $OUT/demo.log）"
PORT=$PORT scripts/demo.sh >"$OUT/demo.log" 2>&1 &
DEMO_PID=$!
for _ in $(seq 600); do
  grep -q "平台已启动" "$OUT/demo.log" 2>/dev/null \
    && curl -fsS -o /dev/null "http://127.0.0.1:$PORT/login/" 2>/dev/null && break
  kill -0 "$DEMO_PID" 2>/dev/null || { echo "演示命令已退出（$OUT/demo.log）" >&2; exit 1; }
  sleep 0.5
done
curl -fsS -o /dev/null "http://127.0.0.1:$PORT/login/" || { echo "演示服务未能启动" >&2; exit 1; }

export DJANGO_SETTINGS_MODULE=config.settings.base
DJANGO_SECRET_KEY=$(cat var/secret_key)   # the one demo.sh made: sessions must match
export DJANGO_SECRET_KEY
export LOADTEST_DATA=$OUT/users.json LOADTEST_THINK=$THINK LOADTEST_USERS=$USERS
export LOADTEST_YEAR=$YEAR LOADTEST_LOGIN=form LOADTEST_WRITE=1
echo "==> $USERS 个压测用户"
$PY loadtest/prepare.py "$LOADTEST_DATA"
$PY loadtest/warmup.py "$LOADTEST_DATA" "http://127.0.0.1:$PORT"

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
echo "==> locust：$USERS 个用户登录后浏览、录入并提交活动，每秒启动 $SPAWN_RATE 个，持续 $DURATION；后台：年度报告 PDF + 导入"
set +e
timeout 400 .venv/bin/locust -f loadtest/locustfile.py --headless --only-summary \
  --users "$USERS" --spawn-rate "$SPAWN_RATE" --run-time "$DURATION" --stop-timeout 30 \
  --host "http://127.0.0.1:$PORT" --csv "$OUT/locust" PortalUser DistrictUser >"$OUT/locust.log" 2>&1 &
LOCUST_PID=$!
sleep 5  # the first users are in
$PY loadtest/background.py "$STREET" "$YEAR" >"$OUT/background.txt" 2>&1 &
BACKGROUND_PID=$!
wait "$LOCUST_PID"; LOCUST_STATUS=$?
wait "$BACKGROUND_PID"; BACKGROUND_STATUS=$?
BACKGROUND_PID=""
set -e

{
  echo "日期 $(date -Iseconds)；机器 $(nproc) 核，$(free -g | awk '/Mem:/ {print $2}') GB 内存；开始时负载 $LOAD_BEFORE，结束时 $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "演示命令（SQLite，gunicorn ${WEB_WORKERS:-2} 进程 × ${WEB_THREADS:-4} 线程）；用户 $USERS，启动速率 $SPAWN_RATE/s，时长 $DURATION，间隔 $THINK 秒，表单登录，录入并提交活动"
  $PY loadtest/summary.py "$OUT/locust_stats.csv"
  echo
  cat "$OUT/background.txt"
  echo "服务端错误（demo.log 中的 Traceback / database is locked）：$(grep -c -E 'Traceback|database is locked' "$OUT/demo.log" || true)"
} | tee "$OUT/summary.txt"
if [ "$(wc -l <"$OUT/locust_failures.csv" 2>/dev/null || echo 0)" -gt 1 ]; then
  echo; echo "错误明细（$OUT/locust_failures.csv）："; cat "$OUT/locust_failures.csv"
fi
echo "结果目录：$OUT"
[ "$LOCUST_STATUS" -eq 0 ] && [ "$BACKGROUND_STATUS" -eq 0 ]
