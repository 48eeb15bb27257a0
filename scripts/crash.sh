#!/usr/bin/env bash
# Crash harness: kill -9 at random moments of imports, value entry, review
# closing and dossier steps, on SQLite and on PostgreSQL; after each kill
# the database is sound, the audit chain verifies, every dossier is in the
# state of its last event, and every operation was kept whole or not at all.
#   scripts/crash.sh [TRIALS_PER_ENGINE]      (default 100)
# Operations: a values file of every xã of Lâm Đồng (pending), the same
# with --approve, the official units import on an empty database (CLI); a
# commune's annual review closed through the API, a dossier submitted by
# its commune and received by the province (pages), each killing the
# server mid-request. THIDUA_BIN names a binary to use instead of building
# a release one (the test suite runs 12 trials with its debug binary).
set -euo pipefail
cd "$(dirname "$0")/.."
TRIALS="${1:-100}"
if [ -n "${THIDUA_BIN:-}" ]; then
  BIN="$THIDUA_BIN"
else
  cargo build --release --quiet -p thidua
  TARGET="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
  BIN="$TARGET/release/thidua"
fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
python3 scripts/crash_harness.py "$BIN" "$WORK" "$TRIALS" sqlite
scripts/with-postgres.sh bash -c 'python3 scripts/crash_harness.py "$1" "$2" "$3" postgres "$THIDUA_TEST_PG"' \
  bash "$BIN" "$WORK" "$TRIALS"
