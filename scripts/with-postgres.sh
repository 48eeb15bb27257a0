#!/usr/bin/env bash
# Runs a command with a throw-away PostgreSQL cluster on loopback.
#   scripts/with-postgres.sh COMMAND [ARGS…]
# The cluster lives in a temporary directory, listens on 127.0.0.1 at a free
# port, trusts local connections, and is stopped and deleted afterwards.
# Inside COMMAND, THIDUA_TEST_PG holds the admin URL of the cluster.
set -euo pipefail

find_pg_bin() {
  local d
  for d in /usr/lib/postgresql/*/bin; do
    [ -x "$d/initdb" ] && { echo "$d"; return 0; }
  done
  return 1
}

if ! PGBIN=$(find_pg_bin); then
  echo "== installing PostgreSQL (Debian packages postgresql, postgresql-contrib)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq postgresql postgresql-contrib >/dev/null
  PGBIN=$(find_pg_bin)
fi

# initdb refuses to run as root: run the server as an unprivileged user.
RUN_AS=()
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  RUN_AS=(runuser -u postgres --)
fi

PGTMP=$(mktemp -d /tmp/thidua-pg.XXXXXX)
chmod 755 "$PGTMP"
[ "${#RUN_AS[@]}" -gt 0 ] && chown postgres "$PGTMP"
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')

cleanup() {
  "${RUN_AS[@]}" "$PGBIN/pg_ctl" -D "$PGTMP/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PGTMP"
}
trap cleanup EXIT

"${RUN_AS[@]}" "$PGBIN/initdb" -D "$PGTMP/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
# Tests trade durability for speed; benchmarks (THIDUA_PG_DURABLE=1) keep the defaults.
OPTS="-c listen_addresses=127.0.0.1 -c port=$PORT -c unix_socket_directories=$PGTMP -c max_connections=300"
if [ "${THIDUA_PG_DURABLE:-0}" != 1 ]; then
  OPTS="$OPTS -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
fi
"${RUN_AS[@]}" "$PGBIN/pg_ctl" -D "$PGTMP/data" -l "$PGTMP/server.log" -w -o "$OPTS" start >/dev/null
echo "== PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT"

export THIDUA_TEST_PG="postgres://postgres@127.0.0.1:$PORT/postgres"
# For harnesses that stop and start the cluster (scripts/db-outage.sh):
#   "$THIDUA_PG_CTL" stop|start
{
  echo '#!/usr/bin/env bash'
  echo "exec ${RUN_AS[*]} \"$PGBIN/pg_ctl\" -D \"$PGTMP/data\" -l \"$PGTMP/server.log\" -w -m fast -o \"$OPTS\" \"\$@\" >/dev/null"
} > "$PGTMP/pg_ctl.sh"
chmod 755 "$PGTMP/pg_ctl.sh"
export THIDUA_PG_CTL="$PGTMP/pg_ctl.sh"
"$@"
