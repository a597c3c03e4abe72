#!/usr/bin/env bash
# Backs up the portal: the PostgreSQL database of DATABASE_URL (pg_dump, custom format) and
# the uploaded files under the media folder (tar), into a new dated folder.
#
#   DATABASE_URL=postgres://USER:PASS@HOST:PORT/DB scripts/backup.sh [BACKUP_DIR]
#
# BACKUP_DIR defaults to $BACKUP_DIR, else var/backups. The media folder is
# $DJANGO_MEDIA_ROOT, else var/media (as in config/settings/base.py). The last line printed is
# the folder made:  BACKUP_DIR/wenti-YYYY-MM-DD_HHMMSS/{db.dump, media.tar.gz, SHA256SUMS, INFO}.
# Restore with scripts/restore.sh FOLDER.
set -euo pipefail
cd "$(dirname "$0")/.."

fail() { echo "备份失败：$*" >&2; exit 1; }

: "${DATABASE_URL:?请设置 DATABASE_URL（postgres://…）}"
case "$DATABASE_URL" in
  postgres://*|postgresql://*) ;;
  *) fail "只支持 PostgreSQL 的 DATABASE_URL；SQLite 请在停机后复制 var/db.sqlite3 和 var/media。" ;;
esac
MEDIA=${DJANGO_MEDIA_ROOT:-$PWD/var/media}
ROOT=${1:-${BACKUP_DIR:-$PWD/var/backups}}
command -v pg_dump >/dev/null || fail "未找到 pg_dump（apt-get install postgresql-client）"

STAMP=$(date +%Y-%m-%d_%H%M%S)
DEST="$ROOT/wenti-$STAMP"
[ -e "$DEST" ] && fail "$DEST 已存在"
mkdir -p "$DEST"
# A half-written backup must not look like a good one.
trap '[ -f "$DEST/SHA256SUMS" ] || rm -rf "$DEST"' EXIT

# The dump first, then the files: pg_dump reads one consistent snapshot, and every file a
# row of that snapshot names was uploaded before it, so it is in the tar taken afterwards
# (the portal never deletes uploaded files; a file uploaded meanwhile is merely extra).
pg_dump --format=custom --compress=6 --no-owner --no-privileges \
  --file="$DEST/db.dump" "$DATABASE_URL"

if [ -d "$MEDIA" ]; then
  tar -C "$MEDIA" -czf "$DEST/media.tar.gz" .
else
  echo "提示：上传文件目录 $MEDIA 不存在，备份中没有上传文件。" >&2
  tar -czf "$DEST/media.tar.gz" -T /dev/null
fi

{
  echo "created=$(date -Iseconds)"
  echo "database=${DATABASE_URL%%\?*}" | sed -E 's#//([^:/@]+):[^@]*@#//\1:***@#'
  echo "media_root=$MEDIA"
  echo "pg_dump=$(pg_dump --version)"
  echo "git=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
} >"$DEST/INFO"
(cd "$DEST" && sha256sum db.dump media.tar.gz INFO >SHA256SUMS)

echo "备份完成：数据库 $(du -h "$DEST/db.dump" | cut -f1)，上传文件 $(du -h "$DEST/media.tar.gz" | cut -f1)" >&2
echo "$DEST"
