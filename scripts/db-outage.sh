#!/usr/bin/env bash
# Harness: PostgreSQL stopped mid-run and started again.
#   scripts/db-outage.sh [SECONDS_DOWN]
# Starts a throw-away cluster, serves the demo on it, drives requests from
# a logged-in session, stops the cluster for SECONDS_DOWN (default 20),
# starts it again, and checks: 200 before; 503 with the Vietnamese page
# (never a redirect to the login page) while down; 200 again afterwards in
# the same session without restarting the server. Prints the figures and
# exits non-zero if a check fails. The test suite runs a bounded version
# through a TCP relay it cuts: crates/web/src/outage_tests.rs.
set -euo pipefail
cd "$(dirname "$0")/.."
DOWN="${1:-20}"
cargo build --release --quiet -p thidua
TARGET="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
exec scripts/with-postgres.sh python3 scripts/db_outage.py "$TARGET/release/thidua" "$DOWN"
