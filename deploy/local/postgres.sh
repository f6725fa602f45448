#!/usr/bin/env bash
# Makes sure a PostgreSQL server answers on the test address; starts the local cluster if it is
# installed but stopped. Usage: deploy/local/postgres.sh ensure
set -euo pipefail

host=${PGHOST:-127.0.0.1}
port=${PGPORT:-5432}

ready() { pg_isready -q -h "$host" -p "$port" 2>/dev/null; }

ensure() {
  if ! command -v pg_isready >/dev/null; then
    echo "PostgreSQL client tools are not installed; install PostgreSQL 15 (apt-get install postgresql)" >&2
    exit 1
  fi
  ready && return 0
  if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
    for version in $(ls /etc/postgresql); do
      echo "starting the local PostgreSQL $version cluster" >&2
      pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
    done
    for _ in $(seq 1 30); do ready && return 0; sleep 1; done
  fi
  echo "PostgreSQL does not answer on $host:$port. Start it (pg_ctlcluster 15 main start)," >&2
  echo "or set LIANDONG_TEST_POSTGRES_URL to a server where the tests may create databases." >&2
  exit 1
}

case "${1:-ensure}" in
  ensure) ensure ;;
  *) echo "usage: $0 ensure" >&2; exit 2 ;;
esac
