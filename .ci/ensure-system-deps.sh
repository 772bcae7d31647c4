#!/usr/bin/env bash
# Installs what the test suite needs from the system: PostgreSQL's server, Chromium, and the
# deployment parts: Redis (the broker and cache tests, tests/fixtures/redis.py), and for
# `make cluster` and the cluster smoke PgBouncer and HAProxy.
# On Debian as root it uses apt; elsewhere it only checks and explains what is missing.
set -euo pipefail

missing=()
ls -d /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v redis-server >/dev/null || missing+=(redis-server)
# Fonts so that screenshots show text; Chromium pulls a minimal set, this adds a readable one.
dpkg -s fonts-dejavu-core >/dev/null 2>&1 || missing+=(fonts-dejavu-core)
# The cluster (deploy/cluster.py): Debian runs none of them as a service here; we start them.
[ -x /usr/sbin/pgbouncer ] || missing+=(pgbouncer)
[ -x /usr/sbin/haproxy ] || missing+=(haproxy)

[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing system packages: ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "Missing system packages: ${missing[*]}. Install them (Debian: apt-get install ${missing[*]})." >&2
  exit 1
fi
