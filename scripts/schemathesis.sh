#!/usr/bin/env bash
# Harness: Schemathesis (PyPI) against the OpenAPI document of a demo server.
#   scripts/schemathesis.sh [MAX_EXAMPLES] [MAX_SECONDS]
# Serves the demo on a throw-away SQLite file, creates an API token for the
# province officer hoa.snv (who may not manage tokens, so no generated
# request can revoke the token the run uses), and runs every operation with
# the checks «no server error» and «response conforms to the schema»
# (status codes, content types, bodies). Exits non-zero on any failure.
# The test suite runs it bounded (scripts/test.sh: 25 examples, 8 minutes).
set -euo pipefail
cd "$(dirname "$0")/.."
EXAMPLES="${1:-100}"
MAX_SECONDS="${2:-1800}"
command -v schemathesis >/dev/null || python3 -m pip install -q schemathesis
TARGET="$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')"
BIN="${THIDUA_BIN:-$TARGET/debug/thidua}"
[ -x "$BIN" ] || cargo build --quiet -p thidua
TMP=$(mktemp -d)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$BIN" --db "$TMP/st.db" demo >/dev/null
TOKEN=$("$BIN" --db "$TMP/st.db" token create --login hoa.snv --name schemathesis | tail -1)
"$BIN" --db "$TMP/st.db" serve --addr "127.0.0.1:$PORT" --logins-per-minute 100000 >"$TMP/server.log" 2>&1 &
SERVER=$!
trap 'kill $SERVER 2>/dev/null || true; rm -rf "$TMP"' EXIT
for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break
  sleep 0.2
done
schemathesis run "http://127.0.0.1:$PORT/api/openapi.json" \
  --header "Authorization: Bearer $TOKEN" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
  --max-examples "$EXAMPLES" --max-time "$MAX_SECONDS" \
  --seed 17 --workers 2 --generation-allow-x00 true \
  --report junit --report-dir "$TMP/report"
kill -0 "$SERVER" || { echo "the server died during the run"; cat "$TMP/server.log"; exit 1; }
