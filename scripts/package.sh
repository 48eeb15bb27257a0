#!/usr/bin/env bash
# Builds the Debian package with cargo-deb and checks what it installs:
# contents, modes, conffiles, maintainer scripts, the hardened systemd unit,
# and that the shipped configuration is one the program accepts.
#
#   scripts/package.sh            # package the debug binary the tests built (fast)
#   scripts/package.sh --release  # the real thing: cargo deb -p thidua (release build)
#
# The debug binary is staged in a throw-away target directory so that
# cargo-deb (which packages release builds only) finds it where it looks,
# without touching the real release directory.
set -euo pipefail
cd "$(dirname "$0")/.."

TARGET_DIR="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
TOOLS="$TARGET_DIR/tools"
if [ ! -x "$TOOLS/bin/cargo-deb" ]; then
  echo "== installing cargo-deb into $TOOLS"
  CARGO_TARGET_DIR="$TOOLS/build" cargo install --quiet --locked --root "$TOOLS" cargo-deb
fi
export PATH="$TOOLS/bin:$PATH"

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
if [ "${1:-}" = "--release" ]; then
  cargo deb -p thidua --output "$WORK/thidua.deb"
else
  cargo build --quiet --bin thidua
  mkdir -p "$WORK/target/release"
  cp "$TARGET_DIR/debug/thidua" "$WORK/target/release/thidua"
  CARGO_TARGET_DIR="$WORK/target" cargo deb -p thidua --no-build --no-strip --fast \
    --output "$WORK/thidua.deb" >/dev/null
fi
DEB="$WORK/thidua.deb"

fail() { echo "package: $*" >&2; exit 1; }

echo "== package: $(dpkg-deb --field "$DEB" Package Version Architecture | tr '\n' ' ')"
depends=$(dpkg-deb --field "$DEB" Depends)
case "$depends" in *adduser*) ;; *) fail "Depends lacks adduser: $depends" ;; esac

contents=$(dpkg-deb --contents "$DEB")
expect_file() { # path mode
  local line
  line=$(grep -E " \./$1\$" <<<"$contents") || fail "missing $1"
  [ "${line:0:10}" = "$2" ] || fail "$1 has mode ${line:0:10}, expected $2"
}
expect_file usr/bin/thidua -rwxr-xr-x
expect_file etc/thidua/thidua.toml -rw-r-----
expect_file usr/share/doc/thidua/deploy.md -rw-r--r--
unit_path=$(grep -oE '\./(usr/)?lib/systemd/system/thidua\.service$' <<<"$contents") ||
  fail "no systemd unit thidua.service"

CONTROL="$WORK/control"
dpkg-deb -e "$DEB" "$CONTROL"
grep -qx /etc/thidua/thidua.toml "$CONTROL/conffiles" || fail "/etc/thidua/thidua.toml is not a conffile"
for script in postinst postrm prerm; do
  [ -f "$CONTROL/$script" ] || fail "no $script"
  sh -n "$CONTROL/$script" || fail "$script is not valid sh"
done
grep -q 'adduser --system' "$CONTROL/postinst" || fail "postinst does not create the thidua user"
grep -q 'chown thidua:thidua /var/lib/thidua' "$CONTROL/postinst" || fail "postinst does not own /var/lib/thidua"
grep -q 'deb-systemd-helper' "$CONTROL/postinst" || fail "postinst does not enable the unit"
grep -q '#DEBHELPER#' "$CONTROL/postinst" && fail "postinst still holds the #DEBHELPER# token"

mkdir "$WORK/root"
dpkg-deb -x "$DEB" "$WORK/root"
UNIT="$WORK/root/${unit_path#./}"
for hardening in 'User=thidua' 'NoNewPrivileges=yes' 'ProtectSystem=strict' 'ProtectHome=yes' \
  'PrivateTmp=yes' 'ReadWritePaths=/var/lib/thidua' 'CapabilityBoundingSet=$' \
  'ExecStart=/usr/bin/thidua --config /etc/thidua/thidua.toml serve'; do
  grep -qE "^$hardening" "$UNIT" || fail "the unit lacks $hardening"
done
if command -v systemd-analyze >/dev/null && [ -d /run/systemd/system ]; then
  systemd-analyze verify "$UNIT" || fail "systemd-analyze rejects the unit"
fi

# The shipped configuration is accepted by the shipped program; once the
# operator writes a database password into it, config check hides it.
"$WORK/root/usr/bin/thidua" --config "$WORK/root/etc/thidua/thidua.toml" config check --json >"$WORK/check.json" ||
  fail "the shipped thidua.toml is refused"
sed 's|^db = .*|db = "postgres://thidua:mat-khau-bi-mat@127.0.0.1/thidua"|' \
  "$WORK/root/etc/thidua/thidua.toml" >"$WORK/edited.toml"
"$WORK/root/usr/bin/thidua" --config "$WORK/edited.toml" config check >"$WORK/edited.txt" ||
  fail "the shipped thidua.toml with a PostgreSQL URL is refused"
grep -q mat-khau-bi-mat "$WORK/edited.txt" && fail "config check prints the database password"
python3 - "$WORK/check.json" <<'EOF2' || fail "config check of the shipped file is not what the package promises"
import json, sys
settings = {s["name"]: s for s in json.load(open(sys.argv[1]))["settings"]}
assert settings["addr"]["value"] == "127.0.0.1:8080", settings["addr"]
assert settings["db"]["value"] == "sqlite:///var/lib/thidua/thidua.db", settings["db"]
assert settings["db"]["source"].startswith("tệp "), settings["db"]
EOF2
echo "== package: contents, modes, conffiles, maintainer scripts, unit hardening and shipped configuration checked"
