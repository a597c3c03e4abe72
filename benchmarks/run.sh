#!/usr/bin/env bash
# The benchmarks against PostgreSQL, in one command:
#
#   benchmarks/run.sh                 # the city: 100 streets × 30 communities × 3 years,
#                                     # in 10 districts of 10 streets (合成01区 … 合成10区)
#   benchmarks/run.sh --scale small   # 10 streets (one district), for a quick run
#   benchmarks/run.sh --only assess,pages --runs 3
#   benchmarks/run.sh --scale small --only district,board   # issue 18/15: one district of 10 streets
#
# `--only district` times the district pages (dashboard, rankings, streets, reporting) for a
# district viewer of 合成01区 (median of --runs) and counts their queries twice: with the
# district's 10 streets and cut to 3 (the count must not grow); then the district's white
# paper against WeasyPrint alone. Figures go to benchmarks/RESULTS.md, a section per branch.
#
# Starts a throwaway PostgreSQL on 127.0.0.1:54399 (scripts/pg.sh; its data stays under
# /tmp/wenti-pg-54399, so a second run finds the city already generated), migrates,
# generates the synthetic streets that are missing, runs every benchmark, prints the
# figures (a Markdown table for benchmarks/RESULTS.md), and stops the server.
# Arguments go to `python -m benchmarks` (benchmarks/__main__.py).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
export PGPORT_TEST=${PGPORT_TEST:-54399}
export DJANGO_SETTINGS_MODULE=config.settings.test
DATABASE_URL=$(scripts/pg.sh start)
export DATABASE_URL
trap 'scripts/pg.sh stop' EXIT
.venv/bin/python manage.py migrate -v0
.venv/bin/python -m benchmarks --scale city "$@"
