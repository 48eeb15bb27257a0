#!/usr/bin/env bash
# Benchmarks (not tests), side by side on SQLite and PostgreSQL in one run:
# the full official import and as-of subtree queries of whole provinces.
# The PostgreSQL cluster here runs with its default durability settings.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet -p thidua
BIN="${CARGO_TARGET_DIR:-target}/release/thidua"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
echo "== SQLite (file in $TMP)"
"$BIN" --db "$TMP/bench.db" bench registry "$@"
THIDUA_PG_DURABLE=1 scripts/with-postgres.sh bash -c '
  psql "$THIDUA_TEST_PG" -qc "create database bench"
  echo "== PostgreSQL"
  "'"$BIN"'" --db "${THIDUA_TEST_PG%/postgres}/bench" bench registry "$@"
' bash "$@"
