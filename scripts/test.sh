#!/usr/bin/env bash
# The whole test suite, on a fresh machine: installs what is missing,
# checks formatting and lints, then runs every test on SQLite and on a
# throw-away PostgreSQL cluster started on loopback.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v python3 >/dev/null || need_apt+=(python3)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_apt+=(postgresql postgresql-contrib)
# Browser tests: Debian's Chromium and its WebDriver.
[ -x /usr/bin/chromium ] || need_apt+=(chromium)
[ -x /usr/bin/chromedriver ] || need_apt+=(chromium-driver)
command -v fc-list >/dev/null && fc-list | grep -qi dejavu || need_apt+=(fonts-dejavu-core)
# Documents: a serif with Times New Roman's metrics and Vietnamese, and
# poppler's pdftotext, which the tests read the generated PDFs with.
[ -d /usr/share/fonts/truetype/liberation2 ] || need_apt+=(fonts-liberation2)
command -v pdftotext >/dev/null || need_apt+=(poppler-utils)
# LibreOffice (no GUI, without its recommends) opens the XLSX and DOCX
# thidua writes, in one test.
need_lean=()
[ -x /usr/bin/soffice ] || need_lean+=(libreoffice-calc-nogui libreoffice-writer-nogui)
if [ "${#need_apt[@]}" -gt 0 ]; then
  echo "== installing Debian packages: ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi
if [ "${#need_lean[@]}" -gt 0 ]; then
  echo "== installing Debian packages (no recommends): ${need_lean[*]}"
  export DEBIAN_FRONTEND=noninteractive
  [ "${#need_apt[@]}" -gt 0 ] || apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need_lean[@]}" >/dev/null
fi
rustup component add rustfmt clippy >/dev/null 2>&1 || true
# Accessibility: axe-core from npm, run by the browser tests on every page
# they photograph.
AXE_DIR="${HOME}/.cache/thidua/axe"
if [ ! -f "$AXE_DIR/node_modules/axe-core/axe.min.js" ]; then
  echo "== installing axe-core from npm"
  command -v npm >/dev/null || { export DEBIAN_FRONTEND=noninteractive; apt-get update -qq; apt-get install -y -qq npm >/dev/null; }
  mkdir -p "$AXE_DIR"
  npm install --prefix "$AXE_DIR" --no-audit --no-fund --silent axe-core@4
fi
export THIDUA_AXE="$AXE_DIR/node_modules/axe-core/axe.min.js"

# The DuckDB peer of `thidua bench run` (its short run is a test).
python3 -c 'import duckdb' 2>/dev/null || { echo "== installing duckdb from PyPI"; python3 -m pip install -q duckdb; }

echo "== cargo fmt --check"
cargo fmt --all -- --check
echo "== cargo clippy --all-targets -- -D warnings"
cargo clippy --workspace --all-targets --quiet -- -D warnings

echo "== tests: every repository test runs twice, as NAME::sqlite and NAME::postgres;"
echo "   browser tests run in headless Chromium and save screenshots under test-output/screenshots"
export THIDUA_REQUIRE_PG=1 THIDUA_REQUIRE_BROWSER=1 THIDUA_REQUIRE_LIBREOFFICE=1 THIDUA_REQUIRE_DUCKDB=1
export THIDUA_TEST_OUTPUT="${THIDUA_TEST_OUTPUT:-$PWD/test-output}"
LOG=$(mktemp)
trap 'rm -f "$LOG"' EXIT
set +e
# A hung test must fail the run with its output, not outlast CI's limit.
timeout --kill-after=30s 75m scripts/with-postgres.sh cargo test --workspace --all-targets --no-fail-fast 2>&1 | tee "$LOG"
status=${PIPESTATUS[0]}
set -e
[ "$status" = 124 ] && echo "== the tests did not finish within 75 minutes"
echo "== Schemathesis against /api/openapi.json (bounded: 25 examples per operation, at most 4 minutes)"
command -v schemathesis >/dev/null || python3 -m pip install -q schemathesis
if ! scripts/schemathesis.sh 25 240; then
  status=1
fi
echo "== crash harness (bounded: 12 kill -9 trials per engine, with the debug binary the tests built)"
TARGET_DIR="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
if ! THIDUA_BIN="$TARGET_DIR/debug/thidua" timeout 10m scripts/crash.sh 12; then
  status=1
fi
echo "== user guide: every screenshot docs/huong-dan shows is still made by the browser tests"
if ! scripts/guide-screenshots.sh check; then
  status=1
fi
echo "== Debian package (cargo-deb): contents, maintainer scripts, systemd unit, shipped configuration"
if ! scripts/package.sh; then
  status=1
fi
echo "== screenshots: $(ls "$THIDUA_TEST_OUTPUT/screenshots" 2>/dev/null | wc -l) in $THIDUA_TEST_OUTPUT/screenshots"
# One closing line for the whole run, summed over every test binary.
awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
     END { printf "Total: %d passed, %d failed\n", p, f }' "$LOG"
exit "$status"
