#!/usr/bin/env bash
# Makes the upgrade test's fixtures: the demo province written by an earlier
# thidua, dumped per engine (crates/cli/tests/fixtures/upgrade/).
#   scripts/upgrade-fixture.sh COMMIT [BINARY]
# builds COMMIT (or takes BINARY, already built from it) in a throw-away
# worktree, seeds its demo on SQLite and on a throw-away PostgreSQL cluster,
# and dumps both as gzip'd SQL named after the schema version.
set -euo pipefail
cd "$(dirname "$0")/.."
COMMIT=${1:?usage: scripts/upgrade-fixture.sh COMMIT}
OUT=crates/cli/tests/fixtures/upgrade
WT=$(mktemp -d /tmp/thidua-old.XXXXXX)
trap 'git worktree remove --force "$WT" >/dev/null 2>&1 || true; rm -rf "$WT"' EXIT
git worktree add --detach --force "$WT" "$COMMIT" >/dev/null
VERSION=$(ls "$WT/crates/store/migrations/sqlite" | sed -n 's/^\([0-9]*\)_.*/\1/p' | sort -n | tail -1 | sed 's/^0*//')
OLD="$WT/thidua-old"
if [ -n "${2:-}" ]; then
  cp "$2" "$OLD"
else
  TARGET_DIR="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
  # A target directory of its own: cargo names a workspace's artefacts the
  # same wherever its checkout lies, so the earlier commit's would replace
  # the current ones.
  (cd "$WT" && CARGO_TARGET_DIR="$TARGET_DIR/upgrade-fixture" cargo build --quiet --bin thidua)
  cp "$TARGET_DIR/upgrade-fixture/debug/thidua" "$OLD"
fi

echo "== schema version $VERSION (commit $(git rev-parse --short "$COMMIT"))"
"$OLD" --db "sqlite://$WT/old.db" demo >/dev/null
python3 - "$WT/old.db" "$OUT/sqlite-v$VERSION.sql.gz" <<'PY'
import gzip, sqlite3, sys
con = sqlite3.connect(sys.argv[1])
with gzip.open(sys.argv[2], "wt", encoding="utf-8", compresslevel=9) as out:
    for line in con.iterdump():
        out.write(line + "\n")
PY
scripts/with-postgres.sh bash -c '
  set -euo pipefail
  psql -q "$THIDUA_TEST_PG" -c "create database old_demo"
  URL="${THIDUA_TEST_PG%/*}/old_demo"
  "$0" --db "$URL" demo >/dev/null
  pg_dump --no-owner --no-privileges --inserts --rows-per-insert=200 "$URL" |
    grep -v "^\\\\" | gzip -9 > "$1"  # drop psql meta-commands: the test loads plain SQL
' "$OLD" "$OUT/postgres-v$VERSION.sql.gz"
ls -l "$OUT"
