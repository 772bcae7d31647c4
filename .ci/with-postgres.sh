#!/usr/bin/env bash
# Runs a command with DATABASE_URL pointing at a throwaway PostgreSQL cluster, unless
# DATABASE_URL is already set. The cluster lives in a temporary directory, listens on a free
# loopback port, and is destroyed when the command ends. fsync is off: test data is disposable.
set -euo pipefail

if [ -n "${DATABASE_URL:-}" ]; then
  "$@"
  exit $?
fi

PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$PGBIN" ]; then
  echo "PostgreSQL server binaries not found; run .ci/ensure-system-deps.sh (as root on Debian)." >&2
  exit 1
fi

dir=$(mktemp -d /tmp/wallet-pg.XXXXXX)
chmod 755 "$dir"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
as_owner=()
if [ "$(id -u)" = 0 ]; then
  # initdb refuses to run as root: the cluster belongs to the postgres user.
  chown postgres "$dir"
  as_owner=(runuser -u postgres --)
fi

cleanup() {
  "${as_owner[@]}" "$PGBIN/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}
trap cleanup EXIT

"${as_owner[@]}" "$PGBIN/initdb" -D "$dir/data" -U wallet --auth=trust -E UTF8 --no-sync >/dev/null
"${as_owner[@]}" "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
  start >/dev/null
"${as_owner[@]}" "$PGBIN/createdb" -h 127.0.0.1 -p "$port" -U wallet wallet

export DATABASE_URL="postgres://wallet@127.0.0.1:$port/wallet"
echo "Throwaway PostgreSQL at 127.0.0.1:$port" >&2
"$@"
