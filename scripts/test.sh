#!/usr/bin/env bash
# The whole test suite, on a fresh machine: installs what is missing,
# checks formatting and lints, then runs every test on SQLite and on a
# throw-away PostgreSQL cluster started on loopback.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
command -v python3 >/dev/null || need_apt+=(python3)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need_apt+=(postgresql postgresql-contrib)
if [ "${#need_apt[@]}" -gt 0 ]; then
  echo "== installing Debian packages: ${need_apt[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi
rustup component add rustfmt clippy >/dev/null 2>&1 || true

echo "== cargo fmt --check"
cargo fmt --all -- --check
echo "== cargo clippy --all-targets -- -D warnings"
cargo clippy --workspace --all-targets --quiet -- -D warnings

echo "== tests: every repository test runs twice, as NAME::sqlite and NAME::postgres"
THIDUA_REQUIRE_PG=1 scripts/with-postgres.sh cargo test --workspace --no-fail-fast
