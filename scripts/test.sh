#!/usr/bin/env bash
# Runs every test: unit tests (pure modules), loopback integration tests with real clients
# (curl, openssl s_client, nghttp), end-to-end tests, and the client-store suite against a real
# PostgreSQL that this script starts (Unix socket only, in a temporary folder) and stops on exit.
# Installs the client tools and PostgreSQL when missing (Debian packages; needs root or sudo).
#
# MTLS_TEST_POSTGRES_URL already set: that server is used and none is started.
# MTLS_TEST_POSTGRES=skip: no PostgreSQL (the store suite then covers memory and SQLite only).
#
# Then, unless arguments select a subset (they are passed to `swift test`, e.g. --filter X) or
# MTLS_TEST_CONTAINERS=skip: scripts/container-test.sh, the Docker images and compose stack
# built and run for real with Podman (about 2 minutes after its first run on a machine).
set -euo pipefail
cd "$(dirname "$0")/.."

have_postgres() {
  compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null
}
want_postgres=1
if [ -n "${MTLS_TEST_POSTGRES_URL:-}" ] || [ "${MTLS_TEST_POSTGRES:-}" = "skip" ]; then
  want_postgres=0
fi

need=()
command -v curl >/dev/null 2>&1 || need+=(curl)
command -v openssl >/dev/null 2>&1 || need+=(openssl)
command -v nghttp >/dev/null 2>&1 || need+=(nghttp2-client)
if [ "$want_postgres" -eq 1 ] && ! have_postgres; then
  need+=(postgresql)
fi
if [ ${#need[@]} -gt 0 ]; then
  echo "installing test tools: ${need[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  # policy-rc.d-less containers would try to start the packaged cluster; we never use it.
  DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
fi

# Build first (while nothing else runs), then start PostgreSQL just for the test run.
swift build --build-tests

if [ "$want_postgres" -eq 1 ]; then
  pg_dir=$(mktemp -d "${TMPDIR:-/tmp}/mtls-pg.XXXXXX")
  trap 'scripts/postgres-test-server.sh stop "$pg_dir"' EXIT
  MTLS_TEST_POSTGRES_URL=$(scripts/postgres-test-server.sh start "$pg_dir")
  export MTLS_TEST_POSTGRES_URL
  echo "PostgreSQL for tests: $MTLS_TEST_POSTGRES_URL"
fi

# Serial: the suite is timing-sensitive in places (timeouts, drains) and the 2-core CI machine
# is shared with the build; serial runs take about a minute and do not flake.
swift test --skip-build --no-parallel "$@"

if [ $# -eq 0 ] && [ "${MTLS_TEST_CONTAINERS:-}" != "skip" ]; then
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO scripts/container-test.sh
fi
