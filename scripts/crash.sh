#!/usr/bin/env bash
# Crash harness: kill -9 at random moments of imports and value entry, on
# SQLite and on PostgreSQL; after each kill the database is sound, the audit
# chain verifies, and every operation was kept whole or not at all.
#   scripts/crash.sh [TRIALS_PER_ENGINE]      (default 100)
# Operations: a values file of every xã of Lâm Đồng (pending), the same
# with --approve, and the official units import on an empty database.
set -euo pipefail
cd "$(dirname "$0")/.."
TRIALS="${1:-100}"
cargo build --release --quiet -p thidua
TARGET="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
BIN="$TARGET/release/thidua"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
python3 scripts/crash_harness.py "$BIN" "$WORK" "$TRIALS" sqlite
scripts/with-postgres.sh bash -c 'python3 scripts/crash_harness.py "$1" "$2" "$3" postgres "$THIDUA_TEST_PG"' \
  bash "$BIN" "$WORK" "$TRIALS"
