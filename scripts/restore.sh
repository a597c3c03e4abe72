#!/usr/bin/env bash
# Restores a backup made by scripts/backup.sh into an EMPTY database and an empty media folder.
#
#   DATABASE_URL=postgres://USER:PASS@HOST:PORT/NEWDB DJANGO_MEDIA_ROOT=/path/media \
#     scripts/restore.sh BACKUP_FOLDER
#
# Create the database first, owned by the portal's role:  createdb -O USER NEWDB
# (or CREATE DATABASE newdb OWNER "user"). It refuses a database that already has tables or a
# media folder that already has files: a restore never mixes with or overwrites live data.
# Afterwards point the portal at NEWDB and run `manage.py migrate` (applies nothing when the
# code is the backup's version; applies the newer migrations otherwise).
set -euo pipefail
cd "$(dirname "$0")/.."

fail() { echo "恢复失败：$*" >&2; exit 1; }

SRC=${1:?用法: scripts/restore.sh 备份目录}
: "${DATABASE_URL:?请设置 DATABASE_URL（要恢复到的空数据库）}"
MEDIA=${DJANGO_MEDIA_ROOT:-$PWD/var/media}
[ -f "$SRC/db.dump" ] && [ -f "$SRC/media.tar.gz" ] && [ -f "$SRC/SHA256SUMS" ] \
  || fail "$SRC 不是完整的备份目录（缺少 db.dump、media.tar.gz 或 SHA256SUMS）"
(cd "$SRC" && sha256sum --quiet --check SHA256SUMS) || fail "备份文件校验不一致，可能已损坏"

tables=$(psql "$DATABASE_URL" -v ON_ERROR_STOP=1 -qtAc \
  "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')") \
  || fail "无法连接目标数据库"
[ "$tables" = "0" ] || fail "目标数据库已有 $tables 张表；请恢复到新建的空数据库"
if [ -d "$MEDIA" ] && [ -n "$(ls -A "$MEDIA")" ]; then
  fail "上传文件目录 $MEDIA 不是空的；请指定新的空目录（DJANGO_MEDIA_ROOT）"
fi

# One transaction: a failed restore leaves the database empty, not half-filled.
pg_restore --no-owner --no-privileges --exit-on-error --single-transaction \
  --dbname="$DATABASE_URL" "$SRC/db.dump"
mkdir -p "$MEDIA"
tar -C "$MEDIA" -xzf "$SRC/media.tar.gz"

echo "恢复完成：数据库 ${DATABASE_URL##*/}，上传文件 $(find "$MEDIA" -type f | wc -l) 个（$MEDIA）" >&2
