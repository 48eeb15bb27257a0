#!/usr/bin/env bash
# Benchmarks (not tests), SQLite and PostgreSQL side by side in one run:
#  1. the full official import and as-of subtree queries of whole provinces;
#  2. a load test on loopback: 200 concurrent sessions on the organisation
#     page and on an API list endpoint, 10 s each (bounded);
#  3. the national roll-up: 19 criteria × all 3,321 communes × 5 years,
#     entered and approved, then the national report timed;
#  4. the eligibility engine over a generated registry of 100 000 people
#     × 10 years (pure computation, no database);
#  5. registry search (p50/p99) on a generated province registry of
#     300 000 people and 3 000 000 award rows, and its bulk load rate.
# The PostgreSQL cluster here runs with its default durability settings.
# Arguments are passed to `thidua bench load` (e.g. --sessions 50 --seconds 5).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet -p thidua
BIN="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')/release/thidua"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
echo "== SQLite (file in $TMP)"
"$BIN" --db "$TMP/bench.db" bench registry
"$BIN" --db "$TMP/load.db" bench load "$@"
"$BIN" --db "$TMP/rollup.db" bench rollup
"$BIN" --db "$TMP/search.db" bench search
echo "== Eligibility engine (no database)"
"$BIN" bench eligibility
THIDUA_PG_DURABLE=1 scripts/with-postgres.sh bash -c '
  BIN="$1"; shift
  psql "$THIDUA_TEST_PG" -qc "create database bench" -c "create database load" -c "create database rollup" -c "create database search"
  echo "== PostgreSQL"
  "$BIN" --db "${THIDUA_TEST_PG%/postgres}/bench" bench registry
  "$BIN" --db "${THIDUA_TEST_PG%/postgres}/load" bench load "$@"
  "$BIN" --db "${THIDUA_TEST_PG%/postgres}/rollup" bench rollup
  "$BIN" --db "${THIDUA_TEST_PG%/postgres}/search" bench search
' bash "$BIN" "$@"
