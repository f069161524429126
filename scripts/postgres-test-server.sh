#!/usr/bin/env bash
# A throw-away PostgreSQL server for the test suite, listening on a Unix socket only.
#
#   scripts/postgres-test-server.sh start DIR   # prints the URL: postgres://postgres@/mtls_test?host=DIR
#   scripts/postgres-test-server.sh stop DIR    # stops the server and deletes DIR
#
# DIR holds the cluster (DIR/data), the socket (DIR/.s.PGSQL.5432) and the log (DIR/postgres.log).
# initdb refuses to run as root, so as root the cluster is created and run by the `postgres` user
# (runuser); as any other user it runs as that user. Authentication is `trust`: nothing but the
# socket's folder permissions guards it, so it is for tests only. fsync is off: a test cluster
# need not survive a crash, and it makes start-up and every commit fast.
set -euo pipefail

usage() {
  echo "usage: $0 start|stop DIR" >&2
  exit 2
}
[ $# -eq 2 ] || usage
command=$1
dir=$2
case "$dir" in
  /*) ;;
  *) dir="$(pwd)/$dir" ;;
esac

bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  echo "postgres-test-server: PostgreSQL is not installed (apt-get install postgresql)" >&2
  exit 1
fi

# Runs a PostgreSQL binary as the cluster owner.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

case "$command" in
  start)
    mkdir -p "$dir"
    chmod 700 "$dir"
    if [ "$(id -u)" -eq 0 ]; then
      chown postgres: "$dir"
    fi
    as_owner "$bindir/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --no-sync >"$dir/initdb.log" 2>&1 || {
      cat "$dir/initdb.log" >&2
      exit 1
    }
    as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 30 \
      -o "-c listen_addresses='' -c unix_socket_directories='$dir' -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
      start >/dev/null || {
      cat "$dir/postgres.log" >&2
      exit 1
    }
    as_owner "$bindir/createdb" -h "$dir" -U postgres mtls_test
    echo "postgres://postgres@/mtls_test?host=$dir"
    ;;
  stop)
    if [ -f "$dir/data/postmaster.pid" ]; then
      as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf -- "$dir"
    ;;
  *)
    usage
    ;;
esac
