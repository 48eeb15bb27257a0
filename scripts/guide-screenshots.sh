#!/usr/bin/env bash
# The user guide (docs/huong-dan) shows the browser tests' screenshots.
#   scripts/guide-screenshots.sh check   # fails if a picture the guide names was not made by this run
#   scripts/guide-screenshots.sh copy    # refresh the guide's copies from the last run
# The screenshots are read from $THIDUA_TEST_OUTPUT/screenshots (test-output/ by default).
set -euo pipefail
cd "$(dirname "$0")/.."
SHOTS="${THIDUA_TEST_OUTPUT:-$PWD/test-output}/screenshots"
names=$(grep -ohE '\(anh/[a-z0-9-]+\.png\)' docs/huong-dan/*.md | tr -d '()' | sed 's|^anh/||' | sort -u)
missing=0
for name in $names; do
  if [ ! -f "$SHOTS/$name" ]; then
    echo "guide: docs/huong-dan names anh/$name, but the browser tests no longer make $name" >&2
    missing=1
  elif [ "${1:-check}" = "copy" ]; then
    cp "$SHOTS/$name" "docs/huong-dan/anh/$name"
  fi
done
[ "$missing" = 0 ] || exit 1
echo "guide: the $(wc -w <<<"$names") pictures it shows were all made by the browser tests"
